// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Messages: send (idempotent by the sender's client id; the DM of a pair is created by
/// its first message), history pages, edit within the window (the old text kept), soft
/// delete, reactions, read markers, receipts and typing. A send locks the room's row,
/// takes the next sequence and publishes its room frame and mention events in the same
/// transaction. Markdown is rendered and mentions resolved before the transaction opens.
/// Blocking: worker threads only (typing() excepted: it never blocks).

#include "chatcontext.h"

#include <QHash>
#include <QMutex>

namespace Chat {

struct SendInput {
    qint64 roomId = 0;          ///< or:
    qint64 dmUserId = 0;        ///< the other account of a DM
    QString clientId;
    QString body;
    qint64 threadRootId = 0;
    QList<qint64> attachments;  ///< file ids (files plugin), in order
};

struct SendResult {
    Message message;
    bool created = false;       ///< false: a retry, the original message
};

struct Receipts {
    QList<qint64> seenBy;
};

class MessageService {
public:
    explicit MessageService(ChatContext &ctx) : m_ctx(ctx) {}

    Community::Result<SendResult> send(const Community::Principal &who, const SendInput &in);
    Community::Result<HistoryPage> history(const Community::Principal &who, qint64 roomId, const HistoryQuery &q);
    Community::Result<Message> edit(const Community::Principal &who, qint64 roomId, qint64 messageId, const QString &body);
    Community::Result<Message> remove(const Community::Principal &who, qint64 roomId, qint64 messageId);
    /// The earlier texts: the sender, room owners/admins and site moderators.
    Community::Result<QList<MessageEdit>> edits(const Community::Principal &who, qint64 roomId, qint64 messageId);
    Community::Result<bool> react(const Community::Principal &who, qint64 roomId, qint64 messageId, const QString &emoji,
                                  bool add);
    /// The member's read marker after the call (the room's, or with `threadRootId` that
    /// thread's).
    Community::Result<qint64> markRead(const Community::Principal &who, qint64 roomId, qint64 seq, qint64 threadRootId = 0);
    /// Who has read the message (members that share receipts). Reciprocal: a viewer who
    /// hides its own receipts is refused (receipts-hidden).
    Community::Result<Receipts> receipts(const Community::Principal &who, qint64 roomId, qint64 messageId);
    Community::Result<void> setHideReceipts(qint64 userId, bool hide);
    Community::Result<bool> hidesReceipts(qint64 userId);
    /// Sends an ephemeral typing frame to the room's other members on every node (the hub's
    /// publishEphemeral crosses nodes), at most once per typingIntervalMs per member and room
    /// (the throttle is per node). False when throttled.
    Community::Result<bool> typing(const Community::Principal &who, qint64 roomId);
    /// A short signed download path of an attachment of a message `who` may read (a member
    /// or an admin), the message not deleted. NotFound for a file the message does not carry.
    /// Messages of the room matching `query` (the search plugin's IRoomSearch), newest
    /// first, below message `before` when > 0; for members (and admins). Hits deleted
    /// since they were indexed are left out. 503 search-unavailable without search.
    Community::Result<SearchPage> search(const Community::Principal &who, qint64 roomId, const QString &query, int limit,
                                         qint64 before);
    Community::Result<QString> attachmentLink(const Community::Principal &who, qint64 roomId, qint64 messageId,
                                              qint64 fileId);

private:
    struct Prepared {
        QString html;
        QList<qint64> mentions;
        qint64 dmLow = 0, dmHigh = 0;
        QList<Attachment> attachments;
    };
    Community::Result<Prepared> prepare(const Community::Principal &who, const SendInput &in) const;
    Community::Result<QList<qint64>> resolveMentions(const QStringList &names, qint64 senderId) const;
    Community::Result<void> checkDm(const Community::Principal &who, qint64 otherId) const;
    Community::Result<SendResult> insert(pqxx::work &tx, const Community::Principal &who, const SendInput &in,
                                         Prepared &p, bool *dmCreated);
    Community::Result<void> publishMentions(pqxx::work &tx, ChatRepository &repo, const Community::Principal &who,
                                            const Message &m);
    /// Loads the message of the room for a change, with the room locked; a `moderator` of
    /// the channel's community need not be a member.
    Community::Result<Message> target(ChatRepository &repo, const Community::Principal &who, qint64 roomId,
                                      qint64 messageId, std::optional<Member> *me, bool moderator = false);

    ChatContext &m_ctx;
    QMutex m_typingMutex;
    QHash<qint64, qint64> m_typingAt;   ///< (room << 32 ^ user) -> ms
};

} // namespace Chat
