// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The one place where SQLSTATEs and libpqxx exception types get their meaning.
#include "community/database.h"

#include <QString>

namespace Community::Db {

namespace {

QString detailOf(const std::exception &e, const std::string &sqlstate = {},
                 const std::string &query = {})
{
    QString d = QString::fromUtf8(e.what()).trimmed();
    if (!sqlstate.empty())
        d += QStringLiteral(" [SQLSTATE %1]").arg(QString::fromStdString(sqlstate));
    if (!query.empty()) {
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
    if (state == "23505")
        return make(ErrorCode::Conflict, "This already exists.");
    if (state == "23503")
        return make(ErrorCode::InvalidArgument, "This refers to something that does not exist.");
    if (state == "23502")
        return make(ErrorCode::InvalidArgument, "A required value is missing.");
    if (state == "23514")
        return make(ErrorCode::InvalidArgument, "A value is outside the allowed range.");
    if (cls == "22")
        return make(ErrorCode::InvalidArgument, "A value is not valid.");
    if (state == "40001" || state == "40P01")
        return make(ErrorCode::Unavailable, "The database is busy; please retry.");
    if (state == "57014" || state == "55P03")  // statement / lock timeout
        return make(ErrorCode::Timeout, "The database took too long to answer.");
    if (cls == "08" || state == "57P01" || state == "57P02" || state == "57P03"
        || state == "53300")
        return make(ErrorCode::Unavailable, "The database is not available.");
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
