// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The reports (docs/analytics.md has every JSON shape): active-users, signups, activity,
/// top-content, search, moderation, retention. Each answers for a range of local days in
/// a time zone, with totals, the previous period of the same length and the change, and
/// has a CSV form (one row per day, ranked item or cohort).
/// Threading: blocking (database), worker threads only.

#include "reportrepository.h"

#include "community/result.h"

#include <QJsonObject>
#include <QStringList>

namespace Community::Db { class Database; }

namespace Analytics {

struct ReportRequest {
    QString name;
    ReportRange range;
    int limit = 10;
};

struct ReportTable {
    QStringList columns;
    QList<QStringList> rows;
};

struct Report {
    QJsonObject json;
    ReportTable table;
};

class ReportService {
public:
    explicit ReportService(Community::Db::Database &db) : m_db(db) {}

    static const QStringList &names();
    /// Reports a moderator may read; the others are for administrators.
    static bool forModerators(const QString &name) { return name == QLatin1String("moderation"); }

    Community::Result<Report> run(const ReportRequest &request);

    /// RFC 4180 CSV of a table.
    static QByteArray csv(const ReportTable &table);

private:
    Community::Db::Database &m_db;
};

} // namespace Analytics
