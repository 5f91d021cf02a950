// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The one place where SQLSTATEs and libpqxx exception types get their meaning.
#include "community/database.h"

#include <QRegularExpression>
#include <QString>

namespace Community::Db {

namespace {

// The server's primary message only: libpq appends DETAIL lines ("Failing row contains
// (...)", "Key (email)=(...)") that carry row data (password hashes, emails, tokens) and
// must not reach a log. Values quoted in a data exception's message ("invalid input
// syntax for type integer: \"...\"") are bound parameters: redacted too.
QString primaryMessage(const std::exception &e, const std::string &sqlstate)
{
    QString m = QString::fromUtf8(e.what()).trimmed();
    if (sqlstate.empty())
        return m;
    if (const qsizetype nl = m.indexOf(QLatin1Char('\n')); nl >= 0)
        m.truncate(nl);
    if (sqlstate.rfind("22", 0) == 0) {
        static const QRegularExpression quoted(QStringLiteral("\"[^\"]*\""));
        m.replace(quoted, QStringLiteral("\"<redacted>\""));
    }
    return m.trimmed();
}

QString detailOf(const std::exception &e, const std::string &sqlstate = {},
                 const std::string &query = {})
{
    QString d = primaryMessage(e, sqlstate);
    if (!sqlstate.empty())
        d += QStringLiteral(" [SQLSTATE %1]").arg(QString::fromStdString(sqlstate));
    if (!query.empty()) {
        // Statement text only: every query binds its values as parameters ($1 ...).
        QString q = QString::fromStdString(query).simplified();
        if (q.size() > 300)
            q = q.left(300) + QStringLiteral("...");
        d += QStringLiteral(" [query: %1]").arg(q);
    }
    return d;
}

Error fromSqlState(const std::string &state, QString detail)
{
    auto make = [&](ErrorCode code, const char *msg) {
        return Error::make(code, QString::fromUtf8(msg), std::move(detail));
    };
    const auto cls = state.substr(0, 2);
    // Only what the client can cause with a valid request and resolve by changing it or
    // by re-reading is a 4xx. A row that already exists (a taken name, a race between
    // two creates) is the client's conflict; so is a referenced row that a concurrent
    // request deleted, or a row still referenced by others (FK, "restrict" and
    // exclusion). Everything else our own statements raise is our fault: a NOT NULL or
    // CHECK violation means validation and schema disagree, a data exception (class 22:
    // out of range, invalid text representation, value too long ...) means we bound a
    // value the statement cannot take. Those answer 500 and are logged with the query,
    // never blamed on the request ("A value is not valid" for a server bug, issue 10).
    if (state == "23505" || state == "23P01")
        return make(ErrorCode::Conflict, "This already exists.");
    if (state == "23503" || state == "23001")
        return make(ErrorCode::Conflict, "This refers to something that does not exist any more, or is still in use.");
    if (cls == "23" || cls == "22")
        return make(ErrorCode::Internal, "Internal error.");
    if (state == "40001" || state == "40P01")
        return make(ErrorCode::Unavailable, "The database is busy; please retry.");
    if (state == "57014" || state == "55P03")  // statement / lock timeout
        return make(ErrorCode::Timeout, "The database took too long to answer.");
    if (cls == "08" || state == "57P01" || state == "57P02" || state == "57P03" || state == "53300")
        return make(ErrorCode::Unavailable, "The database is not available.");
    if (cls == "53")   // insufficient resources: disk full (53100), out of memory (53200) ...
        return make(ErrorCode::Unavailable, "The database is out of resources; please retry later.");
    return make(ErrorCode::Internal, "Internal error.");
}

} // namespace

Error mapException(const std::exception &e)
{
    // Order matters: the most specific libpqxx types first.
    if (dynamic_cast<const pqxx::in_doubt_error *>(&e))
        return Error::make(ErrorCode::Internal, QStringLiteral("commit outcome unknown"),
                           detailOf(e));
    if (dynamic_cast<const pqxx::serialization_failure *>(&e))
        return fromSqlState("40001", detailOf(e, "40001"));
    if (dynamic_cast<const pqxx::deadlock_detected *>(&e))
        return fromSqlState("40P01", detailOf(e, "40P01"));
    if (dynamic_cast<const pqxx::statement_completion_unknown *>(&e))
        return Error::make(ErrorCode::Internal, QStringLiteral("Internal error."),
                           detailOf(e, "40003"));
    if (dynamic_cast<const pqxx::transaction_rollback *>(&e))
        return Error::make(ErrorCode::Unavailable,
                           QStringLiteral("The database is busy; please retry."), detailOf(e));
    if (dynamic_cast<const pqxx::broken_connection *>(&e))
        return Error::make(ErrorCode::Unavailable, QStringLiteral("The database is not available."),
                           detailOf(e));
    if (const auto *sql = dynamic_cast<const pqxx::sql_error *>(&e))
        return fromSqlState(sql->sqlstate(), detailOf(e, sql->sqlstate(), sql->query()));
    return Error::make(ErrorCode::Internal, QStringLiteral("Internal error."), detailOf(e));
}

} // namespace Community::Db
