// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "testdb.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QtGlobal>

#include <pqxx/pqxx>

namespace Community::Test {

std::string TestDb::adminConninfo()
{
    const QByteArray env = qgetenv("COMMUNITY_TEST_PG");
    if (env.isEmpty())
        qFatal("COMMUNITY_TEST_PG is not set: run db tests through ctest (the `pg` fixture "
               "starts PostgreSQL), or start tests/support/pgfixture.sh yourself and export "
               "COMMUNITY_TEST_PG=\"host=DIR port=5432 user=community dbname=postgres\"");
    return env.toStdString();
}

std::string TestDb::withDbName(const std::string &conninfo, const QString &dbname)
{
    QString s = QString::fromStdString(conninfo);
    static const QRegularExpression re(QStringLiteral("dbname\\s*=\\s*\\S+"));
    const QString kv = QStringLiteral("dbname=") + dbname;
    if (s.contains(re))
        s.replace(re, kv);
    else
        s += QLatin1Char(' ') + kv;
    return s.toStdString();
}

TestDb::TestDb()
{
    const std::string admin = adminConninfo();
    m_name = QStringLiteral("t_%1%2")
                 .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'))
                 .arg(QRandomGenerator::global()->generate() & 0xffff, 4, 16, QLatin1Char('0'));
    try {
        pqxx::connection c(admin);
        pqxx::nontransaction n(c);
        n.exec("CREATE DATABASE " + n.quote_name(m_name.toStdString()));
    } catch (const std::exception &e) {
        qFatal("TestDb: cannot create database %s: %s", qPrintable(m_name), e.what());
    }
    m_conninfo = withDbName(admin, m_name);
}

TestDb::~TestDb()
{
    try {
        pqxx::connection c(adminConninfo());
        pqxx::nontransaction n(c);
        n.exec("DROP DATABASE IF EXISTS " + n.quote_name(m_name.toStdString()) + " WITH (FORCE)");
    } catch (const std::exception &e) {
        qWarning("TestDb: dropping %s failed: %s", qPrintable(m_name), e.what());
    }
}

Db::DatabaseConfig TestDb::config(int poolSize) const
{
    Db::DatabaseConfig c;
    c.connectionString = m_conninfo;
    c.poolSize = poolSize;
    c.workers = poolSize;
    c.acquireTimeoutMs = 5000;
    c.queueLimit = 64;
    c.maxRetries = 5;
    c.statementTimeoutMs = 20'000;
    return c;
}

} // namespace Community::Test
