// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// From bus events to notification drafts: who is told what, under which collapse group,
/// with which idempotency key. Pure (no I/O): the service filters the drafts (self, blocks
/// and mutes, preferences, muted threads) and stores them. Thread-safe.

#include "community/contracts/chat.h"
#include "community/contracts/events/chat.h"
#include "community/eventbus.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Notifications {

namespace Kind {
inline const QString Reply = QStringLiteral("reply");
inline const QString Mention = QStringLiteral("mention");
inline const QString Follow = QStringLiteral("follow");
inline const QString VoteMilestone = QStringLiteral("vote_milestone");
inline const QString ReportOutcome = QStringLiteral("report_outcome");
inline const QString Moderation = QStringLiteral("moderation");
inline const QString ChatMessage = QStringLiteral("chat_message");
inline const QString Announcement = QStringLiteral("announcement");
} // namespace Kind

/// Every kind, in the order the API lists them.
QStringList allKinds();

struct Draft {
    qint64 recipientId = 0;
    QString kind;
    /// Unread rows of one recipient with the same kind and group collapse into one.
    QString groupKey;
    /// Unique per source event and recipient: a redelivered event is recognised by it.
    QString sourceKey;
    qint64 actorId = 0;              ///< 0: the system (no actor, never filtered)
    QString actorName;
    std::optional<qint64> threadId;  ///< the post it is about (per-thread mute)
    QJsonObject subject;             ///< what the client needs to show and link it
    std::optional<qint64> roomId;    ///< the chat room of a plain message (per-room mute)
};

/// The event types the projector reads.
QStringList projectedEventTypes();

/// The drafts for one event (empty for an event that notifies nobody or is malformed).
QList<Draft> project(const Community::Events::Event &event);

/// A plain chat message (chat.message.created) notifies nobody by itself: the service asks
/// chat for the message's audience (IChatAudience) and turns it into drafts here.
std::optional<Community::Contracts::Events::Chat::MessageCreated> chatMessageOf(const Community::Events::Event &event);

/// Rules for plain chat messages: DMs, and groups of at most `maxRoomMembers`, notify each
/// member who did not write it, is not mentioned in it (a mention notifies on its own), has
/// not read it yet and is not reading the room right now (online and caught up to the
/// message before it). Thread replies and deleted messages notify nobody. One collapsed
/// row per recipient and room (`room:<id>`), keyed by message.
QList<Draft> chatMessageDrafts(const Community::Contracts::ChatMessageAudience &audience, const QString &body,
                               int maxRoomMembers);

/// A system announcement for one recipient: keyed by announcement, from nobody.
struct Announcement {
    qint64 id = 0;
    QString title, body, url;
    QDateTime createdAt;
};
Draft announcementDraft(const Announcement &a, qint64 recipientId);

/// Milestones (1, 10, 100, …) a score passed going from `before` to `after` (upwards only).
QList<qint64> milestonesCrossed(qint64 before, qint64 after);

} // namespace Notifications
