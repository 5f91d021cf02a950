// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "messageservice.h"

#include "attachments.h"
#include "chatjson.h"
#include "communityaccess.h"
#include "markdown.h"

#include "community/contracts/auth.h"
#include "community/contracts/events/chat.h"
#include "community/contracts/files.h"
#include "community/contracts/search.h"
#include "community/contracts/users.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/json.h"
#include "community/realtime.h"

#include <QDateTime>
#include <QMutexLocker>

using namespace Community;

namespace Chat {

namespace {

Error blocked()
{
    return chatError(ErrorCode::Forbidden, QStringLiteral("blocked"), QStringLiteral("One of you has blocked the other."));
}

Error noMessage()
{
    return notFound(QStringLiteral("No such message."));
}

Error rateLimited(int seconds, const QString &slug, const QString &message)
{
    Error e = chatError(ErrorCode::RateLimited, slug, message);
    e.logDetail = QString::number(seconds);
    return e;
}

/// The mentioned accounts that are members of the room (only they are notified).
QList<qint64> memberMentions(ChatRepository &repo, qint64 roomId, const QList<qint64> &mentioned)
{
    QList<qint64> out;
    for (qint64 id : mentioned) {
        if (repo.member(roomId, id))
            out.append(id);
    }
    return out;
}

QString excerpt(const QString &body)
{
    return body.size() > 140 ? body.left(139) + QChar(0x2026) : body;
}

} // namespace

Result<QList<qint64>> MessageService::resolveMentions(const QStringList &names, qint64 senderId) const
{
    QList<qint64> ids;
    for (const QString &name : names) {
        auto user = m_ctx.directory->findByUsername(name);
        if (!user) {
            if (user.error().code == ErrorCode::NotFound)
                continue;   // "@nobody" stays text
            return tl::unexpected(user.error());
        }
        if (user->id != senderId && !ids.contains(user->id))
            ids.append(user->id);
    }
    return ids;
}

Result<void> MessageService::checkDm(const Principal &who, qint64 otherId) const
{
    if (otherId == who.userId)
        return tl::unexpected(invalidField(QStringLiteral("userId"), QStringLiteral("is yourself"), QStringLiteral("self")));
    auto other = m_ctx.directory->findById(otherId);
    if (!other || other->state != Contracts::AccountState::Active)
        return tl::unexpected(notFound(QStringLiteral("No such account.")));
    if (!m_ctx.relations)
        return {};
    // Either side's block refuses the DM: ask both viewers who blocks them.
    for (auto [viewer, other2] : {std::pair{who.userId, otherId}, std::pair{otherId, who.userId}}) {
        auto rel = m_ctx.relations->relationsOf(viewer);
        if (!rel)
            return tl::unexpected(rel.error());
        if (rel->isBlockedBy(other2))
            return tl::unexpected(blocked());
    }
    return {};
}

Result<MessageService::Prepared> MessageService::prepare(const Principal &who, const SendInput &in) const
{
    Markdown::MarkdownOptions opts;
    opts.maxInputBytes = qint64(m_ctx.config.maxMessageLength) * 4;
    opts.linkTarget = QStringLiteral("_blank");
    auto rendered = Markdown::renderMarkdown(in.body, opts);
    if (!rendered) {
        Error e = rendered.error();
        if (e.code == ErrorCode::InvalidArgument && e.fields.isEmpty())
            e = invalidField(QStringLiteral("body"), e.message, QStringLiteral("invalid"));
        return tl::unexpected(e);
    }
    if (rendered->mentions.size() > m_ctx.config.maxMentions)
        return tl::unexpected(invalidField(QStringLiteral("body"),
                                           QStringLiteral("at most %1 mentions").arg(m_ctx.config.maxMentions),
                                           QStringLiteral("too_many_mentions")));
    Prepared p;
    p.html = rendered->html;
    auto mentions = resolveMentions(rendered->mentions, who.userId);
    if (!mentions)
        return tl::unexpected(mentions.error());
    p.mentions = *mentions;
    auto attachments = checkAttachments(m_ctx, who, in.attachments);
    if (!attachments)
        return tl::unexpected(attachments.error());
    p.attachments = *attachments;
    if (in.dmUserId) {
        if (auto r = checkDm(who, in.dmUserId); !r)
            return tl::unexpected(r.error());
        p.dmLow = qMin(who.userId, in.dmUserId);
        p.dmHigh = qMax(who.userId, in.dmUserId);
    }
    return p;
}

Result<SendResult> MessageService::send(const Principal &who, const SendInput &in)
{
    auto prepared = prepare(who, in);
    if (!prepared)
        return tl::unexpected(prepared.error());
    // The references come first: once the message is committed its files cannot vanish.
    if (!in.attachments.isEmpty())
        if (auto r = acquireAttachments(m_ctx, attachmentHolder(who.userId, in.clientId), in.attachments); !r)
            return tl::unexpected(r.error());
    bool dmCreated = false;
    auto sent = m_ctx.db->transact<SendResult>([&](pqxx::work &tx) -> Result<SendResult> {
        dmCreated = false;
        return insert(tx, who, in, *prepared, &dmCreated);
    });
    if (!sent || !sent->created)
        settleAttachments(m_ctx, who.userId, in.clientId, in.attachments);
    if (sent && sent->created)
        m_ctx.metrics->messageSent();
    if (sent && dmCreated) {
        m_ctx.cache->set(sent->message.roomId, prepared->dmLow, true);
        m_ctx.cache->set(sent->message.roomId, prepared->dmHigh, true);
    }
    return sent;
}

Result<SendResult> MessageService::insert(pqxx::work &tx, const Principal &who, const SendInput &in, Prepared &p,
                                          bool *dmCreated)
{
    ChatRepository repo(tx);
    qint64 roomId = in.roomId;
    if (in.dmUserId) {
        auto [id, created] = repo.ensureDm(p.dmLow, p.dmHigh, 2);
        roomId = id;
        *dmCreated = created;
        for (qint64 u : {p.dmLow, p.dmHigh}) {
            if (!created)
                break;
            // The frame is how every node's membership cache learns of the pair.
            if (auto r = publishRoomFrame(m_ctx, tx, id, {{QStringLiteral("kind"), QStringLiteral("member.joined")},
                                                          {QStringLiteral("userId"), Json::idString(u)}}); !r)
                return tl::unexpected(r.error());
            if (m_ctx.events)
                if (auto r = Events::publishEvent(*m_ctx.events, tx,
                                                  Contracts::Events::Chat::MembershipChanged{id, u, true}); !r)
                    return tl::unexpected(r.error());
        }
    }
    if (!repo.lockRoom(roomId))
        return tl::unexpected(noRoom());
    // The rate limits are in memory: taken before the statement, given back when the
    // send turns out to be a retry or refused before them (as if never asked).
    int wait = 1;
    const bool userOk = m_ctx.userLimiter->take(who.userId, &wait);
    const bool roomOk = userOk && m_ctx.roomLimiter->take(roomId, &wait);
    auto giveBack = [&] {
        if (userOk)
            m_ctx.userLimiter->giveBack(who.userId);
        if (roomOk)
            m_ctx.roomLimiter->giveBack(roomId);
    };
    Message m;
    m.roomId = roomId;
    m.senderId = who.userId;
    m.clientId = in.clientId;
    m.body = in.body;
    m.html = p.html;
    m.threadRootId = in.threadRootId;
    m.attachments = p.attachments;
    // After the lock: a concurrent retry of the same message has committed by now, and
    // this statement's snapshot sees it.
    const SendCheck c = repo.sendMessage(m, p.mentions, m_ctx.config.floodWindowSeconds, userOk && roomOk);
    if (c.existingId) {
        giveBack();
        auto existing = repo.message(c.existingId);
        if (!existing || existing->roomId != roomId || existing->threadRootId != in.threadRootId)
            return tl::unexpected(chatError(ErrorCode::Conflict, QStringLiteral("client-id-reused"),
                                            QStringLiteral("This client message id was used for another message.")));
        QList<Message> one{*existing};
        repo.loadAttachments(one);
        return SendResult{one[0], false};
    }
    if (!c.member || !c.rootOk)
        giveBack();
    if (!c.member)
        return tl::unexpected(notMember());
    if (!c.rootOk)
        return tl::unexpected(invalidField(QStringLiteral("threadRootId"), QStringLiteral("no such message in this room"),
                                           QStringLiteral("not_found")));
    if (!userOk)
        return tl::unexpected(rateLimited(wait, QStringLiteral("rate-limited"), QStringLiteral("You are sending too fast.")));
    if (!roomOk)
        return tl::unexpected(rateLimited(wait, QStringLiteral("rate-limited"), QStringLiteral("This room is too busy.")));
    if (c.repeats)
        return tl::unexpected(rateLimited(m_ctx.config.floodWindowSeconds, QStringLiteral("duplicate-message"),
                                          QStringLiteral("You just sent the same message.")));
    if (!c.inserted)   // every check passed: only a vanished room leaves nothing inserted
        return tl::unexpected(noRoom());
    repo.insertAttachments(m.id, m.attachments);
    if (auto r = publishRoomFrame(m_ctx, tx, roomId, {{QStringLiteral("kind"), QStringLiteral("message.new")},
                                                       {QStringLiteral("message"), messageJson(m)}}); !r)
        return tl::unexpected(r.error());
    if (auto r = publishMentions(tx, repo, who, m); !r)
        return tl::unexpected(r.error());
    if (m_ctx.events)
        if (auto r = Events::publishEvent(*m_ctx.events, tx, Contracts::Events::Chat::MessageCreated{m.id, roomId, who.userId, m.body, m.createdAt}); !r)
            return tl::unexpected(r.error());
    return SendResult{m, true};
}

Result<void> MessageService::publishMentions(pqxx::work &tx, ChatRepository &repo, const Principal &who, const Message &m)
{
    Q_UNUSED(repo);
    if (!m_ctx.events)
        return {};
    for (qint64 id : m.mentions) {
        Contracts::Events::Chat::UserMentioned e{id, m.roomId, m.id, who.userId, who.username, excerpt(m.body)};
        if (auto r = Events::publishEvent(*m_ctx.events, tx, e); !r)
            return tl::unexpected(r.error());
    }
    return {};
}

Result<HistoryPage> MessageService::history(const Principal &who, qint64 roomId, const HistoryQuery &q)
{
    // Autocommit reads (no BEGIN/COMMIT round trips): in READ COMMITTED each statement
    // had its own snapshot inside the transaction too.
    return m_ctx.db->read<HistoryPage>([&](pqxx::nontransaction &tx) -> Result<HistoryPage> {
        ChatRepository repo(tx);
        if (auto room = readableRoom(repo, who, roomId); !room)
            return tl::unexpected(room.error());
        if (q.threadRootId) {
            auto root = repo.message(q.threadRootId);
            if (!root || root->roomId != roomId || root->threadRootId)
                return tl::unexpected(noMessage());
        }
        HistoryPage page = repo.history(roomId, q);
        repo.loadReactions(page.items, who.userId);
        repo.loadAttachments(page.items);
        if (q.threadRootId)
            page.threadUnread = repo.threadUnread(q.threadRootId, who.userId);
        return page;
    });
}

Result<Message> MessageService::target(ChatRepository &repo, const Principal &who, qint64 roomId, qint64 messageId,
                                       std::optional<Member> *me, bool moderator)
{
    if (moderator) {
        if (!repo.lockRoom(roomId))
            return tl::unexpected(noRoom());
        *me = repo.member(roomId, who.userId);
    } else if (auto room = readableRoom(repo, who, roomId, me, true); !room) {
        return tl::unexpected(room.error());
    }
    auto m = repo.message(messageId);
    if (!m || m->roomId != roomId)
        return tl::unexpected(noMessage());
    return *m;
}

Result<Message> MessageService::edit(const Principal &who, qint64 roomId, qint64 messageId, const QString &body)
{
    auto prepared = prepare(who, SendInput{roomId, 0, {}, body, 0});
    if (!prepared)
        return tl::unexpected(prepared.error());
    return m_ctx.db->transact<Message>([&](pqxx::work &tx) -> Result<Message> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        auto m = target(repo, who, roomId, messageId, &me);
        if (!m)
            return m;
        if (m->senderId != who.userId || m->deleted())
            return tl::unexpected(chatError(ErrorCode::Forbidden, QStringLiteral("not-allowed"),
                                            QStringLiteral("Only the sender edits a message, and not once deleted.")));
        if (m->createdAt.msecsTo(QDateTime::currentDateTimeUtc()) > qint64(m_ctx.config.editWindowSeconds) * 1000)
            return tl::unexpected(chatError(ErrorCode::Forbidden, QStringLiteral("edit-window-closed"),
                                            QStringLiteral("This message is too old to edit.")));
        repo.editMessage(messageId, m->body, body, prepared->html, memberMentions(repo, roomId, prepared->mentions));
        Message updated = *repo.message(messageId);
        QList<Message> one{updated};
        repo.loadReactions(one, who.userId);
        repo.loadAttachments(one);
        if (m_ctx.events) {
            const Contracts::Events::Chat::MessageRevised e{updated.id, roomId, updated.senderId, updated.body, updated.createdAt};
            if (auto r = Events::publishEvent(*m_ctx.events, tx, e); !r)
                return tl::unexpected(r.error());
        }
        auto r = publishRoomFrame(m_ctx, tx, roomId, {{QStringLiteral("kind"), QStringLiteral("message.edited")},
                                                      {QStringLiteral("message"), messageJson(one[0])}});
        if (!r)
            return tl::unexpected(r.error());
        return one[0];
    });
}

Result<Message> MessageService::remove(const Principal &who, qint64 roomId, qint64 messageId)
{
    // The channel's community moderators (asked before the transaction) delete in it too,
    // members of the room or not.
    auto peeked = peekRoom(m_ctx, roomId);
    if (!peeked)
        return tl::unexpected(peeked.error());
    auto channelModerator = *peeked ? moderatesChannel(m_ctx, who, **peeked) : Result<bool>(false);
    if (!channelModerator)
        return tl::unexpected(channelModerator.error());
    auto removed = m_ctx.db->transact<Message>([&](pqxx::work &tx) -> Result<Message> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        auto m = target(repo, who, roomId, messageId, &me, *channelModerator);
        if (!m)
            return m;
        const bool mayModerate = who.hasRole(Role::Admin) || (me && int(me->role) >= int(MemberRole::Admin))
            || *channelModerator;
        if (m->senderId != who.userId && !mayModerate)
            return tl::unexpected(chatError(ErrorCode::Forbidden, QStringLiteral("not-allowed"),
                                            QStringLiteral("You may not delete this message.")));
        if (m->deleted())
            return *m;
        repo.softDelete(messageId);
        const Message deleted = *repo.message(messageId);
        if (auto r = publishDeleted(m_ctx, tx, deleted); !r)
            return tl::unexpected(r.error());
        return deleted;
    });
    if (removed)
        drainReleases(m_ctx);   // the references the delete queued (the sweep retries a failure)
    return removed;
}

Result<QList<MessageEdit>> MessageService::edits(const Principal &who, qint64 roomId, qint64 messageId)
{
    return m_ctx.db->transact<QList<MessageEdit>>([&](pqxx::work &tx) -> Result<QList<MessageEdit>> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        auto m = target(repo, who, roomId, messageId, &me);
        if (!m)
            return tl::unexpected(m.error());
        const bool may = m->senderId == who.userId || who.hasRole(Role::Moderator)
            || (me && int(me->role) >= int(MemberRole::Admin));
        if (!may)
            return tl::unexpected(chatError(ErrorCode::Forbidden, QStringLiteral("not-allowed"),
                                            QStringLiteral("Only the sender, room admins and moderators see edits.")));
        return repo.edits(messageId);
    });
}

Result<bool> MessageService::react(const Principal &who, qint64 roomId, qint64 messageId, const QString &emoji, bool add)
{
    if (!m_ctx.config.reactions.contains(emoji))
        return tl::unexpected(invalidField(QStringLiteral("emoji"), QStringLiteral("not one of the allowed reactions"),
                                           QStringLiteral("invalid_reaction")));
    return m_ctx.db->transact<bool>([&](pqxx::work &tx) -> Result<bool> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        auto m = target(repo, who, roomId, messageId, &me);
        if (!m)
            return tl::unexpected(m.error());
        if (!me)
            return tl::unexpected(notMember());
        if (m->deleted())
            return tl::unexpected(noMessage());
        const bool changed = add ? repo.addReaction(messageId, who.userId, emoji)
                                 : repo.removeReaction(messageId, who.userId, emoji);
        if (!changed)
            return false;
        auto r = publishRoomFrame(m_ctx, tx, roomId, {
            {QStringLiteral("kind"), add ? QStringLiteral("reaction.added") : QStringLiteral("reaction.removed")},
            {QStringLiteral("messageId"), Json::idString(messageId)},
            {QStringLiteral("userId"), Json::idString(who.userId)},
            {QStringLiteral("emoji"), emoji}});
        if (!r)
            return tl::unexpected(r.error());
        return true;
    });
}

Result<qint64> MessageService::markRead(const Principal &who, qint64 roomId, qint64 seq, qint64 threadRootId)
{
    return m_ctx.db->transact<qint64>([&](pqxx::work &tx) -> Result<qint64> {
        ChatRepository repo(tx);
        auto room = repo.room(roomId);
        if (!room)
            return tl::unexpected(noRoom());
        if (!repo.member(roomId, who.userId))
            return tl::unexpected(notMember());
        if (threadRootId) {
            auto root = repo.message(threadRootId);
            if (!root || root->roomId != roomId || root->threadRootId)
                return tl::unexpected(invalidField(QStringLiteral("threadRootId"), QStringLiteral("no such thread in this room"),
                                                   QStringLiteral("not_found")));
            return repo.markThreadRead(threadRootId, who.userId, qMin(seq, room->lastSeq));
        }
        return repo.markRead(roomId, who.userId, seq);
    });
}

Result<Receipts> MessageService::receipts(const Principal &who, qint64 roomId, qint64 messageId)
{
    return m_ctx.db->transact<Receipts>([&](pqxx::work &tx) -> Result<Receipts> {
        ChatRepository repo(tx);
        std::optional<Member> me;
        auto room = readableRoom(repo, who, roomId, &me);
        if (!room)
            return tl::unexpected(room.error());
        auto m = repo.message(messageId);
        if (!m || m->roomId != roomId || m->threadRootId)
            return tl::unexpected(noMessage());
        if (repo.hidesReceipts(who.userId))
            return tl::unexpected(chatError(ErrorCode::Forbidden, QStringLiteral("receipts-hidden"),
                                            QStringLiteral("You hide your own read receipts, so you do not see others'.")));
        return Receipts{repo.seenBy(roomId, m->seq, m->senderId)};
    });
}

Result<void> MessageService::setHideReceipts(qint64 userId, bool hide)
{
    return m_ctx.db->transact<void>([&](pqxx::work &tx) -> Result<void> {
        ChatRepository(tx).setHidesReceipts(userId, hide);
        return {};
    });
}

Result<bool> MessageService::hidesReceipts(qint64 userId)
{
    return m_ctx.db->read<bool>([&](pqxx::nontransaction &tx) -> Result<bool> {
        return ChatRepository(tx).hidesReceipts(userId);
    });
}

Result<bool> MessageService::typing(const Principal &who, qint64 roomId)
{
    if (!m_ctx.cache->contains(roomId, who.userId))
        return tl::unexpected(notMember());
    {
        QMutexLocker lock(&m_typingMutex);
        if (m_typingAt.size() > 100'000)
            m_typingAt.clear();
        const qint64 key = (roomId << 24) ^ who.userId;
        if (!RateLimiter::once(m_typingAt, key, QDateTime::currentMSecsSinceEpoch(), m_ctx.config.typingIntervalMs)) {
            m_ctx.metrics->typing(false);
            return false;
        }
    }
    m_ctx.metrics->typing(true);
    deliverTyping(m_ctx, roomId, who.userId);
    return true;
}

Result<SearchPage> MessageService::search(const Principal &who, qint64 roomId, const QString &query, int limit,
                                          qint64 before)
{
    if (!m_ctx.search)
        return tl::unexpected(chatError(ErrorCode::Unavailable, QStringLiteral("search-unavailable"),
                                        QStringLiteral("Searching a room needs the search service, which is not running here.")));
    auto allowed = m_ctx.db->read<bool>([&](pqxx::nontransaction &tx) -> Result<bool> {
        ChatRepository repo(tx);
        if (auto room = readableRoom(repo, who, roomId); !room)
            return tl::unexpected(room.error());
        return true;
    });
    if (!allowed)
        return tl::unexpected(allowed.error());
    auto hits = m_ctx.search->searchRoom(roomId, query, limit, before);
    if (!hits)
        return tl::unexpected(hits.error());
    SearchPage page;
    if (hits->isEmpty())
        return page;
    QList<qint64> ids;
    for (const auto &h : *hits)
        ids.append(h.messageId);
    auto loaded = m_ctx.db->transact<QList<Message>>([&](pqxx::work &tx) -> Result<QList<Message>> {
        ChatRepository repo(tx);
        QList<Message> found = repo.messages(ids);
        repo.loadReactions(found, who.userId);
        repo.loadAttachments(found);
        return found;
    });
    if (!loaded)
        return tl::unexpected(loaded.error());
    QHash<qint64, Message> byId;
    for (const Message &m : *loaded)
        byId.insert(m.id, m);
    // The index trails the messages: what was deleted (or moved) since is checked here.
    for (const auto &h : *hits) {
        const auto it = byId.constFind(h.messageId);
        if (it == byId.cend() || it->roomId != roomId || it->deleted())
            continue;
        page.items.append(*it);
        page.snippets.append(h.snippet);
    }
    if (hits->size() >= limit)
        page.nextBefore = hits->last().messageId;
    return page;
}

Result<QString> MessageService::attachmentLink(const Principal &who, qint64 roomId, qint64 messageId, qint64 fileId)
{
    if (!m_ctx.files)
        return tl::unexpected(chatError(ErrorCode::Unavailable, QStringLiteral("attachments-unavailable"),
                                        QStringLiteral("Attachments need the files service, which is not running here.")));
    auto found = m_ctx.db->transact<bool>([&](pqxx::work &tx) -> Result<bool> {
        ChatRepository repo(tx);
        if (auto room = readableRoom(repo, who, roomId); !room)
            return tl::unexpected(room.error());
        auto m = repo.message(messageId);
        if (!m || m->roomId != roomId || m->deleted())
            return tl::unexpected(noMessage());
        QList<Message> one{*m};
        repo.loadAttachments(one);
        for (const Attachment &a : one[0].attachments)
            if (a.fileId == fileId)
                return true;
        return false;
    });
    if (!found)
        return tl::unexpected(found.error());
    if (!*found)
        return tl::unexpected(notFound(QStringLiteral("No such attachment.")));
    return m_ctx.files->signedPath(fileId, m_ctx.config.attachmentLinkSeconds);
}

} // namespace Chat
