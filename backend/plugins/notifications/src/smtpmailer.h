// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Sends one composed message over SMTP with libcurl (ADR 0014): STARTTLS required
/// (`tls` "starttls") or implicit TLS (smtps://), the server's certificate and host name
/// always checked (extra CA file allowed), AUTH when a username is configured, a timeout.
/// Blocking: the delivery thread only. Thread-safe (one curl handle per call).
/// Errors: Unavailable for what may work later (connection, timeout, 4xx replies),
/// InvalidArgument for a permanent refusal (5xx, e.g. an unknown recipient).

#include "notificationsconfig.h"

#include <QByteArray>

namespace Notifications {

class SmtpMailer {
public:
    explicit SmtpMailer(EmailConfig config) : m_config(std::move(config)) {}
    /// Once per process, before the first send (curl_global_init).
    static void globalInit();

    Community::Result<void> send(const QString &to, const QByteArray &message) const;

private:
    EmailConfig m_config;
};

} // namespace Notifications
