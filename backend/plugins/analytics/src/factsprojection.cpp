// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "factsprojection.h"

#include "community/contracts/events/admin.h"
#include "community/contracts/events/auth.h"
#include "community/contracts/events/chat.h"
#include "community/contracts/events/content.h"
#include "community/contracts/events/files.h"
#include "community/contracts/events/search.h"
#include "community/contracts/events/users.h"

namespace Analytics {

namespace ContentEvents = Community::Contracts::Events::Content;
namespace AuthEvents = Community::Contracts::Events::Auth;
namespace AdminEvents = Community::Contracts::Events::Admin;
namespace UsersEvents = Community::Contracts::Events::Users;
namespace SearchEvents = Community::Contracts::Events::Search;
namespace FilesEvents = Community::Contracts::Events::Files;
namespace ChatEvents = Community::Contracts::Events::Chat;
using Community::Events::Event;

namespace {

Fact stored(const Event &bus, const QString &type, qint64 userId, qint64 targetId = 0, qint64 communityId = 0)
{
    Fact f;
    f.kind = Fact::Kind::Event;
    f.event.at = bus.createdAt.toUTC();
    f.event.type = type;
    f.event.server = true;
    f.event.userId = userId;
    f.event.targetId = targetId;
    f.event.communityId = communityId;
    f.event.key = QStringLiteral("b:%1").arg(bus.id);
    return f;
}

Fact contentFact(const Event &e)
{
    namespace T = ContentEvents::Type;
    if (e.type == T::PostCreated) {
        if (const auto p = ContentEvents::PostChanged::fromJson(e.payload))
            return stored(e, QStringLiteral("post"), p->authorId, p->postId, p->communityId);
    } else if (e.type == T::CommentCreated) {
        if (const auto c = ContentEvents::CommentChanged::fromJson(e.payload))
            return stored(e, QStringLiteral("comment"), c->authorId, c->postId, c->communityId);
    } else if (e.type == T::VoteChanged) {
        if (const auto v = ContentEvents::VoteChanged::fromJson(e.payload); v && v->value != 0)
            return stored(e, QStringLiteral("vote"), v->userId, v->postId);
    } else if (e.type == T::PostRemoved || e.type == T::CommentRemoved) {
        return stored(e, QStringLiteral("mod_action"), e.actorId);
    } else if (e.type == T::ReportCreated) {
        if (const auto r = ContentEvents::ReportChanged::fromJson(e.payload)) {
            Fact f = stored(e, QStringLiteral("report_opened"), r->reporterId, r->reportId, r->communityId);
            f.kind = Fact::Kind::ReportOpened;
            f.subjectId = r->reportId;
            return f;
        }
    } else if (e.type == T::ReportResolved) {
        if (const auto r = ContentEvents::ReportChanged::fromJson(e.payload)) {
            const qint64 moderator = r->moderatorId.value_or(e.actorId);
            Fact f = stored(e, QStringLiteral("report_resolved"), moderator, r->reportId, r->communityId);
            f.kind = Fact::Kind::ReportResolved;
            f.subjectId = r->reportId;
            f.resolution = r->resolution.value_or(QString());
            return f;
        }
    }
    return {};
}

/// Logins, zero-result searches, uploads and chat messages: a count each (per user for
/// active users), the query as dim of a zero-result search.
Fact activityFact(const Event &e)
{
    if (e.type == QLatin1String(AuthEvents::SessionStarted::type)) {
        if (const auto s = AuthEvents::SessionStarted::fromJson(e.payload))
            return stored(e, QStringLiteral("login"), s->userId);
    } else if (e.type == SearchEvents::Type::ZeroResults) {
        if (const auto z = SearchEvents::ZeroResults::fromJson(e.payload)) {
            Fact f = stored(e, QStringLiteral("zero_result_search"), z->userId);
            f.event.dim = z->query;
            f.event.num = 0;
            return f;
        }
    } else if (e.type == FilesEvents::Type::UploadStored) {
        if (const auto u = FilesEvents::UploadStored::fromJson(e.payload)) {
            Fact f = stored(e, QStringLiteral("upload"), u->ownerId, u->fileId);
            f.event.num = u->bytes;
            return f;
        }
    } else if (e.type == ChatEvents::MessageCreated::type) {
        if (const auto m = ChatEvents::MessageCreated::fromJson(e.payload))
            return stored(e, QStringLiteral("chat_message"), m->senderId, m->roomId);
    }
    return {};
}

} // namespace

QStringList factEventTypes()
{
    namespace T = ContentEvents::Type;
    return {QString::fromLatin1(AuthEvents::AccountRegistered::type),
            T::PostCreated, T::CommentCreated, T::VoteChanged, T::PostRemoved, T::CommentRemoved, T::ReportCreated,
            T::ReportResolved, AdminEvents::Type::PenaltyApplied, UsersEvents::Type::ProfileDeleted,
            QString::fromLatin1(AuthEvents::SessionStarted::type), SearchEvents::Type::ZeroResults,
            FilesEvents::Type::UploadStored, ChatEvents::MessageCreated::type};
}

Fact factOf(const Event &e)
{
    if (e.type == QLatin1String(AuthEvents::AccountRegistered::type)) {
        const auto a = AuthEvents::AccountRegistered::fromJson(e.payload);
        if (!a)
            return {};
        Fact f = stored(e, QStringLiteral("signup"), a->userId);
        f.kind = Fact::Kind::Signup;
        f.subjectId = a->userId;
        return f;
    }
    if (e.type == UsersEvents::Type::ProfileDeleted) {
        const auto p = UsersEvents::ProfileChanged::fromJson(e.payload);
        Fact f;
        if (p) {
            f.kind = Fact::Kind::AccountDeleted;
            f.subjectId = p->userId;
        }
        return f;
    }
    if (e.type == AdminEvents::Type::PenaltyApplied)
        return stored(e, QStringLiteral("mod_action"), e.actorId);
    if (e.type.startsWith(QLatin1String("content.")))
        return contentFact(e);
    return activityFact(e);
}

} // namespace Analytics
