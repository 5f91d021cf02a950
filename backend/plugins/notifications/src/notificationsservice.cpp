// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "notificationsservice.h"

#include "deliveryservice.h"
#include "notificationjson.h"
#include "pushservice.h"
#include "smsservice.h"
#include "preferencesrepository.h"

#include "community/contracts/auth.h"
#include "community/contracts/users.h"
#include "community/database.h"
#include "community/realtime.h"

#include <algorithm>

using namespace Community;

namespace Notifications {

namespace {

QString userTopic(qint64 userId)
{
    return QStringLiteral("user:%1").arg(userId);
}

} // namespace

Result<void> NotificationsService::handle(const Events::Event &event)
{
    for (const Draft &d : project(event))
        if (auto r = deliver(d); !r)
            return tl::unexpected(r.error());
    return {};
}

Result<bool> NotificationsService::hidden(qint64 recipientId, qint64 actorId) const
{
    if (!m_relations || actorId <= 0)
        return false;
    auto rel = m_relations->relationsOf(recipientId);
    if (!rel)
        return tl::unexpected(rel.error());
    return std::binary_search(rel->hidden.begin(), rel->hidden.end(), actorId);
}

Result<bool> NotificationsService::deliver(const Draft &draft)
{
    if (draft.recipientId <= 0 || draft.actorId == draft.recipientId)
        return false;
    Draft d = draft;
    // Some events name the actor by id only (users.relation.changed).
    if (d.actorId > 0 && d.actorName.isEmpty() && m_directory)
        if (auto u = m_directory->findById(d.actorId))
            d.actorName = u->username;
    // Asked before our transaction opens: the contract must not wait for a connection we hold.
    auto isHidden = hidden(d.recipientId, d.actorId);
    if (!isHidden)
        return tl::unexpected(isHidden.error());
    if (*isHidden)
        return false;
    return m_db.transact<bool>([&](pqxx::work &tx) -> Result<bool> {
        NotificationsRepository repo(tx);
        if (!repo.claimSource(d.recipientId, d.sourceKey))
            return false;
        // Claimed even when dropped below: a replay decides the same without asking again.
        PreferencesRepository prefs(tx);
        if (d.threadId && prefs.threadMuted(d.recipientId, *d.threadId))
            return false;
        const Preferences p = prefs.load(d.recipientId);
        if (!p.enabled(d.kind, Channel::Inbox))
            return false;
        const Notification n = repo.upsert(d, m_config.shownActors);
        repo.linkSource(d.recipientId, d.sourceKey, n.id);
        const QJsonObject json = notificationJson(n);
        if (auto r = publishUnread(tx, repo, d.recipientId, {{QStringLiteral("notification"), json}}); !r)
            return tl::unexpected(r.error());
        if (m_delivery)
            m_delivery->enqueue(tx, p, d, json, n.id);
        if (m_push)
            m_push->enqueue(tx, p, d, json, n.id);
        if (m_sms)
            m_sms->enqueue(tx, p, d, json, n.id);
        return true;
    });
}

Result<void> NotificationsService::publishUnread(pqxx::transaction_base &tx, NotificationsRepository &repo,
                                                 qint64 userId, const QJsonObject &extra)
{
    QJsonObject frame = extra;
    frame.insert(QStringLiteral("kind"), extra.contains(QStringLiteral("notification"))
                                             ? QStringLiteral("notification")
                                             : QStringLiteral("notifications.read"));
    frame.insert(QStringLiteral("unread"), unreadJson(repo.unreadByKind(userId)));
    auto seq = m_hub.publish(tx, userTopic(userId), frame);
    if (!seq)
        return tl::unexpected(seq.error());
    return {};
}

Result<NotificationPage> NotificationsService::list(qint64 userId, std::optional<qint64> beforePosition, int limit,
                                                    bool unreadOnly)
{
    return m_db.read<NotificationPage>([&](pqxx::nontransaction &tx) -> Result<NotificationPage> {
        return NotificationsRepository(tx).list(userId, beforePosition, limit, unreadOnly);
    });
}

Result<QHash<QString, qint64>> NotificationsService::unread(qint64 userId)
{
    return m_db.read<QHash<QString, qint64>>([&](pqxx::nontransaction &tx) -> Result<QHash<QString, qint64>> {
        return NotificationsRepository(tx).unreadByKind(userId);
    });
}

Result<qint64> NotificationsService::markRead(qint64 userId, const ReadScope &scope)
{
    return m_db.transact<qint64>([&](pqxx::work &tx) -> Result<qint64> {
        NotificationsRepository repo(tx);
        const std::optional<qint64> n = repo.markRead(userId, scope);
        if (!n)
            return tl::unexpected(notFound(QStringLiteral("No such notification.")));
        // Other tabs and devices of the user update their badge.
        if (*n > 0)
            if (auto r = publishUnread(tx, repo, userId, {}); !r)
                return tl::unexpected(r.error());
        return *n;
    });
}

Result<void> NotificationsService::remove(qint64 userId, qint64 id)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (!NotificationsRepository(tx).remove(userId, id))
            return tl::unexpected(notFound(QStringLiteral("No such notification.")));
        return {};
    });
}

} // namespace Notifications
