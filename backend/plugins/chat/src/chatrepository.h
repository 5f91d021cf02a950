// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for the chat schema, nothing else. Works inside a transaction the caller owns; one
/// repository per transaction, used by one thread. lockRoom() takes the room's row lock:
/// every sender of a room serialises on it, so sendMessage() hands out sequences in commit
/// order with no holes.

#include "chattypes.h"

#include <QHash>
#include <QSet>

#include <pqxx/pqxx>

#include <optional>
#include <tuple>

namespace Chat {

/// What ChatRepository::sendMessage() found (existingId: the sender's message with that
/// client id, 0 when none).
struct SendCheck {
    qint64 existingId = 0;
    bool member = false;
    bool rootOk = false;
    bool repeats = false;
    bool inserted = false;
};

class ChatRepository {
public:
    explicit ChatRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    std::optional<Room> room(qint64 id);
    /// The room with its row locked until the transaction ends.
    std::optional<Room> lockRoom(qint64 id);
    /// The room and, if `userId` is a member, the membership, in one round trip (no lock).
    std::optional<std::pair<Room, std::optional<Member>>> roomWithMember(qint64 roomId, qint64 userId);
    std::optional<Room> dmRoom(qint64 low, qint64 high);
    /// Creates the DM of the pair (and its two members) if it does not exist (a
    /// concurrent creator wins quietly); returns its id and whether this call created it.
    std::pair<qint64, bool> ensureDm(qint64 low, qint64 high, int memberLimit);
    qint64 createRoom(const Room &room);
    void updateRoom(qint64 id, const std::optional<QString> &name, const std::optional<QString> &topic);

    std::optional<Member> member(qint64 roomId, qint64 userId);
    /// False when already a member. Keeps member_count.
    bool addMember(qint64 roomId, qint64 userId, MemberRole role);
    bool removeMember(qint64 roomId, qint64 userId);
    void setRole(qint64 roomId, qint64 userId, MemberRole role);
    QList<Member> members(qint64 roomId);
    QList<RoomView> roomsOf(qint64 userId);
    /// Every (room, user) pair: the membership cache's initial load.
    QHash<qint64, QSet<qint64>> allMemberships();

    std::optional<Message> message(qint64 id);
    /// The messages with these ids (any order; missing ones left out).
    QList<Message> messages(const QList<qint64> &ids);
    /// A send's checks and insert in one round trip, in a room whose row this transaction
    /// has locked (lockRoom()): inserts `m` (room, sender, clientId, body, html,
    /// threadRootId; the `mentioned` accounts that are members, in order) with the room's
    /// next sequence only when the sender has no message with that client id, is a member,
    /// the thread root (if any) is a live root message of the room, the flood check (if
    /// `floodSeconds` > 0) passes and `allowed` (the caller's rate limits); then fills id,
    /// seq, createdAt and mentions. Always reports what each check found.
    SendCheck sendMessage(Message &m, const QList<qint64> &mentioned, int floodSeconds, bool allowed);
    void editMessage(qint64 id, const QString &oldBody, const QString &body, const QString &html,
                     const QList<qint64> &mentions);
    void softDelete(qint64 id);
    /// Clears a soft delete (the text was kept); false when the message was not deleted.
    bool restore(qint64 id);
    QList<MessageEdit> edits(qint64 messageId);
    HistoryPage history(qint64 roomId, const HistoryQuery &q);
    /// Fills each message's reactions (counts, and whether `viewerId` reacted).
    void loadReactions(QList<Message> &messages, qint64 viewerId);
    /// Stores the message's attachments in their order.
    void insertAttachments(qint64 messageId, const QList<Attachment> &attachments);
    /// Fills each message's attachments.
    void loadAttachments(QList<Message> &messages);
    /// The file ids attached to the sender's message with that client id (none: no such message).
    QList<qint64> attachedFiles(qint64 senderId, const QString &clientId);
    /// References queued for release (attachment_releases), locked (SKIP LOCKED) until the
    /// transaction ends: (queue id, file id, holder).
    QList<std::tuple<qint64, qint64, QString>> lockReleases(int limit);
    void deleteReleases(const QList<qint64> &ids);
    /// Drops the releases still queued for `holder` (a restored message).
    void cancelReleases(const QString &holder);
    bool addReaction(qint64 messageId, qint64 userId, const QString &emoji);
    bool removeReaction(qint64 messageId, qint64 userId, const QString &emoji);

    /// Moves the member's read marker forward (never back); the marker after the call.
    qint64 markRead(qint64 roomId, qint64 userId, qint64 seq);
    /// The member's thread marker moved forward; the marker after the call.
    qint64 markThreadRead(qint64 rootId, qint64 userId, qint64 seq);
    /// Replies in the thread by others, not deleted, after the reader's thread marker.
    qint64 threadUnread(qint64 rootId, qint64 userId);
    bool hidesReceipts(qint64 userId);
    void setHidesReceipts(qint64 userId, bool hide);
    /// Members other than the sender whose read marker reached `seq` and who do not hide
    /// their receipts.
    QList<qint64> seenBy(qint64 roomId, qint64 seq, qint64 senderId);

    /// Pins: false when nothing changed.
    bool pin(qint64 roomId, qint64 messageId, qint64 userId);
    bool unpin(qint64 roomId, qint64 messageId);
    QList<qint64> pins(qint64 roomId);

    /// Sets a device's state until `ttlSeconds` from now.
    void setPresence(qint64 userId, const QString &device, PresenceState state, int ttlSeconds);
    void clearPresence(qint64 userId, const QString &device);
    /// The best live state of each account (absent: offline).
    QHash<qint64, PresenceState> presence(const QList<qint64> &userIds);
    /// Devices whose time ran out are deleted; how many.
    qint64 expirePresence();
    /// Accounts with a live device, by state (metrics).
    QHash<PresenceState, qint64> presenceCounts();

    /// A report; nullopt when this reporter already reported the message.
    std::optional<qint64> report(qint64 messageId, qint64 reporterId, const QString &reason);
    /// Closes the message's open reports with `resolution`; (report id, reporter id) of each.
    QList<std::pair<qint64, qint64>> resolveReports(qint64 messageId, const QString &resolution, qint64 moderatorId);

    /// Rooms per unread-backlog bucket (0, 1-10, 11-100, 101-1000, more) and the largest
    /// backlog, the last element (metrics).
    QList<qint64> backlogBuckets();

    /// Rooms by id, after `afterId` (operators).
    QList<Room> listRooms(qint64 afterId, int limit);
    /// Deletes messages older than `days` in every room of that kind (retention); how many.
    /// `deleted` (optional) gets (room id, message id) of each.
    qint64 purgeKind(RoomKind kind, int days, QList<std::pair<qint64, qint64>> *deleted = nullptr);

    /// Deletes the room's messages created before `before` (older than it); returns how
    /// many (with dryRun: how many it would).
    qint64 purge(qint64 roomId, const QDateTime &before, bool dryRun, QList<std::pair<qint64, qint64>> *deleted = nullptr);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Chat
