// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "staffevents.h"

#include "auditglossary.h"

#include "community/contracts/events/auth.h"
#include "community/contracts/events/chaos.h"
#include "community/contracts/events/content.h"
#include "community/contracts/events/settings.h"

#include <QHash>

namespace AuthEvents = Community::Contracts::Events::Auth;
namespace ContentEvents = Community::Contracts::Events::Content;
namespace ChaosEvents = Community::Contracts::Events::Chaos;
namespace SettingsEvents = Community::Contracts::Events::Settings;

namespace Admin {

namespace {

using Community::Events::Event;

AuditEntry baseEntry(const Event &e, QLatin1StringView action, const QString &targetType, qint64 targetId)
{
    AuditEntry a;
    a.occurredAt = QDateTime::fromMSecsSinceEpoch(e.createdAt.toMSecsSinceEpoch(), Qt::UTC);
    a.actorId = e.actorId;
    a.actorKind = e.actorKind.isEmpty() ? QStringLiteral("system") : e.actorKind;
    a.action = action;
    a.targetType = targetType;
    a.targetId = QString::number(targetId);
    a.requestId = e.requestId;
    a.source = QStringLiteral("event:%1").arg(e.id);
    return a;
}

std::optional<AuditEntry> fromAuth(const Event &e)
{
    if (e.type == QLatin1String(AuthEvents::AccountSuspended::type)) {
        const auto p = AuthEvents::AccountSuspended::fromJson(e.payload);
        if (!p)
            return std::nullopt;
        AuditEntry a = baseEntry(e, Action::UserSuspend, QStringLiteral("user"), p->userId);
        a.reason = p->reason;
        a.after = compactJson(QJsonObject{{QStringLiteral("state"), QStringLiteral("suspended")},
                                          {QStringLiteral("username"), p->username}});
        return a;
    }
    if (e.type == QLatin1String(AuthEvents::AccountUnsuspended::type)) {
        const auto p = AuthEvents::AccountUnsuspended::fromJson(e.payload);
        if (!p)
            return std::nullopt;
        AuditEntry a = baseEntry(e, Action::UserUnsuspend, QStringLiteral("user"), p->userId);
        a.after = compactJson(QJsonObject{{QStringLiteral("state"), QStringLiteral("active")},
                                          {QStringLiteral("username"), p->username}});
        return a;
    }
    if (e.type == QLatin1String(AuthEvents::RoleChanged::type)) {
        const auto p = AuthEvents::RoleChanged::fromJson(e.payload);
        if (!p)
            return std::nullopt;
        AuditEntry a = baseEntry(e, Action::UserRoleChange, QStringLiteral("user"), p->userId);
        a.after = compactJson(QJsonObject{{QStringLiteral("role"), p->role}, {QStringLiteral("username"), p->username}});
        return a;
    }
    return std::nullopt;
}

const QHash<QString, QLatin1StringView> &postActions()
{
    static const QHash<QString, QLatin1StringView> map{
        {ContentEvents::Type::PostRemoved, Action::PostRemove},   {ContentEvents::Type::PostRestored, Action::PostRestore},
        {ContentEvents::Type::PostPinned, Action::PostPin},       {ContentEvents::Type::PostUnpinned, Action::PostUnpin},
        {ContentEvents::Type::PostLocked, Action::PostLock},      {ContentEvents::Type::PostUnlocked, Action::PostUnlock},
    };
    return map;
}

std::optional<AuditEntry> fromPost(const Event &e, QLatin1StringView action)
{
    const auto p = ContentEvents::PostChanged::fromJson(e.payload);
    if (!p)
        return std::nullopt;
    const qint64 actor = p->actorId.value_or(e.actorId);
    // An author restoring their own deleted post is not a staff action.
    if (action == Action::PostRestore && actor == p->authorId)
        return std::nullopt;
    AuditEntry a = baseEntry(e, action, QStringLiteral("post"), p->postId);
    if (!a.actorId)
        a.actorId = actor;
    a.after = compactJson(QJsonObject{{QStringLiteral("state"), p->state},
                                      {QStringLiteral("authorId"), QString::number(p->authorId)},
                                      {QStringLiteral("communityId"), QString::number(p->communityId)}});
    return a;
}

std::optional<AuditEntry> fromComment(const Event &e, QLatin1StringView action)
{
    const auto p = ContentEvents::CommentChanged::fromJson(e.payload);
    if (!p)
        return std::nullopt;
    const qint64 actor = p->actorId.value_or(e.actorId);
    if (action == Action::CommentRestore && actor == p->authorId)
        return std::nullopt;
    AuditEntry a = baseEntry(e, action, QStringLiteral("comment"), p->commentId);
    if (!a.actorId)
        a.actorId = actor;
    a.reason = p->reason.value_or(QString());
    a.after = compactJson(QJsonObject{{QStringLiteral("state"), p->state},
                                      {QStringLiteral("authorId"), QString::number(p->authorId)},
                                      {QStringLiteral("postId"), QString::number(p->postId)}});
    return a;
}

std::optional<AuditEntry> fromReport(const Event &e)
{
    const auto p = ContentEvents::ReportChanged::fromJson(e.payload);
    if (!p)
        return std::nullopt;
    AuditEntry a = baseEntry(e, Action::ReportResolve, QStringLiteral("report"), p->reportId);
    if (!a.actorId)
        a.actorId = p->moderatorId.value_or(0);
    a.reason = p->note.value_or(QString());
    a.after = compactJson(QJsonObject{{QStringLiteral("resolution"), p->resolution.value_or(QString())},
                                      {QStringLiteral("targetType"), p->targetType},
                                      {QStringLiteral("targetId"), QString::number(p->targetId)}});
    return a;
}

// Fault injection is a staff action; a fault that went by itself (time limit, lapsed
// lease) is recorded too, as the system's.
std::optional<AuditEntry> fromChaos(const Event &e)
{
    if (e.type == ChaosEvents::Type::FaultsStopped) {
        const auto p = ChaosEvents::FaultsStopped::fromJson(e.payload);
        AuditEntry a = baseEntry(e, Action::FaultStopAll, QStringLiteral("node"), 0);
        a.targetId = p->node;
        a.after = compactJson(QJsonObject{{QStringLiteral("cleared"), p->count}});
        return a;
    }
    const auto p = ChaosEvents::FaultChanged::fromJson(e.payload);
    if (!p)
        return std::nullopt;
    const bool injected = e.type == ChaosEvents::Type::FaultInjected;
    AuditEntry a = baseEntry(e, injected ? Action::FaultInject : Action::FaultClear, QStringLiteral("fault"), 0);
    a.targetId = p->faultId;
    a.reason = p->reason;
    a.after = compactJson(injected ? p->fault : QJsonObject{{QStringLiteral("kind"), p->kind},
                                                           {QStringLiteral("node"), p->node}});
    return a;
}

// A runtime setting changed (core's settings API): before/after are the configured values,
// never a secret's (the producer sends "set"/"unset" for those).
std::optional<AuditEntry> fromSettings(const Event &e)
{
    const auto p = SettingsEvents::Changed::fromJson(e.payload);
    if (!p)
        return std::nullopt;
    AuditEntry a = baseEntry(e, p->removed ? Action::SettingReset : Action::SettingChange, QStringLiteral("setting"), 0);
    a.targetId = p->key;
    a.reason = p->reason;
    a.before = compactJson(QJsonObject{{QStringLiteral("value"), p->before}});
    a.after = compactJson(QJsonObject{{QStringLiteral("value"), p->after}, {QStringLiteral("live"), p->live}});
    return a;
}

} // namespace

QStringList staffEventTypes()
{
    QStringList types{QString::fromLatin1(AuthEvents::AccountSuspended::type),
                      QString::fromLatin1(AuthEvents::AccountUnsuspended::type),
                      QString::fromLatin1(AuthEvents::RoleChanged::type), ContentEvents::Type::CommentRemoved,
                      ContentEvents::Type::CommentRestored, ContentEvents::Type::ReportResolved,
                      ChaosEvents::Type::FaultInjected, ChaosEvents::Type::FaultCleared,
                      ChaosEvents::Type::FaultsStopped, SettingsEvents::Type::Changed};
    for (auto it = postActions().cbegin(); it != postActions().cend(); ++it)
        types.append(it.key());
    types.sort();
    return types;
}

std::optional<AuditEntry> staffActionFromEvent(const Community::Events::Event &e)
{
    if (e.type.startsWith(QLatin1String("auth.")))
        return fromAuth(e);
    if (e.type.startsWith(QLatin1String("chaos.")))
        return fromChaos(e);
    if (e.type == SettingsEvents::Type::Changed)
        return fromSettings(e);
    if (const auto it = postActions().constFind(e.type); it != postActions().cend())
        return fromPost(e, *it);
    if (e.type == ContentEvents::Type::CommentRemoved)
        return fromComment(e, Action::CommentRemove);
    if (e.type == ContentEvents::Type::CommentRestored)
        return fromComment(e, Action::CommentRestore);
    if (e.type == ContentEvents::Type::ReportResolved)
        return fromReport(e);
    return std::nullopt;
}

} // namespace Admin
