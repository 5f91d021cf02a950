// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Migration 0003 and the start-up backfill of ADR 0009 against the real test PostgreSQL:
// rows from before the skeleton column get their NFKC name and skeleton; a row that
// clashes with another stays NULL; the unique index refuses a look-alike insert.

#include "accountrepository.h"
#include "accountservice.h"
#include "testdb.h"
#include "validation.h"

#include "community/database.h"
#include "community/host/migrator.h"

#include <QtTest>

using namespace Community;
using namespace Auth;

class TstUsernameBackfill : public QObject {
    Q_OBJECT

    std::unique_ptr<Community::Test::TestDb> m_tdb;
    std::unique_ptr<Db::Database> m_db;

    template <typename F>
    auto inTx(F f)
    {
        using T = decltype(f(std::declval<pqxx::work &>()));
        return m_db->transact<T>([&](pqxx::work &tx) -> Result<T> { return f(tx); });
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_tdb = std::make_unique<Community::Test::TestDb>();
        m_db = std::make_unique<Db::Database>(m_tdb->config(2));
        QVERIFY(m_db->open());
        auto set = loadMigrations(QStringLiteral("auth"), QStringLiteral(AUTH_MIGRATIONS_DIR));
        QVERIFY2(set, set ? "" : qPrintable(set.error().message));
        auto m = Migrator(*m_db).migrate({*set});
        QVERIFY2(m, m ? "" : qPrintable(m.error().message + m.error().logDetail));
    }
    void cleanupTestCase()
    {
        if (m_db)
            m_db->close();
        m_db.reset();
        m_tdb.reset();
    }

    void backfillOldRows()
    {
        const QString nfc = QString::fromUtf16(u"\ud55c\uae00");
        const QString nfd = QString::fromUtf16(u"\u1112\u1161\u11ab\u1100\u1173\u11af");
        // Rows as they were before 0003: no skeleton, names as sent.
        auto inserted = inTx([&](pqxx::work &tx) {
            for (const QString &name : {QStringLiteral("secaflri"), QString::fromUtf16(u"sec\u0430flri"), nfd,
                                        QString::fromUtf16(u"\uff4b\uff49\uff4d\uff4f"), QStringLiteral("plain")})
                tx.exec_params("INSERT INTO auth.users (username, email, password_hash) VALUES ($1, NULL, NULL)",
                               name.toStdString());
            return tx.exec("SELECT count(*) FROM auth.users WHERE username_skeleton IS NULL")[0][0].as<int>();
        });
        QCOMPARE(inserted.value_or(-1), 5);

        QList<qint64> clashes;
        auto filled = inTx([&](pqxx::work &tx) { return fillUsernameKeys(tx, &clashes); });
        QCOMPARE(filled.value_or(-1), 4);
        QCOMPARE(clashes.size(), 1);   // the Cyrillic look-alike of secaflri

        auto rows = inTx([&](pqxx::work &tx) {
            QMap<QString, QString> out;
            for (const auto &r : tx.exec("SELECT username, coalesce(username_skeleton, '-') FROM auth.users"))
                out.insert(QString::fromStdString(r[0].as<std::string>()), QString::fromStdString(r[1].as<std::string>()));
            return out;
        });
        QVERIFY(rows);
        QCOMPARE(rows->value(QStringLiteral("secaflri")), usernameSkeleton(QStringLiteral("secaflri")));
        QCOMPARE(rows->value(QString::fromUtf16(u"sec\u0430flri")), QStringLiteral("-"));
        QCOMPARE(rows->value(nfc), usernameSkeleton(nfc));        // stored composed now
        QVERIFY(!rows->contains(nfd));
        QCOMPARE(rows->value(QStringLiteral("kimo")), usernameSkeleton(QStringLiteral("kimo")));   // fullwidth → NFKC

        // Idempotent: a second start fills nothing new and keeps the clash.
        clashes.clear();
        QCOMPARE(inTx([&](pqxx::work &tx) { return fillUsernameKeys(tx, &clashes); }).value_or(-1), 0);
        QCOMPARE(clashes.size(), 1);

        // Lookups normalise: the NFD spelling finds the stored NFC row.
        auto found = inTx([&](pqxx::work &tx) { return AccountRepository(tx).byUsername(nfd).has_value(); });
        QCOMPARE(found.value_or(false), true);
    }

    void uniqueIndexRefusesALookAlike()
    {
        auto r = m_db->transact<bool>([&](pqxx::work &tx) -> Result<bool> {
            NewAccount a;
            a.username = QStringLiteral("plain2");
            a.usernameSkeleton = usernameSkeleton(QStringLiteral("secaflri"));   // as a racing registration would
            a.email = QStringLiteral("plain2@example.org");
            a.passwordHash = QStringLiteral("x");
            AccountRepository(tx).insert(a);
            return true;
        });
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Conflict);
    }
};

QTEST_GUILESS_MAIN(TstUsernameBackfill)
#include "tst_usernamebackfill.moc"
