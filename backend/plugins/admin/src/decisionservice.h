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
/// ones were applied. Blocking: worker threads. Thread-safe.

#include "queueservice.h"

#include <QJsonArray>

namespace Community::Contracts { class IContentModeration; class IAccountModeration; }
namespace Community::Events { class EventBus; }

namespace Admin {

class ContentPolicy;

enum class ActionKind { Dismiss, Remove, Hide, Restore, Warn, Silence, Suspend, Ban };

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
};

QString actionName(ActionKind kind);
std::optional<ActionKind> parseActionKind(const QString &name);
/// Field errors of a decision's action list (exclusive kinds, duplicates, days), in
/// BodyReader's terms (field "actions" / "actions[i].days").
QList<Community::FieldError> checkActions(const QList<DecisionAction> &actions);
QJsonArray actionsJson(const QList<DecisionAction> &actions);

class DecisionService {
public:
    DecisionService(Community::Db::Database &db, Community::Events::EventBus &events, QueueService &queue,
                    AuditService &audit, Community::Contracts::IContentModeration &content,
                    Community::Contracts::IAccountModeration &accounts)
        : m_db(db), m_events(events), m_queue(queue), m_audit(audit), m_content(content), m_accounts(accounts) {}


    Community::Result<DecisionResult> decide(const Community::Principal &who, qint64 itemId, const DecisionInput &input);
    /// The write policy that enforces silences on this node at once (other nodes learn
    /// of them from the penalty events).
    void setWritePolicy(ContentPolicy *policy) { m_policy = policy; }
    /// Lifts silences and suspensions whose time is up; returns how many.
    Community::Result<int> sweepPenalties();
    Community::Result<QList<Penalty>> penaltiesOf(qint64 userId);

private:
    Community::Result<void> applyExternal(const Community::Principal &who, const QueueItem &item, qint64 authorId,
                                          const DecisionInput &input, QStringList &applied);
    Community::Result<DecisionResult> record(const Community::Principal &who, const QueueItem &item, qint64 authorId,
                                             const DecisionInput &input);
    Community::Result<void> liftOne(const Penalty &penalty);

    Community::Db::Database &m_db;
    Community::Events::EventBus &m_events;
    QueueService &m_queue;
    AuditService &m_audit;
    Community::Contracts::IContentModeration &m_content;
    Community::Contracts::IAccountModeration &m_accounts;
    ContentPolicy *m_policy = nullptr;
};

} // namespace Admin
