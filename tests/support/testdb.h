// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A fresh, uniquely named database on the test cluster (env COMMUNITY_TEST_PG, set by the
/// `pg` ctest fixture), dropped WITH (FORCE) in the destructor. Missing env or a failed
/// CREATE DATABASE aborts the test binary loudly (qFatal): db tests never skip silently.

#include "community/database.h"

#include <QString>

#include <string>

namespace Community::Test {

class TestDb {
public:
    TestDb();
    ~TestDb();
    TestDb(const TestDb &) = delete;
    TestDb &operator=(const TestDb &) = delete;

    /// Conninfo of the fresh database.
    std::string conninfo() const { return m_conninfo; }
    /// Its name ("t_<random hex>").
    QString name() const { return m_name; }
    /// A DatabaseConfig for it with small, test-friendly defaults.
    Db::DatabaseConfig config(int poolSize = 4) const;

    /// COMMUNITY_TEST_PG (the admin conninfo, dbname=postgres).
    static std::string adminConninfo();
    /// `conninfo` with its dbname replaced by `dbname`.
    static std::string withDbName(const std::string &conninfo, const QString &dbname);

private:
    QString m_name;
    std::string m_conninfo;
};

} // namespace Community::Test
