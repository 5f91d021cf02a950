// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Decisions on queue items and the penalties they give (docs/adr/0012-admin-plugin.md).
/// One decision carries several actions; content and accounts are changed through the
/// contracts content and auth provide (as the deciding moderator, so their rules apply),
/// every open report on the target is resolved, each reporter gets an
/// admin.report.outcome event, time-limited suspensions are lifted by sweepPenalties()
/// once they end (a timer in the plugin; state in the database, so also after a restart).
/// Not atomic across plugins: the actions run one by one, and a failure answers which
/// ones were applied. A quarantine is an interim decision: it hides the target (as a
/// moderator removal, visible to staff and the author) and leaves the item open; the final
/// decision keeps it hidden (hide, remove) or shows it again. A decision without a ban can
/// be undone for AdminConfig::undoMinutes by its moderator or an administrator
/// (docs/adr/0036-bulk-undo-quarantine.md). Blocking: worker threads. Thread-safe.

#include "queueservice.h"

#include "community/contracts/content.h"

#include <QJsonArray>

#include <atomic>

namespace Community::Contracts { class IAccountModeration; }
namespace Community::Events { class EventBus; }

namespace Admin {

class ContentPolicy;

enum class ActionKind { Dismiss, Remove, Hide, Restore, Warn, Silence, Suspend, Ban, Quarantine };

struct DecisionAction {
    ActionKind kind = ActionKind::Dismiss;
    int days = 0;   ///< Silence, Suspend: 1..3650
};

struct DecisionInput {
    QList<DecisionAction> actions;
    QString reason;
};

struct DecisionResult {
    qint64 decisionId = 0;
    ItemDetail detail;
    QList<qint64> penaltyIds;
    int reportersNotified = 0;
    bool interim = false;          ///< a quarantine: the item stays open
    QDateTime undoableUntil;       ///< invalid: the decision cannot be undone (a ban)
};

struct UndoResult {
    qint64 decisionId = 0;
    ItemDetail detail;
    QList<qint64> liftedPenalties;
    int reportersCorrected = 0;    ///< reporters sent a "reversed" outcome
};

QString actionName(ActionKind kind);
std::optional<ActionKind> parseActionKind(const QString &name);
/// Field errors of a decision's action list (exclusive kinds, duplicates, days), in
/// BodyReader's terms (field "actions" / "actions[i].days").
QList<Community::FieldError> checkActions(const QList<DecisionAction> &actions);
QJsonArray actionsJson(const QList<DecisionAction> &actions);
/// The actions an undo cannot take back (a ban: it is lifted through an appeal instead).
QStringList irreversibleActions(const QJsonArray &actions);

class DecisionService {
public:
    DecisionService(Community::Db::Database &db, Community::Events::EventBus &events, QueueService &queue,
                    AuditService &audit, Community::Contracts::IContentModeration &content,
                    Community::Contracts::IAccountModeration &accounts)
        : m_db(db), m_events(events), m_queue(queue), m_audit(audit), m_content(content), m_accounts(accounts) {}


    Community::Result<DecisionResult> decide(const Community::Principal &who, qint64 itemId, const DecisionInput &input);
    /// What would stop decide() on this item (missing, decided, claimed by someone else,
    /// already quarantined, target gone), writing nothing: the bulk dry run.
    Community::Result<void> check(const Community::Principal &who, qint64 itemId, const DecisionInput &input);
    /// Takes a decision back inside the undo window: content as it was, the decision's
    /// penalties lifted, the item open again with each reporter told the outcome was
    /// reversed (a quarantine: shown again, the item stays open). NotFound; Forbidden
    /// unless the deciding moderator or an administrator; Conflict `decision-undone`,
    /// `decision-irreversible`, `undo-window-closed`, `decision-superseded`, `target-reopened`.
    /// `dryRun`: every check, nothing changed (the item as it is now).
    Community::Result<UndoResult> undo(const Community::Principal &who, qint64 decisionId, const QString &reason,
                                       bool dryRun = false);
    /// Minutes a decision stays undoable (live setting plugins.admin.undoMinutes).
    void setUndoMinutes(int minutes) { m_undoMinutes.store(minutes); }
    /// The write policy that enforces silences on this node at once (other nodes learn
    /// of them from the penalty events).
    void setWritePolicy(ContentPolicy *policy) { m_policy = policy; }
    /// Lifts silences and suspensions whose time is up; returns how many.
    Community::Result<int> sweepPenalties();
    Community::Result<QList<Penalty>> penaltiesOf(qint64 userId);

private:
    /// The item and its target when `who` may decide it now, else why not.
    Community::Result<std::pair<QueueItem, Community::Contracts::ModerationTarget>>
    decidable(const Community::Principal &who, qint64 itemId, const DecisionInput &input);
    Community::Result<void> applyExternal(const Community::Principal &who, const QueueItem &item, qint64 authorId,
                                          const DecisionInput &input, QStringList &applied);
    Community::Result<DecisionResult> record(const Community::Principal &who, const QueueItem &item, qint64 authorId,
                                             const DecisionInput &input, const QString &stateBefore,
                                             const QString &stateAfter);
    /// Lifts what the undo lifted in auth and in the write policy (after its transaction).
    Community::Result<void> afterUndo(const QList<Penalty> &lifted);
    Community::Result<void> liftOne(const Penalty &penalty);

    Community::Db::Database &m_db;
    Community::Events::EventBus &m_events;
    QueueService &m_queue;
    AuditService &m_audit;
    Community::Contracts::IContentModeration &m_content;
    Community::Contracts::IAccountModeration &m_accounts;
    ContentPolicy *m_policy = nullptr;
    std::atomic<int> m_undoMinutes{10};
};

} // namespace Admin
