// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Sending SMS through a provider (an interface, so that providers can be swapped), and
/// the one HTTP provider: a Twilio-style form POST (To, From, Body) with basic auth and
/// an Idempotency-Key. Blocking: the delivery thread and database workers only.

#include "notificationsconfig.h"

namespace Notifications {

struct SmsResult {
    QString providerId;   ///< the provider's message id
};

class SmsProvider {
public:
    virtual ~SmsProvider() = default;
    /// Unavailable: may be retried (no answer before sending, 429, 5xx). InvalidArgument:
    /// refused for good (4xx). Timeout: the request went out and no answer came — the
    /// message may have been sent; it must not be sent again blindly.
    virtual Community::Result<SmsResult> send(const QString &to, const QString &body, const QString &idempotencyKey) = 0;
};

class HttpSmsProvider final : public SmsProvider {
public:
    explicit HttpSmsProvider(SmsConfig config) : m_config(std::move(config)) {}
    Community::Result<SmsResult> send(const QString &to, const QString &body, const QString &idempotencyKey) override;

private:
    SmsConfig m_config;
};

/// Whether `number` is E.164: "+", a country code not starting with 0, 8 to 15 digits.
bool isE164(const QString &number);

} // namespace Notifications
