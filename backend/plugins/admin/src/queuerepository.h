// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for the review queue, decisions and penalties (schema `admin` only). Blocking;
/// used inside the caller's transaction.

#include "priority.h"

#include <pqxx/pqxx>

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QStringList>

#include <QJsonDocument>

#include <optional>

namespace Admin {

struct QueueItem {
    qint64 id = 0;
    QString kind, targetType;
    qint64 targetId = 0, communityId = 0;
    QString status;
    int priority = 0;
    qint64 assigneeId = 0;
    qint64 claimHolderId = 0;
    QString claimHolderName;
    QDateTime claimExpiresAt;      ///< invalid or past: not claimed
    qint64 decisionId = 0;
    qint64 quarantineDecisionId = 0;   ///< the interim decision that hid the target (0: none)
    int openReports = 0;
    QStringList reasons;           ///< distinct reasons of the open reports
    QDateTime createdAt, updatedAt, resolvedAt;

    bool claimedBy(qint64 userId) const;
    bool claimActive() const;
};

struct QueueReport {
    qint64 reportId = 0, reporterId = 0;
    QString reporterRole, reason, outcome;
    QDateTime createdAt;
};

struct QueueNote {
    qint64 id = 0, authorId = 0;
    QString authorName, body;
    QDateTime createdAt;
};

struct QueueFilter {
    QString status = QStringLiteral("open");
    QString targetType, reason;
    qint64 communityId = 0;
    qint64 assigneeId = 0;         ///< 0: anyone
    std::optional<std::pair<qint64, qint64>> after;   ///< keyset (priority, id)
};

struct IncomingReport {
    qint64 reportId = 0, reporterId = 0, targetId = 0, communityId = 0;
    QString reporterRole, reason, targetType;
    QString source = QStringLiteral("content");   ///< whose report id: "content" or "chat"
};

/// A decision as stored: final (resolves its item) or interim (a quarantine).
struct Decision {
    qint64 id = 0, itemId = 0, moderatorId = 0;
    QString moderatorName, reason;
    QJsonArray actions;
    QString stateBefore, stateAfter;   ///< the target's state around the decision (empty: unknown)
    bool interim = false;
    QDateTime createdAt, undoneAt;
};

struct Penalty {
    qint64 id = 0, userId = 0, decisionId = 0, createdBy = 0;
    QString kind, reason;
    QDateTime createdAt, endsAt, liftedAt;
};

class QueueRepository {
public:
    explicit QueueRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Files the report under the open item of its target (opening one); false when the
    /// report was already known (redelivered event). `itemId` receives the item.
    bool addReport(const IncomingReport &report, qint64 *itemId);
    QList<ReportSignal> reportSignals(qint64 itemId);
    /// Opens (or keeps) an item of kind "flag" for a target a watched-word rule flagged;
    /// false when an open item already existed.
    bool addFlag(const QString &targetType, qint64 targetId, qint64 communityId, int priority);
    void setPriority(qint64 itemId, int priority);
    /// Marks a content report closed outside the queue; its item, or 0 when unknown or decided.
    qint64 closeReport(qint64 reportId);
    int openReportCount(qint64 itemId);

    std::optional<QueueItem> load(qint64 itemId, bool forUpdate = false);
    QList<QueueItem> page(const QueueFilter &filter, int limit);
    QList<QueueReport> reports(qint64 itemId);
    QList<QueueNote> notes(qint64 itemId);

    void setClaim(qint64 itemId, qint64 holderId, const QString &holderName, int minutes);
    void clearClaim(qint64 itemId);
    qint64 addNote(qint64 itemId, qint64 authorId, const QString &authorName, const QString &body);
    void setAssignee(qint64 itemId, qint64 assigneeId);

    qint64 insertDecision(qint64 itemId, qint64 moderatorId, const QString &moderatorName, const QJsonArray &actions,
                          const QString &reason, const QString &stateBefore, const QString &stateAfter, bool interim);
    std::optional<Decision> decision(qint64 decisionId, bool forUpdate = false);
    /// Marks the decision undone; false when it already was.
    bool markUndone(qint64 decisionId, qint64 byId, const QString &reason);
    /// Whether an earlier decision on the item was undone (its reporters were told of it).
    bool hadUndoneDecision(qint64 itemId);
    /// Another open item on the item's target (opened by a report after the decision), or 0.
    qint64 otherOpenItem(qint64 itemId);
    /// Opens a resolved item again and clears its reports' outcomes; returns those reports.
    QList<QueueReport> reopenItem(qint64 itemId);
    /// Sets (decision id) or clears (0) the item's quarantine.
    void setQuarantine(qint64 itemId, qint64 decisionId);
    /// The decision's penalties not lifted yet.
    QList<Penalty> penaltiesOfDecision(qint64 decisionId);
    /// Sets the outcome of the item's reports that have none (and of `closed` ones), resolves the item.
    QList<QueueReport> resolveItem(qint64 itemId, qint64 decisionId, const QString &outcome);

    qint64 insertPenalty(const Penalty &p, int days);
    /// Time-limited penalties past their end and not lifted, oldest first.
    /// Unlifted penalties whose end is at or before `now` (the platform clock).
    QList<Penalty> duePenalties(int limit, const QDateTime &now);
    /// Marks it lifted; false when it was already.
    bool liftPenalty(qint64 penaltyId);
    /// Whether the user has another suspension or ban in force (not `exceptId`).
    bool hasActiveSuspension(qint64 userId, qint64 exceptId, const QDateTime &now);
    QList<Penalty> penaltiesOf(qint64 userId);
    /// Silences in force at `now`: account → the latest end (invalid when one has no end).
    QHash<qint64, QDateTime> activeSilences(const QDateTime &now);

    pqxx::transaction_base &transaction() { return m_tx; }

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Admin
