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
        {ActionKind::Quarantine, QLatin1StringView("quarantine")},
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

Error typedConflict(const QString &type, const QString &message)
{
    Error e = Error::make(ErrorCode::Conflict, message);
    e.type = type;
    return e;
}

/// Content states an undo can put back (an author's own deletion is theirs to undo).
bool restorable(const QString &state)
{
    return state == QLatin1String("visible") || state == QLatin1String("removed");
}

/// A quarantine hides visible content; one of something already hidden would end up
/// showing it when the final decision lifts the quarantine.
std::optional<Error> quarantineBlocked(const DecisionInput &input, const Contracts::ModerationTarget &target)
{
    if (!has(input.actions, ActionKind::Quarantine) || target.state == QLatin1String("visible"))
        return std::nullopt;
    return typedConflict(QStringLiteral("target-hidden"),
                         QStringLiteral("The target is already %1; there is nothing to quarantine.").arg(target.state));
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
    if (has(actions, ActionKind::Quarantine) && actions.size() > 1)
        errors.append({field, QStringLiteral("quarantine stands alone (the final decision comes later)"),
                       QStringLiteral("conflicting")});
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

QStringList irreversibleActions(const QJsonArray &actions)
{
    QStringList out;
    for (const QJsonValue &a : actions)
        if (a.toObject().value(QLatin1String("type")).toString() == actionName(ActionKind::Ban))
            out.append(actionName(ActionKind::Ban));
    return out;
}

Result<std::pair<QueueItem, Contracts::ModerationTarget>> DecisionService::decidable(const Principal &who, qint64 itemId,
                                                                                      const DecisionInput &input)
{
    auto detail = m_queue.show(itemId);
    if (!detail)
        return tl::unexpected(detail.error());
    const QueueItem &item = detail->item;
    if (item.status != QLatin1String("open"))
        return tl::unexpected(resolvedError());
    if (item.claimActive() && item.claimHolderId != who.userId)
        return tl::unexpected(claimedError(item));
    if (has(input.actions, ActionKind::Quarantine) && item.quarantineDecisionId)
        return tl::unexpected(typedConflict(QStringLiteral("already-quarantined"),
                                            QStringLiteral("The item's target is already quarantined; decide it.")));
    auto target = m_content.target(item.targetType, item.targetId);
    if (!target)
        return tl::unexpected(target.error());
    if (auto blocked = quarantineBlocked(input, *target))
        return tl::unexpected(*blocked);
    return std::pair{item, *target};
}

Result<void> DecisionService::check(const Principal &who, qint64 itemId, const DecisionInput &input)
{
    auto ready = decidable(who, itemId, input);
    return ready ? Result<void>() : tl::unexpected(ready.error());
}

Result<DecisionResult> DecisionService::decide(const Principal &who, qint64 itemId, const DecisionInput &input)
{
    auto ready = decidable(who, itemId, input);
    if (!ready)
        return tl::unexpected(ready.error());
    const QueueItem &item = ready->first;
    const Contracts::ModerationTarget &target = ready->second;
    QStringList applied;
    if (auto r = applyExternal(who, item, target.authorId, input, applied); !r)
        return tl::unexpected(partialFailure(r.error(), applied));
    // What the target looks like now, for an undo to put back what it found.
    auto now = m_content.target(item.targetType, item.targetId);
    auto decided = record(who, item, target.authorId, input, target.state, now ? now->state : QString());
    if (decided && m_policy) {
        for (const DecisionAction &a : input.actions)
            if (a.kind == ActionKind::Silence)
                m_policy->silenced(target.authorId, Clock::nowUtc(QStringLiteral("admin")).addDays(a.days));
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
        case ActionKind::Restore:
        case ActionKind::Quarantine: {
            // A quarantine is content's moderator removal (seen by staff and the author only), kept provisional here.
            const QString why = a.kind == ActionKind::Quarantine ? QStringLiteral("quarantined: ") + input.reason : input.reason;
            auto t = m_content.setRemoved(who, item.targetType, item.targetId, a.kind != ActionKind::Restore, why);
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
    if (has(input.actions, ActionKind::Quarantine))
        return {};   // interim: the reports stay open until the final decision
    // The final decision ends a quarantine: the target stays hidden only if the decision hides it.
    const bool setsVisibility = has(input.actions, ActionKind::Hide) || has(input.actions, ActionKind::Remove)
                                || has(input.actions, ActionKind::Restore);
    if (item.quarantineDecisionId && !setsVisibility) {
        auto t = m_content.setRemoved(who, item.targetType, item.targetId, false, input.reason);
        if (!t)
            return tl::unexpected(t.error());
        applied.append(QStringLiteral("quarantine lifted"));
    }
    const bool dismissed = has(input.actions, ActionKind::Dismiss);
    auto resolved = m_content.resolveReports(who, item.targetType, item.targetId,
                                             dismissed ? QStringLiteral("dismissed") : QStringLiteral("resolved"), input.reason);
    return resolved ? Result<void>() : tl::unexpected(resolved.error());
}

Result<DecisionResult> DecisionService::record(const Principal &who, const QueueItem &item, qint64 authorId,
                                               const DecisionInput &input, const QString &stateBefore,
                                               const QString &stateAfter)
{
    const bool dismissed = has(input.actions, ActionKind::Dismiss);
    const bool interim = has(input.actions, ActionKind::Quarantine);
    const QJsonArray actions = actionsJson(input.actions);
    QStringList kinds;
    for (const DecisionAction &a : input.actions)
        kinds.append(actionName(a.kind));
    return m_db.transact<DecisionResult>([&](pqxx::work &tx) -> Result<DecisionResult> {
        QueueRepository repo(tx);
        repo.load(item.id, true);
        DecisionResult out;
        out.interim = interim;
        const bool correction = !interim && repo.hadUndoneDecision(item.id);
        out.decisionId = repo.insertDecision(item.id, who.userId, who.username, actions, input.reason, stateBefore,
                                             stateAfter, interim);
        QList<QueueReport> closed;
        if (interim)
            repo.setQuarantine(item.id, out.decisionId);
        else
            closed = repo.resolveItem(item.id, out.decisionId,
                                      dismissed ? QStringLiteral("dismissed") : QStringLiteral("actioned"));
        for (const QueueReport &r : closed) {
            AdminEvents::ReportOutcome e{r.reportId, r.reporterId, item.id, out.decisionId, item.targetType, item.targetId,
                                         dismissed ? QStringLiteral("dismissed") : QStringLiteral("actioned"), kinds,
                                         correction};
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
                                {QStringLiteral("actions"), actions},
                                {QStringLiteral("target"), QStringLiteral("%1:%2").arg(item.targetType).arg(item.targetId)},
                                {QStringLiteral("reports"), reportIds},
                                {QStringLiteral("penalties"), penaltyIds}};
        auto audited = m_audit.record(tx, StaffAction{QString(interim ? Action::QueueQuarantine : Action::QueueDecide),
                                                      QStringLiteral("queue_item"), QString::number(item.id), input.reason,
                                                      QJsonObject{{QStringLiteral("status"), item.status}}, after});
        if (!audited)
            return tl::unexpected(audited.error());
        auto detail = loadDetail(tx, item.id);
        if (!detail)
            return tl::unexpected(detail.error());
        out.detail = *detail;
        if (irreversibleActions(actions).isEmpty())
            out.undoableUntil = Clock::nowUtc(QStringLiteral("admin")).addSecs(qint64(m_undoMinutes.load()) * 60);
        return out;
    });
}

Result<UndoResult> DecisionService::undo(const Principal &who, qint64 decisionId, const QString &reason, bool dryRun)
{
    auto found = m_db.read<std::optional<Decision>>([&](pqxx::nontransaction &tx) -> Result<std::optional<Decision>> {
        return QueueRepository(tx).decision(decisionId);
    });
    if (!found)
        return tl::unexpected(found.error());
    if (!*found)
        return tl::unexpected(notFound(QStringLiteral("No such decision.")));
    const Decision d = **found;
    if (who.userId != d.moderatorId && !who.hasRole(Role::Admin))
        return tl::unexpected(forbidden(QStringLiteral("Only the moderator who decided, or an administrator, may undo a decision.")));
    if (d.undoneAt.isValid())
        return tl::unexpected(typedConflict(QStringLiteral("decision-undone"), QStringLiteral("This decision was already undone.")));
    if (const QStringList never = irreversibleActions(d.actions); !never.isEmpty())
        return tl::unexpected(typedConflict(QStringLiteral("decision-irreversible"),
                                       QStringLiteral("A decision with %1 cannot be undone; lift the account's penalty "
                                                      "through an appeal instead.")
                                           .arg(never.join(QStringLiteral(", ")))));
    const QDateTime until = d.createdAt.addSecs(qint64(m_undoMinutes.load()) * 60);
    if (Clock::nowUtc(QStringLiteral("admin")) > until)
        return tl::unexpected(typedConflict(QStringLiteral("undo-window-closed"),
                                       QStringLiteral("The undo window of this decision closed at %1.")
                                           .arg(until.toString(Qt::ISODate))));
    auto detail = m_queue.show(d.itemId);
    if (!detail)
        return tl::unexpected(detail.error());
    const QueueItem &item = detail->item;
    const bool current = d.interim ? item.status == QLatin1String("open") && item.quarantineDecisionId == d.id
                                   : item.decisionId == d.id;
    if (!current)
        return tl::unexpected(typedConflict(QStringLiteral("decision-superseded"),
                                       QStringLiteral("The item was decided again since; undo that decision first.")));
    auto other = m_db.read<qint64>([&](pqxx::nontransaction &tx) -> Result<qint64> {
        return QueueRepository(tx).otherOpenItem(d.itemId);
    });
    if (!other)
        return tl::unexpected(other.error());
    if (!d.interim && *other)
        return tl::unexpected(typedConflict(QStringLiteral("target-reopened"),
                                       QStringLiteral("The target was reported again since (item %1); decide that item.")
                                           .arg(*other)));
    if (dryRun)
        return UndoResult{d.id, *detail, {}, 0};
    // Content first, as the decision did: put the target back as the decision found it.
    if (d.stateBefore != d.stateAfter && restorable(d.stateBefore) && restorable(d.stateAfter)) {
        auto t = m_content.setRemoved(who, item.targetType, item.targetId, d.stateBefore == QLatin1String("removed"),
                                      QStringLiteral("undo: ") + reason);
        if (!t)
            return tl::unexpected(t.error());
    }
    QList<Penalty> lifted;
    auto undone = m_db.transact<UndoResult>([&](pqxx::work &tx) -> Result<UndoResult> {
        QueueRepository repo(tx);
        repo.load(d.itemId, true);
        if (!repo.markUndone(d.id, who.userId, reason))
            return tl::unexpected(typedConflict(QStringLiteral("decision-undone"), QStringLiteral("This decision was already undone.")));
        UndoResult out;
        out.decisionId = d.id;
        lifted = repo.penaltiesOfDecision(d.id);
        QJsonArray liftedIds, reportIds;
        for (const Penalty &p : lifted) {
            repo.liftPenalty(p.id);
            out.liftedPenalties.append(p.id);
            liftedIds.append(QString::number(p.id));
            AdminEvents::PenaltyChanged e{AdminEvents::Type::PenaltyLifted, p.id, p.userId, p.kind, p.reason, p.endsAt,
                                          QStringLiteral("undo")};
            if (auto pub = Events::publishEvent(m_events, tx, e); !pub)
                return tl::unexpected(pub.error());
        }
        if (d.interim) {
            repo.setQuarantine(d.itemId, 0);
        } else {
            QStringList kinds;
            for (const QJsonValue &a : d.actions)
                kinds.append(a.toObject().value(QLatin1String("type")).toString());
            for (const QueueReport &r : repo.reopenItem(d.itemId)) {
                reportIds.append(QString::number(r.reportId));
                AdminEvents::ReportOutcome e{r.reportId, r.reporterId, d.itemId, d.id, item.targetType, item.targetId,
                                             QStringLiteral("reversed"), kinds, true};
                if (auto pub = Events::publishEvent(m_events, tx, e); !pub)
                    return tl::unexpected(pub.error());
            }
            out.reportersCorrected = int(reportIds.size());
        }
        const QJsonObject before{{QStringLiteral("decisionId"), QString::number(d.id)},
                                 {QStringLiteral("actions"), d.actions},
                                 {QStringLiteral("moderatorId"), QString::number(d.moderatorId)}};
        const QJsonObject after{{QStringLiteral("itemId"), QString::number(d.itemId)},
                                {QStringLiteral("liftedPenalties"), liftedIds},
                                {QStringLiteral("reopenedReports"), reportIds}};
        auto audited = m_audit.record(tx, StaffAction{QString(Action::QueueUndo), QStringLiteral("decision"),
                                                      QString::number(d.id), reason, before, after});
        if (!audited)
            return tl::unexpected(audited.error());
        auto loaded = loadDetail(tx, d.itemId);
        if (!loaded)
            return tl::unexpected(loaded.error());
        out.detail = *loaded;
        return out;
    });
    if (!undone)
        return undone;
    if (auto r = afterUndo(lifted); !r)
        return tl::unexpected(r.error());
    return undone;
}

Result<void> DecisionService::afterUndo(const QList<Penalty> &lifted)
{
    bool silences = false;
    for (const Penalty &p : lifted) {
        silences = silences || p.kind == QLatin1String("silence");
        if (p.kind != QLatin1String("suspend"))
            continue;
        auto still = m_db.read<bool>([&](pqxx::nontransaction &tx) -> Result<bool> {
            return QueueRepository(tx).hasActiveSuspension(p.userId, p.id, Clock::nowUtc(QStringLiteral("admin")));
        });
        if (!still)
            return tl::unexpected(still.error());
        if (!*still)
            if (auto r = m_accounts.unsuspend(p.userId); !r && r.error().code != ErrorCode::NotFound)
                return tl::unexpected(r.error());
    }
    // This node stops refusing at once; the others follow the penalty.lifted events.
    if (silences && m_policy)
        return m_policy->refresh();
    return {};
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
