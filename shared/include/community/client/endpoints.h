// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The API routes the clients call, as ApiRequest builders: one place for paths, query
/// parameters and bodies. Send them with ApiClient (async) or BlockingClient.

#include "community/client/apireply.h"

#include <QJsonValue>
#include <QStringList>

#include <optional>

namespace Community::Client::Endpoints {

// Host routes: health, readiness, node info, migrations.
ApiRequest health();                        ///< GET /healthz
ApiRequest ready();                         ///< GET /readyz (503 while not ready)
ApiRequest systemInfo();                    ///< GET /v1/system/info
ApiRequest migrations();                    ///< GET /v1/system/migrations
ApiRequest migrate(bool dryRun);            ///< POST /v1/system/migrations

// Accounts (auth plugin, /v1/admin/users).
struct UserQuery
{
    QString query;  ///< prefix of username or email
    int limit = 0;  ///< 0: the server's default
    QString cursor; ///< continue after this cursor
};
ApiRequest adminUsers(const UserQuery &query);
ApiRequest adminUser(const QString &username);
ApiRequest createUser(const QString &username, const QString &email,
                      const std::optional<QString> &password, const QString &role);
ApiRequest setUserRole(const QString &username, const QString &role);
ApiRequest suspendUser(const QString &username, const QString &reason);
ApiRequest unsuspendUser(const QString &username);
ApiRequest resetUserPassword(const QString &username);
ApiRequest disableUserTwoFactor(const QString &username);

// API keys and the auth outbox.
ApiRequest apiKeys();
ApiRequest createApiKey(const QString &name, const QStringList &scopes);
ApiRequest revokeApiKey(const QString &id);
ApiRequest authOutbox(qint64 after, int limit); ///< after/limit <= 0: not sent

// Event bus (/v1/system/events, operator token).
ApiRequest events(qint64 after, int limit);     ///< after < 0 / limit <= 0: not sent
ApiRequest eventConsumers();
ApiRequest replayConsumer(const QString &consumer, qint64 fromId);
ApiRequest retryDeadLetters(const QString &consumer);

// Search (/v1/search/*).
ApiRequest searchStats(int days, int limit);    ///< <= 0: the server's default
ApiRequest searchStatus();
ApiRequest searchReindex();

// Analytics (/v1/analytics/*; docs/analytics.md).
struct AnalyticsRange
{
    QString from, to; ///< local days YYYY-MM-DD; empty: the server's default (30 days to today)
    QString tz;       ///< IANA zone; empty: UTC
    int limit = 0;    ///< entries per ranked list; 0: the server's default
};
/// GET /v1/analytics/reports/{name}; @p csv asks for format=csv (the body is then CSV).
ApiRequest analyticsReport(const QString &name, const AnalyticsRange &range, bool csv = false);
ApiRequest analyticsLive();
ApiRequest analyticsRebuild();
ApiRequest analyticsMaintenance();

// Admin plugin: audit log (/v1/admin/audit) and review queue (/v1/admin/queue).
struct AuditQuery
{
    QString actor, action, targetType, targetId, since, until; ///< empty: not sent
    int limit = 0;
    QString cursor;
};
ApiRequest auditLog(const AuditQuery &query);
ApiRequest auditVerify();
struct QueueQuery
{
    QString status, targetType, reason; ///< empty: not sent
    int limit = 0;
    QString cursor;
};
ApiRequest queueItems(const QueueQuery &query);
ApiRequest queueItem(const QString &id);
ApiRequest claimQueueItem(const QString &id, bool takeover);
/// @p actions: {"type": ..., "days": ...} objects.
ApiRequest decideQueueItem(const QString &id, const QJsonArray &actions, const QString &reason);
/// One decision for each of @p ids (at most 100), answered per item: `results` of {id,
/// status ready|decided|quarantined|failed, decisionId, undoableUntil, problem}. @p dryRun
/// checks every item and writes nothing.
ApiRequest decideQueueItems(const QStringList &ids, const QJsonArray &actions, const QString &reason, bool dryRun);
/// Takes a decision back inside the undo window (its moderator or an administrator);
/// @p dryRun only checks that it could.
ApiRequest undoDecision(const QString &decisionId, const QString &reason, bool dryRun = false);
/// A user's strikes and penalties, newest first (moderators).
ApiRequest penalties(const QString &userId);
/// Watched-word rules (admins): kind word|regex, action block|flag.
ApiRequest watchRules();
ApiRequest addWatchRule(const QString &kind, const QString &pattern, const QString &action);
ApiRequest removeWatchRule(const QString &id);
/// What `text` would trigger.
ApiRequest testWatchRules(const QString &text);

// Runtime settings (core, /v1/admin/settings; admins, the operator token, API keys with
// admin:settings; docs/adr/0032). Keys are dotted paths ("plugins.admin.claimMinutes").
ApiRequest settings(const QString &prefix = {});  ///< every key; @p prefix narrows
ApiRequest setting(const QString &key);
/// @p dryRun: validated with the startup rules, nothing written.
ApiRequest setSetting(const QString &key, const QJsonValue &value, const QString &reason, bool dryRun);
ApiRequest resetSetting(const QString &key);      ///< removes the runtime value
ApiRequest settingsDiff();                        ///< keys that differ from their default
ApiRequest exportSettings();                      ///< the runtime layer
/// All or nothing: an unknown key or an invalid value writes nothing.
ApiRequest importSettings(const QJsonObject &settings, const QString &reason, bool dryRun);

// Notifications plugin: the delivery outbox (/v1/admin/notifications).
struct DeliveryQuery
{
    QString status, channel, user; ///< empty: not sent; status "failed": dead or retrying
    int limit = 0;
    QString cursor;
};
ApiRequest notificationDeliveries(const DeliveryQuery &query);
ApiRequest retryNotificationDelivery(const QString &id);
/// @p user: a user id or a username.
ApiRequest sendTestNotification(const QString &user, const QString &channel);
/// A system announcement to every active account (202; fanned out in the background).
ApiRequest publishAnnouncement(const QString &title, const QString &body, const QString &url);
/// The newest announcements with their progress (recipients so far, done).
ApiRequest announcements(int limit);

} // namespace Community::Client::Endpoints
