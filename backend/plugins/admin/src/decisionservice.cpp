// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "decisionservice.h"

#include "community/clock.h"

#include "auditglossary.h"
#include "auditservice.h"
#include "contentpolicy.h"

#include "community/contracts/auth.h"
#include "community/contracts/content.h"
#include "community/contracts/events/admin.h"
#include "community/database.h"
#include "community/eventbus.h"

#include <QDebug>

using namespace Community;
namespace AdminEvents = Community::Contracts::Events::Admin;

namespace Admin {

namespace {

constexpr int kSweepBatch = 100;
constexpr int kMaxDays = 3650;

const QList<std::pair<ActionKind, QLatin1StringView>> &kindNames()
{
    static const QList<std::pair<ActionKind, QLatin1StringView>> names{
        {ActionKind::Dismiss, QLatin1StringView("dismiss")}, {ActionKind::Remove, QLatin1StringView("remove")},
        {ActionKind::Hide, QLatin1StringView("hide")},       {ActionKind::Restore, QLatin1StringView("restore")},
        {ActionKind::Warn, QLatin1StringView("warn")},       {ActionKind::Silence, QLatin1StringView("silence")},
        {ActionKind::Suspend, QLatin1StringView("suspend")}, {ActionKind::Ban, QLatin1StringView("ban")},
    };
    return names;
}

bool has(const QList<DecisionAction> &actions, ActionKind kind)
{
    return std::any_of(actions.begin(), actions.end(), [kind](const DecisionAction &a) { return a.kind == kind; });
}

/// The penalty an action gives (kind, days), if any.
std::optional<std::pair<QString, int>> penaltyOf(const DecisionAction &a)
{
    switch (a.kind) {
    case ActionKind::Warn: return std::pair{QStringLiteral("warn"), 0};
    case ActionKind::Silence: return std::pair{QStringLiteral("silence"), a.days};
    case ActionKind::Suspend: return std::pair{QStringLiteral("suspend"), a.days};
    case ActionKind::Ban: return std::pair{QStringLiteral("ban"), 0};
    default: return std::nullopt;
    }
}

bool takesDays(ActionKind kind)
{
    return kind == ActionKind::Silence || kind == ActionKind::Suspend;
}

Error partialFailure(const Error &cause, const QStringList &applied)
{
    Error e = cause;
    e.message = applied.isEmpty()
        ? cause.message
        : QStringLiteral("%1 Already applied: %2; the item stays open.").arg(cause.message, applied.join(QStringLiteral(", ")));
    return e;
}

} // namespace

QString actionName(ActionKind kind)
{
    for (const auto &[k, name] : kindNames())
        if (k == kind)
            return name;
    return {};
}

std::optional<ActionKind> parseActionKind(const QString &name)
{
    for (const auto &[k, n] : kindNames())
        if (name == n)
            return k;
    return std::nullopt;
}

QList<FieldError> checkActions(const QList<DecisionAction> &actions)
{
    QList<FieldError> errors;
    const QString field = QStringLiteral("actions");
    if (actions.isEmpty())
        errors.append({field, QStringLiteral("at least one action"), QStringLiteral("required")});
    QSet<int> seen;
    for (qsizetype i = 0; i < actions.size(); ++i) {
        if (seen.contains(int(actions[i].kind)))
            errors.append({field, QStringLiteral("%1 appears twice").arg(actionName(actions[i].kind)), QStringLiteral("duplicate")});
        seen.insert(int(actions[i].kind));
        const bool wantsDays = takesDays(actions[i].kind);
        if (wantsDays && (actions[i].days < 1 || actions[i].days > kMaxDays))
            errors.append({QStringLiteral("actions[%1].days").arg(i), QStringLiteral("1 to %1 days").arg(kMaxDays),
                           QStringLiteral("out_of_range")});
        if (!wantsDays && actions[i].days != 0)
            errors.append({QStringLiteral("actions[%1].days").arg(i), QStringLiteral("only silence and suspend take days"),
                           QStringLiteral("unknown_field")});
    }
    auto exclusive = [&](ActionKind a, ActionKind b) {
        if (has(actions, a) && has(actions, b))
            errors.append({field, QStringLiteral("%1 and %2 exclude each other").arg(actionName(a), actionName(b)),
                           QStringLiteral("conflicting")});
    };
    if (has(actions, ActionKind::Dismiss) && actions.size() > 1)
        errors.append({field, QStringLiteral("dismiss stands alone"), QStringLiteral("conflicting")});
    exclusive(ActionKind::Remove, ActionKind::Restore);
    exclusive(ActionKind::Hide, ActionKind::Restore);
    exclusive(ActionKind::Remove, ActionKind::Hide);
    exclusive(ActionKind::Suspend, ActionKind::Ban);
    return errors;
}

QJsonArray actionsJson(const QList<DecisionAction> &actions)
{
    QJsonArray out;
    for (const DecisionAction &a : actions) {
        QJsonObject o{{QStringLiteral("type"), actionName(a.kind)}};
        if (takesDays(a.kind))
            o.insert(QStringLiteral("days"), a.days);
        out.append(o);
    }
    return out;
}

Result<DecisionResult> DecisionService::decide(const Principal &who, qint64 itemId, const DecisionInput &input)
{
    auto detail = m_queue.show(itemId);
    if (!detail)
        return tl::unexpected(detail.error());
    const QueueItem &item = detail->item;
    if (item.status != QLatin1String("open"))
        return tl::unexpected(resolvedError());
    if (item.claimActive() && item.claimHolderId != who.userId)
        return tl::unexpected(claimedError(item));
    auto target = m_content.target(item.targetType, item.targetId);
    if (!target)
        return tl::unexpected(target.error());
    QStringList applied;
    if (auto r = applyExternal(who, item, target->authorId, input, applied); !r)
        return tl::unexpected(partialFailure(r.error(), applied));
    auto decided = record(who, item, target->authorId, input);
    if (decided && m_policy) {
        for (const DecisionAction &a : input.actions)
            if (a.kind == ActionKind::Silence)
                m_policy->silenced(target->authorId, Clock::nowUtc(QStringLiteral("admin")).addDays(a.days));
    }
    return decided;
}

Result<void> DecisionService::applyExternal(const Principal &who, const QueueItem &item, qint64 authorId,
                                            const DecisionInput &input, QStringList &applied)
{
    for (const DecisionAction &a : input.actions) {
        Result<void> r;
        switch (a.kind) {
        case ActionKind::Remove:
        case ActionKind::Hide:
        case ActionKind::Restore: {
            auto t = m_content.setRemoved(who, item.targetType, item.targetId, a.kind != ActionKind::Restore, input.reason);
            r = t ? Result<void>() : tl::unexpected(t.error());
            break;
        }
        case ActionKind::Suspend:
        case ActionKind::Ban: {
            auto u = m_accounts.suspend(authorId, input.reason, who.userId);
            r = u ? Result<void>() : tl::unexpected(u.error());
            break;
        }
        case ActionKind::Dismiss:
        case ActionKind::Warn:
        case ActionKind::Silence:   // admin's own penalty: recorded with the decision, enforced by the write policy
            break;
        }
        if (!r)
            return r;
        applied.append(actionName(a.kind));
    }
    const bool dismissed = has(input.actions, ActionKind::Dismiss);
    auto resolved = m_content.resolveReports(who, item.targetType, item.targetId,
                                             dismissed ? QStringLiteral("dismissed") : QStringLiteral("resolved"), input.reason);
    return resolved ? Result<void>() : tl::unexpected(resolved.error());
}

Result<DecisionResult> DecisionService::record(const Principal &who, const QueueItem &item, qint64 authorId,
                                               const DecisionInput &input)
{
    const bool dismissed = has(input.actions, ActionKind::Dismiss);
    QStringList kinds;
    for (const DecisionAction &a : input.actions)
        kinds.append(actionName(a.kind));
    return m_db.transact<DecisionResult>([&](pqxx::work &tx) -> Result<DecisionResult> {
        QueueRepository repo(tx);
        repo.load(item.id, true);
        DecisionResult out;
        out.decisionId = repo.insertDecision(item.id, who.userId, who.username, actionsJson(input.actions), input.reason);
        const QList<QueueReport> closed = repo.resolveItem(item.id, out.decisionId,
                                                           dismissed ? QStringLiteral("dismissed") : QStringLiteral("actioned"));
        for (const QueueReport &r : closed) {
            AdminEvents::ReportOutcome e{r.reportId, r.reporterId, item.id, out.decisionId, item.targetType, item.targetId,
                                         dismissed ? QStringLiteral("dismissed") : QStringLiteral("actioned"), kinds};
            if (auto p = Events::publishEvent(m_events, tx, e); !p)
                return tl::unexpected(p.error());
        }
        out.reportersNotified = int(closed.size());
        for (const DecisionAction &a : input.actions) {
            const auto penalty = penaltyOf(a);
            if (!penalty)
                continue;
            Penalty p;
            p.userId = authorId;
            p.kind = penalty->first;
            p.reason = input.reason;
            p.decisionId = out.decisionId;
            p.createdBy = who.userId;
            const qint64 id = repo.insertPenalty(p, penalty->second);
            out.penaltyIds.append(id);
            AdminEvents::PenaltyChanged e{AdminEvents::Type::PenaltyApplied, id, authorId, p.kind, p.reason,
                                          penalty->second > 0 ? QDateTime::currentDateTimeUtc().addDays(penalty->second) : QDateTime(), {}};
            if (auto pub = Events::publishEvent(m_events, tx, e); !pub)
                return tl::unexpected(pub.error());
        }
        QJsonArray reportIds, penaltyIds;
        for (const QueueReport &r : closed)
            reportIds.append(QString::number(r.reportId));
        for (qint64 id : out.penaltyIds)
            penaltyIds.append(QString::number(id));
        const QJsonObject after{{QStringLiteral("decisionId"), QString::number(out.decisionId)},
                                {QStringLiteral("actions"), actionsJson(input.actions)},
                                {QStringLiteral("target"), QStringLiteral("%1:%2").arg(item.targetType).arg(item.targetId)},
                                {QStringLiteral("reports"), reportIds},
                                {QStringLiteral("penalties"), penaltyIds}};
        auto audited = m_audit.record(tx, StaffAction{QString(Action::QueueDecide), QStringLiteral("queue_item"),
                                                      QString::number(item.id), input.reason,
                                                      QJsonObject{{QStringLiteral("status"), item.status}}, after});
        if (!audited)
            return tl::unexpected(audited.error());
        auto detail = loadDetail(tx, item.id);
        if (!detail)
            return tl::unexpected(detail.error());
        out.detail = *detail;
        return out;
    });
}

Result<int> DecisionService::sweepPenalties()
{
    // Expiry follows the platform clock (a chaos clock offset moves it).
    const QDateTime now = Clock::nowUtc(QStringLiteral("admin"));
    auto due = m_db.read<QList<Penalty>>([now](pqxx::nontransaction &tx) -> Result<QList<Penalty>> {
        return QueueRepository(tx).duePenalties(kSweepBatch, now);
    });
    if (!due)
        return tl::unexpected(due.error());
    int lifted = 0;
    for (const Penalty &p : *due) {
        if (auto r = liftOne(p); !r) {
            qWarning().noquote() << "admin: lifting penalty" << p.id << "failed:" << r.error().message << r.error().logDetail;
            continue;
        }
        ++lifted;
    }
    return lifted;
}

Result<void> DecisionService::liftOne(const Penalty &p)
{
    if (p.kind == QLatin1String("suspend")) {
        auto stillSuspended = m_db.read<bool>([&](pqxx::nontransaction &tx) -> Result<bool> {
            return QueueRepository(tx).hasActiveSuspension(p.userId, p.id, Clock::nowUtc(QStringLiteral("admin")));
        });
        if (!stillSuspended)
            return tl::unexpected(stillSuspended.error());
        if (!*stillSuspended) {
            if (auto r = m_accounts.unsuspend(p.userId); !r && r.error().code != ErrorCode::NotFound)
                return tl::unexpected(r.error());
        }
    }
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (!QueueRepository(tx).liftPenalty(p.id))
            return {};
        AdminEvents::PenaltyChanged e{AdminEvents::Type::PenaltyLifted, p.id, p.userId, p.kind, p.reason, p.endsAt,
                                      QStringLiteral("expiry")};
        if (auto pub = Events::publishEvent(m_events, tx, e); !pub)
            return tl::unexpected(pub.error());
        auto audited = m_audit.record(tx, StaffAction{QString(Action::PenaltyLift), QStringLiteral("user"),
                                                      QString::number(p.userId), QStringLiteral("expired"),
                                                      QJsonObject{{QStringLiteral("penaltyId"), QString::number(p.id)},
                                                                  {QStringLiteral("kind"), p.kind}},
                                                      QJsonObject{{QStringLiteral("liftedBy"), QStringLiteral("expiry")}}});
        return audited ? Result<void>() : tl::unexpected(audited.error());
    });
}

Result<QList<Penalty>> DecisionService::penaltiesOf(qint64 userId)
{
    return m_db.read<QList<Penalty>>([&](pqxx::nontransaction &tx) -> Result<QList<Penalty>> {
        return QueueRepository(tx).penaltiesOf(userId);
    });
}

} // namespace Admin
