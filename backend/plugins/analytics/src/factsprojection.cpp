// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "factsprojection.h"

#include "community/contracts/events/admin.h"
#include "community/contracts/events/auth.h"
#include "community/contracts/events/content.h"
#include "community/contracts/events/users.h"

namespace Analytics {

namespace ContentEvents = Community::Contracts::Events::Content;
namespace AuthEvents = Community::Contracts::Events::Auth;
namespace AdminEvents = Community::Contracts::Events::Admin;
namespace UsersEvents = Community::Contracts::Events::Users;
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

} // namespace

QStringList factEventTypes()
{
    namespace T = ContentEvents::Type;
    return {QString::fromLatin1(AuthEvents::AccountRegistered::type),
            T::PostCreated, T::CommentCreated, T::VoteChanged, T::PostRemoved, T::CommentRemoved, T::ReportCreated,
            T::ReportResolved, AdminEvents::Type::PenaltyApplied, UsersEvents::Type::ProfileDeleted};
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
    return {};
}

} // namespace Analytics
