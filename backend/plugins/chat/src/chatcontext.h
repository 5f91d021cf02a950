// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What the chat services share: the database, the contracts they call, the hub and bus
/// they publish on, the membership cache and the limits. Built by the plugin shell (or a
/// test); every pointer outlives the services. The helpers are the rules both services
/// apply: who may see a room, the typed errors, membership changes and their events.

#include "chatconfig.h"
#include "chatmetrics.h"
#include "chatrepository.h"
#include "membercache.h"
#include "ratelimiter.h"

#include "community/principal.h"
#include "community/result.h"

#include <memory>

namespace Community::Db { class Database; }
namespace Community::Events { class EventBus; }
namespace Community::Realtime { class Hub; }
namespace Community::Contracts { class IUserDirectory; class IUserRelations; class ICommunityMembership; class IFileAccess; class IRoomSearch; }

namespace Chat {


struct ChatContext {
    Community::Db::Database *db = nullptr;
    Community::Contracts::IUserDirectory *directory = nullptr;
    Community::Contracts::IUserRelations *relations = nullptr;   ///< may be null (no block checks)
    Community::Contracts::ICommunityMembership *communities = nullptr;   ///< may be null (channels refused)
    Community::Contracts::IFileAccess *files = nullptr;          ///< may be null (attachments refused)
    Community::Contracts::IRoomSearch *search = nullptr;         ///< may be null (room search refused)
    Community::Realtime::Hub *hub = nullptr;                     ///< may be null (no frames)
    Community::Events::EventBus *events = nullptr;               ///< may be null (no events)
    MemberCache *cache = nullptr;
    ChatConfig config;
    std::shared_ptr<RateLimiter> userLimiter;
    std::shared_ptr<RateLimiter> roomLimiter;
    std::shared_ptr<ChatMetrics> metrics = std::make_shared<ChatMetrics>();
};

/// An error with its problem type slug.
Community::Error chatError(Community::ErrorCode code, const QString &slug, const QString &message);
Community::Error notMember();
Community::Error noRoom();

/// "room:<id>".
QString roomTopic(qint64 roomId);

/// The room, when `who` may read it: a member, or a site admin (investigations). NotFound
/// for a room that does not exist; not-a-member otherwise. `member` gets the membership.
Community::Result<Room> readableRoom(ChatRepository &repo, const Community::Principal &who, qint64 roomId,
                                     std::optional<Member> *member = nullptr, bool lock = false);

/// Adds or removes a member, publishing chat.membership.changed and the room frame in
/// `tx`. Returns whether anything changed.
Community::Result<bool> changeMembership(const ChatContext &ctx, pqxx::transaction_base &tx, ChatRepository &repo, qint64 roomId,
                      qint64 userId, bool join, MemberRole role = MemberRole::Member);

/// Publishes a durable frame to the room's topic in `tx` (no-op without a hub).
Community::Result<void> publishRoomFrame(const ChatContext &ctx, pqxx::transaction_base &tx, qint64 roomId,
                                         const QJsonObject &frame);
/// The ephemeral typing frame of `userId` in `roomId` to the room's other members
/// (chat:<member> topics) on every node: publishEphemeral() crosses nodes. Never blocks.
void deliverTyping(const ChatContext &ctx, qint64 roomId, qint64 userId);

/// The message.deleted frame and chat.message.deleted event of `m` (just soft-deleted) in `tx`.
Community::Result<void> publishDeleted(const ChatContext &ctx, pqxx::transaction_base &tx, const Message &m);
/// chat.message.deleted events for purged messages ((room id, message id) pairs), per room
/// in chunks of 1,000 ids, in `tx`.
Community::Result<void> publishPurged(const ChatContext &ctx, pqxx::transaction_base &tx,
                                      const QList<std::pair<qint64, qint64>> &deleted);

} // namespace Chat
