// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The notifications plugin's configuration ("plugins.notifications"), read once in
/// initialize(); unknown keys are refused.

#include "community/result.h"

#include <QJsonObject>
#include <QString>

namespace Notifications {

/// "email": SMTP through libcurl (ADR 0014). No smtpUrl: email is off (no delivery rows).
struct EmailConfig {
    QString smtpUrl;                ///< smtp://host:port (STARTTLS per `tls`) or smtps://host:port (implicit TLS)
    QString tls = QStringLiteral("starttls");   ///< starttls (required), implicit, none (loopback tests only)
    QString caFile;                 ///< extra CA bundle for the server's certificate (certificates are always checked)
    QString username;
    QString password;               ///< secret: from the environment or a file, never logged
    QString from;                   ///< envelope and From address
    QString fromName = QStringLiteral("Community");
    QString publicBaseUrl;          ///< https://forum.example: links and the unsubscribe URL
    int timeoutMs = 15000;
    bool enabled() const { return !smtpUrl.isEmpty(); }
};

/// "push": web push (RFC 8030/8291/8292). The VAPID key pair is made on first start and
/// kept in the plugin's schema (the same for every node).
struct PushConfig {
    bool enabled = false;
    QString subject;                ///< VAPID "sub": mailto: or https: contact of the operator
    int ttlSeconds = 86400;         ///< how long the push service keeps an undelivered message
    bool allowHttpEndpoints = false;   ///< http:// endpoints (loopback tests only)
    int timeoutMs = 15000;
};

/// "sms": the HTTP SMS provider (Twilio-style form POST). No url: SMS is off.
struct SmsConfig {
    QString url;                    ///< the provider's "send a message" endpoint
    QString accountId;              ///< basic auth user
    QString token;                  ///< secret: basic auth password
    QString from;                   ///< sender number or id
    int timeoutMs = 10000;
    int codeTtlSeconds = 600;       ///< verification codes
    /// The public URL of POST /v1/notifications/sms/status as the provider reaches it
    /// (signatures are over this URL). Empty: no status callbacks are asked for.
    QString statusCallbackUrl;
    bool enabled() const { return !url.isEmpty(); }
};

/// "delivery": the outbox of email/push/SMS sends.
struct DeliveryConfig {
    /// Safety net: the worker is woken by a NOTIFY when rows are written (on any node)
    /// and drains while rows are due; this poll catches due times (backoff, quiet hours).
    int pollMs = 1000;
    int batch = 50;                 ///< rows claimed per round
    int maxAttempts = 6;            ///< then the row is dead (visible to operators)
    int backoffBaseMs = 2000;       ///< retry n waits base * 4^(n-1), at most an hour
    int leaseSeconds = 60;          ///< a claimed row not finished by then is taken again (crash)
    int digestHour = 8;             ///< daily/weekly digests go out at this local hour
};

/// "chat": plain chat messages (mentions notify in any room).
struct ChatNotifyConfig {
    bool enabled = true;
    int maxRoomMembers = 20;        ///< groups up to this size notify; DMs always; channels never
};

/// "announcements": the fan-out of system announcements to every active account.
struct AnnouncementConfig {
    int batch = 500;                ///< accounts per transaction
    int pollMs = 5000;              ///< how often unfinished fan-outs are looked for (also woken on publish)
    int titleMax = 200;
    int bodyMax = 5000;
};

struct NotificationsConfig {
    int defaultPageSize = 20;
    int maxPageSize = 100;
    int shownActors = 3;            ///< newest actors named on a collapsed row
    /// Notifications stored per transaction by the bus consumer (a batch of events is
    /// split): small enough that the first ones do not wait long for the last (ADR 0033).
    int projectionChunk = 25;
    EmailConfig email;
    PushConfig push;
    SmsConfig sms;
    DeliveryConfig delivery;
    ChatNotifyConfig chat;
    AnnouncementConfig announcements;
};

Community::Result<NotificationsConfig> readNotificationsConfig(const QJsonObject &object, const QString &path);

} // namespace Notifications
