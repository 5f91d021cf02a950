// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chatrepository.h"

#include <QStringList>

#include <algorithm>
#include <limits>

namespace Chat {

namespace {

std::string s(const QString &q) { return q.toStdString(); }

QString text(const pqxx::field &f) { return f.is_null() ? QString() : QString::fromUtf8(f.c_str()); }

QDateTime micros(const pqxx::field &f)
{
    return f.is_null() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(f.as<qint64>() / 1000, Qt::UTC);
}

std::string idArray(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    return "{" + parts.join(QLatin1Char(',')).toStdString() + "}";
}

QList<qint64> parseIdArray(const pqxx::field &f)
{
    QList<qint64> out;
    QString t = text(f);
    t.remove(QLatin1Char('{')).remove(QLatin1Char('}'));
    for (const QString &p : t.split(QLatin1Char(','), Qt::SkipEmptyParts))
        out.append(p.toLongLong());
    return out;
}

#define US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"

constexpr const char *kRoomColumns =
    "id, kind, name, topic, community_id, dm_low, dm_high, member_limit, member_count, last_seq, created_by, "
    US("created_at");

Room roomFrom(const pqxx::row &r, int at = 0)
{
    Room room;
    room.id = r[at].as<qint64>();
    room.kind = parseKind(text(r[at + 1])).value_or(RoomKind::Group);
    room.name = text(r[at + 2]);
    room.topic = text(r[at + 3]);
    room.communityId = r[at + 4].is_null() ? 0 : r[at + 4].as<qint64>();
    if (!r[at + 5].is_null())
        room.dmPair = {r[at + 5].as<qint64>(), r[at + 6].as<qint64>()};
    room.memberLimit = r[at + 7].as<int>();
    room.memberCount = r[at + 8].as<int>();
    room.lastSeq = r[at + 9].as<qint64>();
    room.createdBy = r[at + 10].as<qint64>();
    room.createdAt = micros(r[at + 11]);
    return room;
}

constexpr const char *kMessageColumns =
    "id, room_id, seq, sender_id, client_id, body, html, mentions::text, coalesce(thread_root_id, 0), reply_count, "
    US("created_at") ", " US("edited_at") ", " US("deleted_at");

Message messageFrom(const pqxx::row &r)
{
    Message m;
    m.id = r[0].as<qint64>();
    m.roomId = r[1].as<qint64>();
    m.seq = r[2].as<qint64>();
    m.senderId = r[3].as<qint64>();
    m.clientId = text(r[4]);
    m.body = text(r[5]);
    m.html = text(r[6]);
    m.mentions = parseIdArray(r[7]);
    m.threadRootId = r[8].as<qint64>();
    m.replyCount = r[9].as<int>();
    m.createdAt = micros(r[10]);
    m.editedAt = micros(r[11]);
    m.deletedAt = micros(r[12]);
    return m;
}

std::optional<Room> firstRoom(const pqxx::result &r)
{
    if (r.empty())
        return std::nullopt;
    return roomFrom(r[0]);
}

std::optional<Message> firstMessage(const pqxx::result &r)
{
    if (r.empty())
        return std::nullopt;
    return messageFrom(r[0]);
}

/// The statements of the send and history paths (and of the lookups every route makes)
/// are prepared once per connection: PostgreSQL spent most of the chat benchmark's CPU
/// parsing and planning them anew (README "Chat"). libpqxx keeps the definition;
/// registering the same name and text again is a string compare.
template<typename... Args>
pqxx::result prepared(pqxx::transaction_base &tx, const char *name, const std::string &sql, Args &&...args)
{
    tx.conn().prepare(name, sql);
    return tx.exec_prepared(name, std::forward<Args>(args)...);
}

std::optional<Member> memberFrom(const pqxx::row &r, int at = 0)
{
    if (r[at].is_null())
        return std::nullopt;
    return Member{r[at].as<qint64>(), parseMemberRole(text(r[at + 1])).value_or(MemberRole::Member), r[at + 2].as<qint64>(),
                  micros(r[at + 3])};
}

} // namespace

std::optional<Room> ChatRepository::room(qint64 id)
{
    static const std::string sql = std::string("SELECT ") + kRoomColumns + " FROM chat.rooms WHERE id = $1";
    return firstRoom(prepared(m_tx, "chat_room", sql, id));
}

std::optional<Room> ChatRepository::lockRoom(qint64 id)
{
    static const std::string sql = std::string("SELECT ") + kRoomColumns + " FROM chat.rooms WHERE id = $1 FOR UPDATE";
    return firstRoom(prepared(m_tx, "chat_lock_room", sql, id));
}

std::optional<std::pair<Room, std::optional<Member>>> ChatRepository::roomWithMember(qint64 roomId, qint64 userId)
{
    static const std::string sql = std::string("SELECT ") + kRoomColumns
        + ", m.user_id, m.role, m.last_read_seq, " US("m.joined_at")   // no column name of rooms is also one of members
          " FROM chat.rooms r LEFT JOIN chat.members m ON m.room_id = r.id AND m.user_id = $2 WHERE r.id = $1";
    const pqxx::result r = prepared(m_tx, "chat_room_member", sql, roomId, userId);
    if (r.empty())
        return std::nullopt;
    return std::pair{roomFrom(r[0]), memberFrom(r[0], 12)};
}

std::optional<Room> ChatRepository::dmRoom(qint64 low, qint64 high)
{
    return firstRoom(m_tx.exec_params(std::string("SELECT ") + kRoomColumns
                                          + " FROM chat.rooms WHERE kind = 'dm' AND dm_low = $1 AND dm_high = $2",
                                      low, high));
}

std::pair<qint64, bool> ChatRepository::ensureDm(qint64 low, qint64 high, int memberLimit)
{
    const pqxx::result r = m_tx.exec_params(
        "INSERT INTO chat.rooms (kind, dm_low, dm_high, member_limit, created_by) VALUES ('dm', $1, $2, $3, $1) "
        "ON CONFLICT (dm_low, dm_high) WHERE kind = 'dm' DO NOTHING RETURNING id",
        low, high, memberLimit);
    if (!r.empty()) {
        const qint64 id = r[0][0].as<qint64>();
        addMember(id, low, MemberRole::Member);
        addMember(id, high, MemberRole::Member);
        return {id, true};
    }
    return {dmRoom(low, high)->id, false};
}

qint64 ChatRepository::createRoom(const Room &room)
{
    const std::optional<qint64> community = room.communityId ? std::optional<qint64>(room.communityId) : std::nullopt;
    return m_tx.exec_params1(
        "INSERT INTO chat.rooms (kind, name, topic, community_id, member_limit, created_by) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        s(kindName(room.kind)), s(room.name), s(room.topic), community, room.memberLimit, room.createdBy)[0].as<qint64>();
}

void ChatRepository::updateRoom(qint64 id, const std::optional<QString> &name, const std::optional<QString> &topic)
{
    m_tx.exec_params("UPDATE chat.rooms SET name = coalesce($2, name), topic = coalesce($3, topic) WHERE id = $1", id,
                     name ? std::optional<std::string>(s(*name)) : std::nullopt,
                     topic ? std::optional<std::string>(s(*topic)) : std::nullopt);
}

std::optional<Member> ChatRepository::member(qint64 roomId, qint64 userId)
{
    const pqxx::result r = prepared(
        m_tx, "chat_member",
        "SELECT user_id, role, last_read_seq, " US("joined_at") " FROM chat.members WHERE room_id = $1 AND user_id = $2",
        roomId, userId);
    if (r.empty())
        return std::nullopt;
    return memberFrom(r[0]);
}

bool ChatRepository::addMember(qint64 roomId, qint64 userId, MemberRole role)
{
    // A new member has read everything before it joined.
    const pqxx::result r = m_tx.exec_params(
        "INSERT INTO chat.members (room_id, user_id, role, last_read_seq) "
        "SELECT $1, $2, $3, last_seq FROM chat.rooms WHERE id = $1 ON CONFLICT DO NOTHING RETURNING 1",
        roomId, userId, s(memberRoleName(role)));
    if (r.empty())
        return false;
    m_tx.exec_params("UPDATE chat.rooms SET member_count = member_count + 1 WHERE id = $1", roomId);
    return true;
}

bool ChatRepository::removeMember(qint64 roomId, qint64 userId)
{
    const pqxx::result r = m_tx.exec_params(
        "DELETE FROM chat.members WHERE room_id = $1 AND user_id = $2 RETURNING 1", roomId, userId);
    if (r.empty())
        return false;
    m_tx.exec_params("UPDATE chat.rooms SET member_count = member_count - 1 WHERE id = $1", roomId);
    return true;
}

void ChatRepository::setRole(qint64 roomId, qint64 userId, MemberRole role)
{
    m_tx.exec_params("UPDATE chat.members SET role = $3 WHERE room_id = $1 AND user_id = $2", roomId, userId,
                     s(memberRoleName(role)));
}

QList<Member> ChatRepository::members(qint64 roomId)
{
    QList<Member> out;
    for (const auto &row : prepared(
             m_tx, "chat_members",
             "SELECT user_id, role, last_read_seq, " US("joined_at")
             " FROM chat.members WHERE room_id = $1 ORDER BY joined_at, user_id", roomId))
        out.append({row[0].as<qint64>(), parseMemberRole(text(row[1])).value_or(MemberRole::Member), row[2].as<qint64>(),
                    micros(row[3])});
    return out;
}

QList<RoomView> ChatRepository::roomsOf(qint64 userId)
{
    QList<RoomView> out;
    const pqxx::result r = m_tx.exec_params(
        std::string("SELECT m.role, m.last_read_seq, "
                    "(SELECT count(*) FROM chat.messages x WHERE x.room_id = r.id AND x.seq > m.last_read_seq "
                    "  AND x.sender_id <> $1 AND x.deleted_at IS NULL AND x.thread_root_id IS NULL), "
                    "(SELECT count(*) FROM chat.messages x WHERE x.room_id = r.id AND x.seq > m.last_read_seq "
                    "  AND x.sender_id <> $1 AND x.deleted_at IS NULL AND $1 = ANY (x.mentions)), ")
            + kRoomColumns   // no column name of rooms is also one of members
            + " FROM chat.members m JOIN chat.rooms r ON r.id = m.room_id WHERE m.user_id = $1 ORDER BY r.last_seq DESC, r.id",
        userId);
    for (const auto &row : r) {
        RoomView v;
        v.role = parseMemberRole(text(row[0])).value_or(MemberRole::Member);
        v.lastReadSeq = row[1].as<qint64>();
        v.unread = row[2].as<qint64>();
        v.mentions = row[3].as<qint64>();
        v.room = roomFrom(row, 4);
        out.append(v);
    }
    return out;
}

QHash<qint64, QSet<qint64>> ChatRepository::allMemberships()
{
    QHash<qint64, QSet<qint64>> out;
    for (const auto &row : m_tx.exec("SELECT room_id, user_id FROM chat.members"))
        out[row[0].as<qint64>()].insert(row[1].as<qint64>());
    return out;
}

std::optional<Message> ChatRepository::message(qint64 id)
{
    static const std::string sql = std::string("SELECT ") + kMessageColumns + " FROM chat.messages WHERE id = $1";
    return firstMessage(prepared(m_tx, "chat_message", sql, id));
}

SendCheck ChatRepository::sendMessage(Message &m, const QList<qint64> &mentioned, int floodSeconds, bool allowed)
{
    // One statement after lockRoom(), so its snapshot sees every send of the room that
    // committed before the lock was ours: the sender's message with this client id, the
    // membership, the thread root, the flood check; then (only when all pass and the
    // caller's rate limits allowed it) the next sequence, the row (mentions kept to
    // members, in order) and the root's reply count.
    static const std::string sql =
        "WITH existing AS (SELECT id FROM chat.messages WHERE sender_id = $2 AND client_id = $3),"
        " me AS (SELECT 1 FROM chat.members WHERE room_id = $1 AND user_id = $2),"
        " root AS (SELECT 1 FROM chat.messages WHERE id = $7 AND room_id = $1 AND thread_root_id IS NULL"
        "          AND deleted_at IS NULL),"
        " latest AS (SELECT body = $4 AND created_at > now() - make_interval(secs => $8) AS same FROM chat.messages"
        "            WHERE $8 > 0 AND room_id = $1 AND sender_id = $2 ORDER BY seq DESC LIMIT 1),"
        " checks AS (SELECT (SELECT id FROM existing) AS existing, EXISTS (SELECT 1 FROM me) AS member,"
        "            ($7::bigint IS NULL OR EXISTS (SELECT 1 FROM root)) AS root_ok,"
        "            coalesce((SELECT same FROM latest), false) AS repeats),"
        " go AS (SELECT 1 FROM checks WHERE $9 AND existing IS NULL AND member AND root_ok AND NOT repeats),"
        " s AS (UPDATE chat.rooms SET last_seq = last_seq + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM go)"
        "       RETURNING last_seq),"
        " ins AS (INSERT INTO chat.messages (room_id, seq, sender_id, client_id, body, html, mentions, thread_root_id)"
        "         SELECT $1, s.last_seq, $2, $3, $4, $5,"
        "                ARRAY(SELECT u.x FROM unnest($6::bigint[]) WITH ORDINALITY u (x, o)"
        "                      WHERE EXISTS (SELECT 1 FROM chat.members WHERE room_id = $1 AND user_id = u.x) ORDER BY u.o),"
        "                $7 FROM s"
        "         RETURNING id, seq, " US("created_at") " AS at, mentions::text AS mentions),"
        " reply AS (UPDATE chat.messages SET reply_count = reply_count + 1 WHERE id = $7 AND EXISTS (SELECT 1 FROM ins))"
        " SELECT c.existing, c.member, c.root_ok, c.repeats, i.id, i.seq, i.at, i.mentions FROM checks c LEFT JOIN ins i ON true";
    const std::optional<qint64> root = m.threadRootId ? std::optional<qint64>(m.threadRootId) : std::nullopt;
    const pqxx::row r = prepared(m_tx, "chat_send", sql, m.roomId, m.senderId, s(m.clientId), s(m.body), s(m.html),
                                 idArray(mentioned), root, floodSeconds, allowed)[0];
    SendCheck c;
    c.existingId = r[0].is_null() ? 0 : r[0].as<qint64>();
    c.member = r[1].as<bool>();
    c.rootOk = r[2].as<bool>();
    c.repeats = r[3].as<bool>();
    c.inserted = !r[4].is_null();
    if (c.inserted) {
        m.id = r[4].as<qint64>();
        m.seq = r[5].as<qint64>();
        m.createdAt = micros(r[6]);
        m.mentions = parseIdArray(r[7]);
    }
    return c;
}

QList<Message> ChatRepository::messages(const QList<qint64> &ids)
{
    QList<Message> out;
    for (const auto &row : m_tx.exec_params(std::string("SELECT ") + kMessageColumns
                                                + " FROM chat.messages WHERE id = ANY ($1::bigint[])",
                                            idArray(ids)))
        out.append(messageFrom(row));
    return out;
}

void ChatRepository::editMessage(qint64 id, const QString &oldBody, const QString &body, const QString &html,
                                 const QList<qint64> &mentions)
{
    m_tx.exec_params("INSERT INTO chat.message_edits (message_id, body) VALUES ($1, $2)", id, s(oldBody));
    m_tx.exec_params("UPDATE chat.messages SET body = $2, html = $3, mentions = $4::bigint[], edited_at = now() "
                     "WHERE id = $1",
                     id, s(body), s(html), idArray(mentions));
}

void ChatRepository::softDelete(qint64 id)
{
    m_tx.exec_params("UPDATE chat.messages SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL", id);
}

bool ChatRepository::restore(qint64 id)
{
    return m_tx.exec_params("UPDATE chat.messages SET deleted_at = NULL WHERE id = $1 AND deleted_at IS NOT NULL", id)
               .affected_rows()
        > 0;
}

QList<MessageEdit> ChatRepository::edits(qint64 messageId)
{
    QList<MessageEdit> out;
    for (const auto &row : m_tx.exec_params(
             "SELECT body, " US("edited_at") " FROM chat.message_edits WHERE message_id = $1 ORDER BY id", messageId))
        out.append({text(row[0]), micros(row[1])});
    return out;
}

HistoryPage ChatRepository::history(qint64 roomId, const HistoryQuery &q)
{
    // The room's timeline and a thread (its root and replies) are separate statements, so
    // that each prepared plan walks its own index: (room_id, seq) or messages_thread.
    static const std::string select = std::string("SELECT ") + kMessageColumns + " FROM chat.messages WHERE room_id = $1 ";
    static const std::string sql[2][2] = {
        {select + "AND thread_root_id IS NULL AND seq < $2 ORDER BY seq DESC LIMIT $3",
         select + "AND thread_root_id IS NULL AND seq >= $2 ORDER BY seq LIMIT $3"},
        {select + "AND (id = $4 OR thread_root_id = $4) AND seq < $2 ORDER BY seq DESC LIMIT $3",
         select + "AND (id = $4 OR thread_root_id = $4) AND seq >= $2 ORDER BY seq LIMIT $3"}};
    static const char *const names[2][2] = {{"chat_history_older", "chat_history_newer"},
                                            {"chat_thread_older", "chat_thread_newer"}};
    auto rows = [&](bool newer, qint64 seq, int n) {
        const int kind = q.threadRootId ? 1 : 0;
        const char *name = names[kind][newer];
        return kind ? prepared(m_tx, name, sql[kind][newer], roomId, seq, n, q.threadRootId)
                    : prepared(m_tx, name, sql[kind][newer], roomId, seq, n);
    };
    auto older = [&](qint64 below, int n) {
        QList<Message> out;
        for (const auto &row : rows(false, below, n))
            out.prepend(messageFrom(row));
        return out;
    };
    auto newer = [&](qint64 from, int n) {
        QList<Message> out;
        for (const auto &row : rows(true, from, n))
            out.append(messageFrom(row));
        return out;
    };
    HistoryPage page;
    QList<Message> before;
    QList<Message> after;
    using A = HistoryQuery::Anchor;
    const int beforeCount = q.anchor == A::Around ? q.limit / 2 : q.anchor == A::After ? 0 : q.limit;
    if (q.anchor != A::After) {
        const qint64 below = q.anchor == A::Latest ? std::numeric_limits<qint64>::max() : q.seq;
        before = older(below, beforeCount + 1);
        page.moreBefore = before.size() > beforeCount;
        if (page.moreBefore)
            before.removeFirst();
    }
    if (q.anchor == A::After || q.anchor == A::Around) {
        const int afterCount = q.limit - beforeCount;
        after = newer(q.anchor == A::After ? q.seq + 1 : q.seq, afterCount + 1);
        page.moreAfter = after.size() > afterCount;
        if (page.moreAfter)
            after.removeLast();
    } else if (q.anchor == A::Before) {
        page.moreAfter = !newer(q.seq, 1).isEmpty();
    }
    page.items = before + after;
    return page;
}

void ChatRepository::loadReactions(QList<Message> &messages, qint64 viewerId)
{
    if (messages.isEmpty())
        return;
    QList<qint64> ids;
    for (const Message &m : messages)
        ids.append(m.id);
    QHash<qint64, QList<Reaction>> byMessage;
    for (const auto &row : prepared(
             m_tx, "chat_reactions",
             "SELECT message_id, emoji, count(*), bool_or(user_id = $2) FROM chat.reactions "
             "WHERE message_id = ANY ($1::bigint[]) GROUP BY message_id, emoji ORDER BY message_id, min(created_at), emoji",
             idArray(ids), viewerId))
        byMessage[row[0].as<qint64>()].append({text(row[1]), row[2].as<int>(), row[3].as<bool>()});
    for (Message &m : messages)
        m.reactions = byMessage.value(m.id);
}

void ChatRepository::insertAttachments(qint64 messageId, const QList<Attachment> &attachments)
{
    for (int i = 0; i < attachments.size(); ++i) {
        const Attachment &a = attachments[i];
        m_tx.exec_params("INSERT INTO chat.attachments (message_id, position, file_id, name, media_type, size) "
                         "VALUES ($1, $2, $3, $4, $5, $6)",
                         messageId, i, a.fileId, s(a.name), s(a.mediaType), a.size);
    }
}

void ChatRepository::loadAttachments(QList<Message> &messages)
{
    if (messages.isEmpty())
        return;
    QList<qint64> ids;
    for (const Message &m : messages)
        ids.append(m.id);
    QHash<qint64, QList<Attachment>> byMessage;
    for (const auto &row : prepared(
             m_tx, "chat_attachments",
             "SELECT message_id, file_id, name, media_type, size FROM chat.attachments "
             "WHERE message_id = ANY ($1::bigint[]) ORDER BY message_id, position",
             idArray(ids)))
        byMessage[row[0].as<qint64>()].append({row[1].as<qint64>(), text(row[2]), text(row[3]), row[4].as<qint64>()});
    for (Message &m : messages)
        m.attachments = byMessage.value(m.id);
}

QList<qint64> ChatRepository::attachedFiles(qint64 senderId, const QString &clientId)
{
    QList<qint64> out;
    for (const auto &row : m_tx.exec_params(
             "SELECT a.file_id FROM chat.attachments a JOIN chat.messages m ON m.id = a.message_id "
             "WHERE m.sender_id = $1 AND m.client_id = $2 ORDER BY a.position",
             senderId, s(clientId)))
        out.append(row[0].as<qint64>());
    return out;
}

QList<std::tuple<qint64, qint64, QString>> ChatRepository::lockReleases(int limit)
{
    QList<std::tuple<qint64, qint64, QString>> out;
    for (const auto &row : m_tx.exec_params(
             "SELECT id, file_id, holder FROM chat.attachment_releases ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED", limit))
        out.append({row[0].as<qint64>(), row[1].as<qint64>(), text(row[2])});
    return out;
}

void ChatRepository::deleteReleases(const QList<qint64> &ids)
{
    m_tx.exec_params("DELETE FROM chat.attachment_releases WHERE id = ANY ($1::bigint[])", idArray(ids));
}

void ChatRepository::cancelReleases(const QString &holder)
{
    m_tx.exec_params("DELETE FROM chat.attachment_releases WHERE holder = $1", s(holder));
}

bool ChatRepository::addReaction(qint64 messageId, qint64 userId, const QString &emoji)
{
    return !m_tx.exec_params("INSERT INTO chat.reactions (message_id, user_id, emoji) VALUES ($1, $2, $3) "
                             "ON CONFLICT DO NOTHING RETURNING 1",
                             messageId, userId, s(emoji)).empty();
}

bool ChatRepository::removeReaction(qint64 messageId, qint64 userId, const QString &emoji)
{
    return !m_tx.exec_params("DELETE FROM chat.reactions WHERE message_id = $1 AND user_id = $2 AND emoji = $3 RETURNING 1",
                             messageId, userId, s(emoji)).empty();
}

qint64 ChatRepository::markRead(qint64 roomId, qint64 userId, qint64 seq)
{
    const pqxx::result r = prepared(
        m_tx, "chat_mark_read",
        "UPDATE chat.members m SET last_read_seq = greatest(m.last_read_seq, least($3, r.last_seq)) FROM chat.rooms r "
        "WHERE r.id = m.room_id AND m.room_id = $1 AND m.user_id = $2 RETURNING m.last_read_seq",
        roomId, userId, seq);
    return r.empty() ? 0 : r[0][0].as<qint64>();
}

qint64 ChatRepository::markThreadRead(qint64 rootId, qint64 userId, qint64 seq)
{
    return m_tx.exec_params1(
        "INSERT INTO chat.thread_reads (root_id, user_id, last_read_seq) VALUES ($1, $2, $3) "
        "ON CONFLICT (root_id, user_id) DO UPDATE SET last_read_seq = greatest(chat.thread_reads.last_read_seq, "
        "EXCLUDED.last_read_seq) RETURNING last_read_seq",
        rootId, userId, seq)[0].as<qint64>();
}

qint64 ChatRepository::threadUnread(qint64 rootId, qint64 userId)
{
    return m_tx.exec_params1(
        "SELECT count(*) FROM chat.messages m WHERE m.thread_root_id = $1 AND m.sender_id <> $2 AND m.deleted_at IS NULL "
        "AND m.seq > coalesce((SELECT last_read_seq FROM chat.thread_reads WHERE root_id = $1 AND user_id = $2), 0)",
        rootId, userId)[0].as<qint64>();
}

bool ChatRepository::hidesReceipts(qint64 userId)
{
    const pqxx::result r = prepared(m_tx, "chat_hides_receipts", "SELECT hide_receipts FROM chat.settings WHERE user_id = $1",
                                    userId);
    return !r.empty() && r[0][0].as<bool>();
}

void ChatRepository::setHidesReceipts(qint64 userId, bool hide)
{
    m_tx.exec_params("INSERT INTO chat.settings (user_id, hide_receipts) VALUES ($1, $2) "
                     "ON CONFLICT (user_id) DO UPDATE SET hide_receipts = EXCLUDED.hide_receipts",
                     userId, hide);
}

QList<qint64> ChatRepository::seenBy(qint64 roomId, qint64 seq, qint64 senderId)
{
    QList<qint64> out;
    for (const auto &row : m_tx.exec_params(
             "SELECT m.user_id FROM chat.members m LEFT JOIN chat.settings s ON s.user_id = m.user_id "
             "WHERE m.room_id = $1 AND m.last_read_seq >= $2 AND m.user_id <> $3 AND NOT coalesce(s.hide_receipts, false) "
             "ORDER BY m.user_id",
             roomId, seq, senderId))
        out.append(row[0].as<qint64>());
    return out;
}

bool ChatRepository::pin(qint64 roomId, qint64 messageId, qint64 userId)
{
    return !m_tx.exec_params("INSERT INTO chat.pins (room_id, message_id, pinned_by) VALUES ($1, $2, $3) "
                             "ON CONFLICT DO NOTHING RETURNING 1", roomId, messageId, userId).empty();
}

bool ChatRepository::unpin(qint64 roomId, qint64 messageId)
{
    return !m_tx.exec_params("DELETE FROM chat.pins WHERE room_id = $1 AND message_id = $2 RETURNING 1", roomId, messageId)
                .empty();
}

QList<qint64> ChatRepository::pins(qint64 roomId)
{
    QList<qint64> out;
    for (const auto &row : m_tx.exec_params("SELECT message_id FROM chat.pins WHERE room_id = $1 ORDER BY pinned_at, message_id",
                                            roomId))
        out.append(row[0].as<qint64>());
    return out;
}

void ChatRepository::setPresence(qint64 userId, const QString &device, PresenceState state, int ttlSeconds)
{
    m_tx.exec_params("INSERT INTO chat.presence (user_id, device, state, expires_at) "
                     "VALUES ($1, $2, $3, now() + make_interval(secs => $4)) ON CONFLICT (user_id, device) "
                     "DO UPDATE SET state = EXCLUDED.state, expires_at = EXCLUDED.expires_at",
                     userId, s(device), s(presenceName(state)), ttlSeconds);
}

void ChatRepository::clearPresence(qint64 userId, const QString &device)
{
    m_tx.exec_params("DELETE FROM chat.presence WHERE user_id = $1 AND device = $2", userId, s(device));
}

QHash<qint64, PresenceState> ChatRepository::presence(const QList<qint64> &userIds)
{
    QHash<qint64, PresenceState> out;
    for (const auto &row : prepared(
             m_tx, "chat_presence",
             "SELECT user_id, bool_or(state = 'online') FROM chat.presence "
             "WHERE user_id = ANY ($1::bigint[]) AND expires_at > now() GROUP BY user_id",
             idArray(userIds)))
        out.insert(row[0].as<qint64>(), row[1].as<bool>() ? PresenceState::Online : PresenceState::Away);
    return out;
}

qint64 ChatRepository::expirePresence()
{
    return m_tx.exec("DELETE FROM chat.presence WHERE expires_at <= now() RETURNING 1").size();
}

QHash<PresenceState, qint64> ChatRepository::presenceCounts()
{
    QHash<PresenceState, qint64> out;
    for (const auto &row : m_tx.exec(
             "SELECT s, count(*) FROM (SELECT bool_or(state = 'online') AS s FROM chat.presence "
             "WHERE expires_at > now() GROUP BY user_id) x GROUP BY s"))
        out.insert(row[0].as<bool>() ? PresenceState::Online : PresenceState::Away, row[1].as<qint64>());
    return out;
}

std::optional<qint64> ChatRepository::report(qint64 messageId, qint64 reporterId, const QString &reason)
{
    const pqxx::result r = m_tx.exec_params(
        "INSERT INTO chat.reports (message_id, reporter_id, reason) VALUES ($1, $2, $3) "
        "ON CONFLICT (message_id, reporter_id) DO NOTHING RETURNING id",
        messageId, reporterId, s(reason));
    if (r.empty())
        return std::nullopt;
    return r[0][0].as<qint64>();
}

QList<std::pair<qint64, qint64>> ChatRepository::resolveReports(qint64 messageId, const QString &resolution,
                                                                qint64 moderatorId)
{
    QList<std::pair<qint64, qint64>> out;
    for (const auto &row : m_tx.exec_params(
             "UPDATE chat.reports SET resolution = $2, resolved_by = $3, resolved_at = now()"
             " WHERE message_id = $1 AND resolution IS NULL RETURNING id, reporter_id",
             messageId, s(resolution), moderatorId))
        out.append({row[0].as<qint64>(), row[1].as<qint64>()});
    return out;
}

QList<qint64> ChatRepository::backlogBuckets()
{
    const auto row = m_tx.exec1(
        "SELECT count(*) FILTER (WHERE b = 0), count(*) FILTER (WHERE b BETWEEN 1 AND 10),"
        " count(*) FILTER (WHERE b BETWEEN 11 AND 100), count(*) FILTER (WHERE b BETWEEN 101 AND 1000),"
        " count(*) FILTER (WHERE b > 1000), coalesce(max(b), 0)"
        " FROM (SELECT r.last_seq - min(m.last_read_seq) AS b FROM chat.rooms r"
        "       JOIN chat.members m ON m.room_id = r.id GROUP BY r.id, r.last_seq) x");
    QList<qint64> out;
    for (int i = 0; i < 6; ++i)
        out.append(row[i].as<qint64>());
    return out;
}

QList<Room> ChatRepository::listRooms(qint64 afterId, int limit)
{
    QList<Room> out;
    for (const auto &row : m_tx.exec_params(std::string("SELECT ") + kRoomColumns
                                                + " FROM chat.rooms WHERE id > $1 ORDER BY id LIMIT $2",
                                            afterId, limit))
        out.append(roomFrom(row));
    return out;
}

namespace {

qint64 collectDeleted(const pqxx::result &r, QList<std::pair<qint64, qint64>> *deleted)
{
    if (deleted)
        for (const auto &row : r)
            deleted->append({row[0].as<qint64>(), row[1].as<qint64>()});
    return r.size();
}

} // namespace

qint64 ChatRepository::purgeKind(RoomKind kind, int days, QList<std::pair<qint64, qint64>> *deleted)
{
    return collectDeleted(m_tx.exec_params(
        "DELETE FROM chat.messages m USING chat.rooms r WHERE r.id = m.room_id AND r.kind = $1 "
        "AND m.created_at < now() - make_interval(days => $2) RETURNING m.room_id, m.id",
        s(kindName(kind)), days), deleted);
}

qint64 ChatRepository::purge(qint64 roomId, const QDateTime &before, bool dryRun, QList<std::pair<qint64, qint64>> *deleted)
{
    const std::string cutoff = s(before.toUTC().toString(Qt::ISODateWithMs));
    if (dryRun)
        return m_tx.exec_params1("SELECT count(*) FROM chat.messages WHERE room_id = $1 AND created_at < $2::timestamptz",
                                 roomId, cutoff)[0].as<qint64>();
    return collectDeleted(
        m_tx.exec_params("DELETE FROM chat.messages WHERE room_id = $1 AND created_at < $2::timestamptz RETURNING room_id, id",
                         roomId, cutoff),
        deleted);
}

} // namespace Chat
