// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL on content.reports (with a preview of the reported post or comment), nothing else.
/// Runs in the caller's transaction.

#include "community/result.h"

#include <pqxx/pqxx>

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace Content {

/// A report with its community, reporter, resolver and a preview of the target.
struct ReportRow {
    qint64 id = 0;
    QString targetType;      ///< post | comment
    qint64 targetId = 0;
    qint64 postId = 0;       ///< the target post, or the comment's post (0: gone)
    qint64 communityId = 0;
    QString communitySlug;
    qint64 reporterId = 0;
    QString reporterName;
    QString reason;
    QString details;
    QString status;          ///< open | resolved | dismissed
    qint64 resolvedBy = 0;
    QString resolvedByName;
    QDateTime resolvedAt;    ///< invalid while open
    std::optional<QString> note;
    QDateTime createdAt;
    QString targetTitle;
    qint64 targetAuthorId = 0;
    QString targetAuthorName;
    QString targetBody;
    QString targetState;
};

struct NewReport {
    QString targetType;
    qint64 targetId = 0;
    qint64 communityId = 0;
    qint64 reporterId = 0;
    QString reason;
    QString details;
};

/// The report row locked for resolving.
struct LockedReport {
    qint64 communityId = 0;
    QString status;
    QString targetType;
    qint64 targetId = 0;
    qint64 reporterId = 0;
};

class ReportRepository {
public:
    explicit ReportRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// The community and author of a post or comment, or nullopt when it does not exist.
    std::optional<std::pair<qint64, qint64>> target(const QString &targetType, qint64 targetId);
    /// Inserts the report unless the reporter has one open on the target (a concurrent
    /// duplicate waits on the unique index); returns the new id, or nullopt.
    std::optional<qint64> insert(const NewReport &report);
    /// The reporter's open report on the target (0: none, e.g. resolved in between).
    qint64 openReport(const QString &targetType, qint64 targetId, qint64 reporterId);
    Community::Result<ReportRow> load(qint64 id);
    std::optional<LockedReport> lock(qint64 id);
    void resolve(qint64 id, const QString &resolution, qint64 moderatorId, const QString &note);
    /// Up to `rows` reports with `status` and id below `before`, of the given communities
    /// (nullopt: every community), newest first.
    QList<ReportRow> page(const QString &status, qint64 before, const std::optional<QList<qint64>> &communities, int rows);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Content
