// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Posts one encrypted web push message to a push service (RFC 8030) with libcurl:
/// Content-Encoding aes128gcm, TTL, Urgency, Topic, and the VAPID Authorization (RFC 8292).
/// Blocking: the delivery thread only. Thread-safe.

#include "notificationsconfig.h"

#include <QByteArray>

namespace Notifications {

struct PushRequest {
    QString endpoint;
    QByteArray body;                ///< the aes128gcm body
    QString vapidJwt;
    QByteArray vapidPublicKey;      ///< base64url
    QString urgency = QStringLiteral("normal");
    QString topic;                  ///< replaces an undelivered message with the same topic
};

class PushSender {
public:
    explicit PushSender(PushConfig config) : m_config(std::move(config)) {}
    /// The push service's HTTP status; Unavailable when none came (connection, timeout).
    Community::Result<int> send(const PushRequest &request) const;

private:
    PushConfig m_config;
};

} // namespace Notifications
