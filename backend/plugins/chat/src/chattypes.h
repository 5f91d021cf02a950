// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Values of the chat plugin: rooms, members, messages and the pages of history. Plain
/// data, copied freely between threads.

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace Chat {

enum class RoomKind { Dm, Group, Channel };
/// member < admin < owner (a room's own roles, apart from the account's site role).
enum class MemberRole { Member = 1, Admin = 2, Owner = 3 };

QString kindName(RoomKind kind);
std::optional<RoomKind> parseKind(const QString &name);
QString memberRoleName(MemberRole role);
std::optional<MemberRole> parseMemberRole(const QString &name);

struct Room {
    qint64 id = 0;
    RoomKind kind = RoomKind::Group;
    QString name;
    QString topic;
    qint64 communityId = 0;       ///< channels only
    QList<qint64> dmPair;         ///< DMs only: the two accounts, ascending
    int memberLimit = 0;
    int memberCount = 0;
    qint64 lastSeq = 0;
    qint64 createdBy = 0;
    QDateTime createdAt;
};

/// A room as one member sees it (list of my rooms).
struct RoomView {
    Room room;
    MemberRole role = MemberRole::Member;
    qint64 lastReadSeq = 0;
    qint64 unread = 0;            ///< messages after lastReadSeq by others, not deleted, not thread replies
    qint64 mentions = 0;          ///< of those, the ones mentioning the member
};

struct Member {
    qint64 userId = 0;
    MemberRole role = MemberRole::Member;
    qint64 lastReadSeq = 0;
    QDateTime joinedAt;
};

struct Reaction {
    QString emoji;
    int count = 0;
    bool mine = false;
};

/// A file of the files plugin attached to a message, as it was described when sent.
struct Attachment {
    qint64 fileId = 0;
    QString name;
    QString mediaType;
    qint64 size = 0;
};

struct Message {
    qint64 id = 0;
    qint64 roomId = 0;
    qint64 seq = 0;
    qint64 senderId = 0;
    QString clientId;
    QString body;                 ///< empty once deleted (unless shown to an admin)
    QString html;
    QList<qint64> mentions;
    qint64 threadRootId = 0;      ///< 0: not a reply
    int replyCount = 0;
    QDateTime createdAt;
    QDateTime editedAt;
    QDateTime deletedAt;
    QList<Reaction> reactions;
    QList<Attachment> attachments;
    bool deleted() const { return deletedAt.isValid(); }
};

struct MessageEdit {
    QString body;
    QDateTime editedAt;
};

/// Which part of a room's history a page holds (sequence numbers, exclusive).
struct HistoryQuery {
    enum class Anchor { Latest, Before, After, Around };
    Anchor anchor = Anchor::Latest;
    qint64 seq = 0;
    int limit = 50;
    qint64 threadRootId = 0;      ///< 0: the room's main timeline; else that thread
};

struct HistoryPage {
    QList<Message> items;         ///< ascending by seq
    bool moreBefore = false;
    bool moreAfter = false;
    std::optional<qint64> threadUnread;   ///< thread pages: replies by others after the reader's thread marker
};

/// A page of search results within a room: messages newest first, each with its snippet.
struct SearchPage {
    QList<Message> items;
    QList<QString> snippets;      ///< parallel to items
    qint64 nextBefore = 0;        ///< the `before` of the next page (0: none)
};

/// An account's presence: the best state of its live devices.
enum class PresenceState { Offline, Away, Online };
QString presenceName(PresenceState state);

} // namespace Chat
