// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Sending SMS through a provider (an interface, so that providers can be swapped), and
/// the one HTTP provider: a Twilio-style form POST (To, From, Body) with basic auth and
/// an Idempotency-Key. Blocking: the delivery thread and database workers only.

#include "notificationsconfig.h"

#include <QByteArray>
#include <QList>

#include <utility>

namespace Notifications {

struct SmsResult {
    QString providerId;   ///< the provider's message id
    QString status;       ///< the provider's status in its answer ("queued"), may be empty
};

class SmsProvider {
public:
    virtual ~SmsProvider() = default;
    /// Unavailable: may be retried (no answer before sending, 429, 5xx). InvalidArgument:
    /// refused for good (4xx). Timeout: the request went out and no answer came — the
    /// message may have been sent; it must not be sent again blindly.
    /// `statusCallback`: the URL the provider posts signed status reports to (none if empty).
    virtual Community::Result<SmsResult> send(const QString &to, const QString &body, const QString &idempotencyKey,
                                              const QString &statusCallback = {}) = 0;
};

class HttpSmsProvider final : public SmsProvider {
public:
    explicit HttpSmsProvider(SmsConfig config) : m_config(std::move(config)) {}
    Community::Result<SmsResult> send(const QString &to, const QString &body, const QString &idempotencyKey,
                                      const QString &statusCallback = {}) override;

private:
    SmsConfig m_config;
};

/// Whether `number` is E.164: "+", a country code not starting with 0, 8 to 15 digits.
bool isE164(const QString &number);

/// The Twilio-style request signature of a callback: base64(HMAC-SHA1(token, url + each
/// form parameter's name and value, sorted by name)). Compare it in constant time.
QByteArray callbackSignature(const QByteArray &token, const QString &url, QList<std::pair<QString, QString>> params);

/// How far a provider status is: queued/accepted/scheduled 1, sending 2, sent 3,
/// delivered/undelivered/failed/canceled 4, read 5; -1 for an unknown status.
int smsStatusRank(const QString &status);
/// Whether `status` says the message did not reach the phone.
bool smsStatusFailed(const QString &status);

} // namespace Notifications
