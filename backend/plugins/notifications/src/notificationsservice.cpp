// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "notificationsservice.h"

#include "deliveryservice.h"
#include "notificationjson.h"
#include "pushservice.h"
#include "smsservice.h"
#include "preferencesrepository.h"

#include "community/contracts/auth.h"
#include "community/contracts/chat.h"
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

Result<void> NotificationsService::handleBatch(const QList<Events::Event> &events)
{
    QList<Draft> drafts;
    for (const Events::Event &e : events) {
        if (const auto message = chatMessageOf(e)) {
            auto more = chatDrafts(*message);
            if (!more)
                return tl::unexpected(more.error());
            drafts += *more;
            continue;
        }
        drafts += project(e);
    }
    if (drafts.isEmpty())
        return {};
    auto stored = deliver(drafts, true);
    if (!stored)
        return tl::unexpected(stored.error());
    return {};
}

Result<QList<Draft>> NotificationsService::chatDrafts(const Contracts::Events::Chat::MessageCreated &m) const
{
    if (!m_chat || !m_config.chat.enabled)
        return QList<Draft>{};
    auto audience = m_chat->audienceOf(m.messageId, m_config.chat.maxRoomMembers);
    if (!audience) {
        if (audience.error().code == ErrorCode::NotFound)
            return QList<Draft>{};   // purged meanwhile: nobody to tell
        return tl::unexpected(audience.error());
    }
    return chatMessageDrafts(*audience, m.body, m_config.chat.maxRoomMembers);
}

Result<QList<Draft>> NotificationsService::filter(const QList<Draft> &drafts) const
{
    QList<Draft> out;
    QList<qint64> nameless;
    for (const Draft &d : drafts) {
        if (d.recipientId <= 0 || d.actorId == d.recipientId)
            continue;
        out.append(d);
        // Some events name the actor by id only (users.relation.changed, chat messages).
        if (d.actorId > 0 && d.actorName.isEmpty() && !nameless.contains(d.actorId))
            nameless.append(d.actorId);
    }
    if (!nameless.isEmpty() && m_directory) {
        if (auto users = m_directory->findByIds(nameless)) {
            QHash<qint64, QString> names;
            for (const Contracts::UserRecord &u : *users)
                names.insert(u.id, u.username);
            for (Draft &d : out)
                if (d.actorName.isEmpty())
                    d.actorName = names.value(d.actorId);
        }
    }
    if (!m_relations)
        return out;
    // Asked before our transaction opens (the contract must not wait for a connection we
    // hold); once per recipient in the batch, answered from users' cache (ADR 0015).
    QHash<qint64, QList<qint64>> hiddenOf;
    QList<Draft> kept;
    for (const Draft &d : out) {
        if (d.actorId <= 0) {
            kept.append(d);
            continue;
        }
        auto it = hiddenOf.constFind(d.recipientId);
        if (it == hiddenOf.constEnd()) {
            auto rel = m_relations->relationsOf(d.recipientId);
            if (!rel)
                return tl::unexpected(rel.error());
            it = hiddenOf.insert(d.recipientId, rel->hidden);
        }
        if (!std::binary_search(it->begin(), it->end(), d.actorId))
            kept.append(d);
    }
    return kept;
}

Result<int> NotificationsService::deliver(const QList<Draft> &drafts, bool asyncCommit)
{
    auto filtered = filter(drafts);
    if (!filtered)
        return tl::unexpected(filtered.error());
    if (filtered->isEmpty())
        return 0;
    // In chunks: the first notifications of a large batch do not wait for the last ones.
    // A chunk that fails after others committed makes the bus redeliver the events, and the
    // committed ones change nothing then (source keys).
    int total = 0;
    for (qsizetype from = 0; from < filtered->size(); from += m_config.projectionChunk) {
        const QList<Draft> chunk = filtered->mid(from, m_config.projectionChunk);
        auto stored = m_db.transact<int>([&](pqxx::work &tx) -> Result<int> {
            if (asyncCommit)
                tx.exec("SET LOCAL synchronous_commit = off");
            StoreBatch batch;
            int stored = 0;
            for (const Draft &d : chunk) {
                auto r = store(tx, d, batch);
                if (!r)
                    return tl::unexpected(r.error());
                stored += *r ? 1 : 0;
            }
            if (auto r = publishStored(tx, batch); !r)
                return tl::unexpected(r.error());
            return stored;
        });
        if (!stored)
            return stored;
        if (*stored > 0 && m_onStored)
            m_onStored();
        total += *stored;
    }
    return total;
}

Result<void> NotificationsService::publishStored(pqxx::transaction_base &tx, StoreBatch &batch)
{
    NotificationsRepository repo(tx);
    QHash<qint64, QJsonObject> unread;
    for (const auto &[userId, notification] : batch.frames) {
        auto u = unread.find(userId);
        if (u == unread.end())
            u = unread.insert(userId, unreadJson(repo.unreadByKind(userId)));
        const QJsonObject frame{{QStringLiteral("kind"), QStringLiteral("notification")},
                                {QStringLiteral("notification"), notification},
                                {QStringLiteral("unread"), *u}};
        if (auto seq = m_hub.publish(tx, userTopic(userId), frame); !seq)
            return tl::unexpected(seq.error());
    }
    batch.frames.clear();
    return {};
}

Result<bool> NotificationsService::store(pqxx::transaction_base &tx, const Draft &d, StoreBatch &batch)
{
    NotificationsRepository repo(tx);
    if (!repo.claimSource(d.recipientId, d.sourceKey))
        return false;
    // Claimed even when dropped below: a replay decides the same without asking again.
    PreferencesRepository prefs(tx);
    if (d.threadId && prefs.muted(PreferencesRepository::Mute::Thread, d.recipientId, *d.threadId))
        return false;
    if (d.roomId && prefs.muted(PreferencesRepository::Mute::Room, d.recipientId, *d.roomId))
        return false;
    auto p = batch.prefs.find(d.recipientId);
    if (p == batch.prefs.end())
        p = batch.prefs.insert(d.recipientId, prefs.load(d.recipientId));
    if (!p->enabled(d.kind, Channel::Inbox))
        return false;
    const Notification n = repo.upsert(d, m_config.shownActors);
    repo.linkSource(d.recipientId, d.sourceKey, n.id);
    const QJsonObject json = notificationJson(n);
    batch.frames.append({d.recipientId, json});
    if (m_delivery)
        m_delivery->enqueue(tx, *p, d, json, n.id);
    if (m_push)
        m_push->enqueue(tx, *p, d, json, n.id);
    if (m_sms)
        m_sms->enqueue(tx, *p, d, json, n.id);
    return true;
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
