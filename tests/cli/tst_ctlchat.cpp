// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// `communityctl chat rooms|messages|purge` (runCtl in this process, so that a terminal can
// be simulated) against a live communityd with the auth, users and chat plugins: listing,
// deleted text for operators, purge with --dry-run, refusal without a terminal, the typed
// room id (a wrong one declines), and --yes.

#include "ctlrun.h"
#include "usershttp.h"

#include <pqxx/pqxx>


using namespace Community::Ctl;
using Community::Ctl::Test::Run;
using Community::Ctl::Test::run;
using Users::Test::UsersHttp;

class TstCtlChat : public QObject
{
    Q_OBJECT

    UsersHttp m_http;
    QString m_room;

    Run ctl(const QStringList &args, const std::string &stdinText = {}, bool tty = false)
    {
        return run(QStringList{"--server", m_http.daemon.baseUrl().toString(), "--token", m_http.daemon.operatorToken()} + args,
                   stdinText, tty);
    }
    qint64 messages()
    {
        pqxx::connection c(m_http.daemon.database()->conninfo());
        pqxx::nontransaction tx(c);
        return tx.exec("SELECT count(*) FROM chat.messages WHERE room_id = " + m_room.toStdString())[0][0].as<qint64>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_http.extraSets << QStringLiteral("plugins.chat.floodWindowSeconds=0");
        QVERIFY2(m_http.start(&error), qPrintable(error));
        auto a = m_http.registerUser(QStringLiteral("ctlchat"));
        auto r = m_http.call("POST", "/v1/chat/rooms", a.token, UsersHttp::json({{"kind", "group"}, {"name", "Ops room"}}));
        QCOMPARE(r.status, 201);
        m_room = r.json().value("id").toString();
        for (int i = 0; i < 4; ++i) {
            auto sent = m_http.call("POST", QStringLiteral("/v1/chat/rooms/%1/messages").arg(m_room), a.token,
                                    UsersHttp::json({{"clientId", QStringLiteral("c%1").arg(i)}, {"body", QStringLiteral("text %1").arg(i)}}));
            QCOMPARE(sent.status, 201);
            if (i == 3)
                QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/chat/rooms/%1/messages/%2").arg(m_room, sent.json().value("id").toString()),
                                     a.token).status, 204);
        }
        pqxx::connection c(m_http.daemon.database()->conninfo());
        pqxx::nontransaction tx(c);
        tx.exec("UPDATE chat.messages SET created_at = now() - interval '10 days' WHERE seq <= 2 AND room_id = "
                + m_room.toStdString());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void roomsAndMessages()
    {
        Run r = ctl({"chat", "rooms"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("Ops room") && r.out.contains("group"), qPrintable(r.out));
        r = ctl({"chat", "messages", "--room", m_room});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("text 3") && r.out.contains("yes"), qPrintable(r.out));   // deleted, text kept for operators
        r = ctl({"-o", "json", "chat", "messages", "--room", m_room, "--before", "3"});
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value("items").toArray().size(), 2);
        QCOMPARE(ctl({"chat", "messages", "--room", "999999"}).exitCode, 1);
    }

    void purgeConfirmation()
    {
        const QString before = QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODate);
        Run r = ctl({"chat", "purge", "--room", m_room, "--before", before, "--dry-run"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("2 message(s)"), qPrintable(r.out));
        QCOMPARE(messages(), 4);
        // No terminal, no --yes: refused before any request.
        QCOMPARE(ctl({"chat", "purge", "--room", m_room, "--before", before}).exitCode, 2);
        // A terminal, but the wrong room id typed: declined.
        r = ctl({"chat", "purge", "--room", m_room, "--before", before}, "y\n", true);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("Type the room id"), qPrintable(r.err));
        QCOMPARE(messages(), 4);
        r = ctl({"chat", "purge", "--room", m_room, "--before", before}, m_room.toStdString() + "\n", true);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("deleted 2 message(s)"), qPrintable(r.out));
        QCOMPARE(messages(), 2);
        r = ctl({"chat", "purge", "--room", m_room, "--before", QDateTime::currentDateTimeUtc().addSecs(60).toString(Qt::ISODate), "--yes"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(messages(), 0);
    }
};

QTEST_GUILESS_MAIN(TstCtlChat)
#include "tst_ctlchat.moc"
