// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Search within a chat room over real HTTP: communityd with the real auth, users, chat and
// search plugins and the test PostgreSQL. Messages reach the search plugin's projection
// through chat's events (consumer "search.chat"); GET /v1/chat/rooms/{id}/search asks it
// through IRoomSearch. Korean (particles and endings stripped, bigrams) and English
// (stemming) text; only the room's own messages; members only; deleted messages drop
// out; edits are searchable by their new text.

#include "chathttp.h"

#include <QUrl>

using namespace Chat::Test;

class TstChatSearch : public QObject {
    Q_OBJECT

    ChatHttp m_http;
    Member m_ann, m_bob, m_cat;
    QString m_room, m_other;
    QHash<QString, QString> m_ids;   // client id -> message id

    HttpResult search(const Member &who, const QString &room, const QString &q, const QString &extra = {})
    {
        return m_http.call("GET", QStringLiteral("/v1/chat/rooms/%1/search?q=%2%3")
                                      .arg(room, QString::fromLatin1(QUrl::toPercentEncoding(q)), extra),
                           who.account.token);
    }
    /// The message ids a search finds (newest first).
    QStringList found(const QString &q, const QString &room = {})
    {
        QStringList out;
        for (const QJsonValue &v : search(m_ann, room.isEmpty() ? m_room : room, q).json().value("items").toArray())
            out.append(v.toObject().value("id").toString());
        return out;
    }
    /// Waits until `q` finds exactly `expected` (the index trails the messages).
    bool eventually(const QString &q, const QStringList &expected)
    {
        QDeadlineTimer deadline(15'000);
        while (!deadline.hasExpired()) {
            if (found(q) == expected)
                return true;
            QTest::qWait(50);
        }
        qWarning() << q << "found" << found(q) << "expected" << expected;
        return false;
    }
    qint64 scalar(const QString &sql)
    {
        pqxx::connection c(m_http.daemon.database()->conninfo());
        pqxx::nontransaction tx(c);
        return tx.exec(sql.toStdString())[0][0].as<qint64>();
    }
    void say(const Member &who, const QString &room, const QString &clientId, const QString &text)
    {
        auto r = m_http.send(who, room, clientId, text);
        QCOMPARE(r.status, 201);
        m_ids.insert(clientId, r.json().value("id").toString());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_ann = m_http.member(QStringLiteral("ann"));
        m_bob = m_http.member(QStringLiteral("bob"));
        m_cat = m_http.member(QStringLiteral("cat"));
        m_room = m_http.group(m_ann, QStringLiteral("Team"), {m_bob});
        m_other = m_http.group(m_ann, QStringLiteral("Elsewhere"), {m_cat});
        QVERIFY(!m_room.isEmpty() && !m_other.isEmpty());
        say(m_ann, m_room, QStringLiteral("k1"), QStringLiteral("회원들에게 공지사항을 전달했습니다"));
        say(m_bob, m_room, QStringLiteral("k2"), QStringLiteral("커뮤니티 가이드라인을 **꼭** 확인하세요"));
        say(m_bob, m_room, QStringLiteral("e1"), QStringLiteral("The deployments are running smoothly"));
        say(m_ann, m_room, QStringLiteral("e2"), QStringLiteral("Lunch at noon?"));
        say(m_ann, m_other, QStringLiteral("o1"), QStringLiteral("deployment notes for the other room, 공지사항 포함"));
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void koreanAndEnglish_data()
    {
        QTest::addColumn<QString>("q");
        QTest::addColumn<QStringList>("clientIds");
        QTest::newRow("korean word") << QStringLiteral("공지사항") << QStringList{QStringLiteral("k1")};
        QTest::newRow("korean stem (회원들에게)") << QStringLiteral("회원") << QStringList{QStringLiteral("k1")};
        QTest::newRow("korean with particle") << QStringLiteral("커뮤니티를") << QStringList{QStringLiteral("k2")};
        QTest::newRow("korean partial (bigrams)") << QStringLiteral("가이드") << QStringList{QStringLiteral("k2")};
        QTest::newRow("english stem") << QStringLiteral("deployment run") << QStringList{QStringLiteral("e1")};
        QTest::newRow("markdown stripped") << QStringLiteral("꼭") << QStringList{QStringLiteral("k2")};
        QTest::newRow("nothing") << QStringLiteral("dinosaur") << QStringList{};
    }

    void koreanAndEnglish()
    {
        QFETCH(QString, q);
        QFETCH(QStringList, clientIds);
        QStringList expected;
        for (const QString &c : clientIds)
            expected.append(m_ids.value(c));
        QVERIFY(eventually(q, expected));
    }

    void resultsCarryMessageAndSnippet()
    {
        QVERIFY(eventually(QStringLiteral("공지사항"), {m_ids.value("k1")}));
        const QJsonObject hit = search(m_bob, m_room, QStringLiteral("공지사항")).json().value("items").toArray()[0].toObject();
        QCOMPARE(hit.value("body").toString(), QStringLiteral("회원들에게 공지사항을 전달했습니다"));
        QCOMPARE(hit.value("roomId").toString(), m_room);
        QVERIFY2(hit.value("snippet").toString().contains(QStringLiteral("<mark>")), qPrintable(hit.value("snippet").toString()));
        // Only this room's messages: the other room's 공지사항 is not in it, and is found there.
        QCOMPARE(found(QStringLiteral("공지사항"), m_other), QStringList{m_ids.value("o1")});
    }

    void pagesNewestFirst()
    {
        say(m_ann, m_room, QStringLiteral("p1"), QStringLiteral("release checklist one"));
        say(m_ann, m_room, QStringLiteral("p2"), QStringLiteral("release checklist two"));
        say(m_ann, m_room, QStringLiteral("p3"), QStringLiteral("release checklist three"));
        QVERIFY(eventually(QStringLiteral("checklist"), {m_ids.value("p3"), m_ids.value("p2"), m_ids.value("p1")}));
        auto first = search(m_ann, m_room, QStringLiteral("checklist"), QStringLiteral("&limit=2")).json();
        QCOMPARE(first.value("items").toArray().size(), 2);
        QCOMPARE(first.value("before").toString(), m_ids.value("p2"));
        auto second = search(m_ann, m_room, QStringLiteral("checklist"),
                             QStringLiteral("&limit=2&before=") + first.value("before").toString()).json();
        QCOMPARE(second.value("items").toArray().size(), 1);
        QCOMPARE(second.value("items").toArray()[0].toObject().value("id").toString(), m_ids.value("p1"));
    }

    void membersOnly()
    {
        QVERIFY(isProblem(search(m_cat, m_room, QStringLiteral("공지사항")), 403, "not-a-member"));
        QVERIFY(isProblem(search(m_cat, QStringLiteral("987654321"), QStringLiteral("x")), 404, "not-found"));
    }

    void badInput()
    {
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/chat/rooms/%1/search").arg(m_room), m_ann.account.token), 400,
                          "validation"));
        QVERIFY(isProblem(search(m_ann, m_room, QStringLiteral("x"), QStringLiteral("&before=abc")), 400, "validation"));
        QVERIFY(isProblem(search(m_ann, m_room, QStringLiteral("x"), QStringLiteral("&sort=new")), 400, "validation"));
        QVERIFY(isProblem(search(m_ann, m_room, QString(300, QLatin1Char('a'))), 400, "validation"));
    }

    void deletedDropOutEditsAreFound()
    {
        say(m_bob, m_room, QStringLiteral("d1"), QStringLiteral("temporary 비밀번호 message"));
        QVERIFY(eventually(QStringLiteral("비밀번호"), {m_ids.value("d1")}));
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/chat/rooms/%1/messages/%2").arg(m_room, m_ids.value("d1")),
                             m_bob.account.token).status, 204);
        // Gone from results at once (chat rechecks each hit), and from the index soon after.
        QCOMPARE(found(QStringLiteral("비밀번호")), QStringList{});
        QDeadlineTimer deadline(15'000);
        while (!deadline.hasExpired()
               && scalar(QStringLiteral("SELECT count(*) FROM search.chat_messages WHERE message_id = %1 AND NOT visible "
                                        "AND body = ''").arg(m_ids.value("d1"))) != 1)
            QTest::qWait(50);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM search.chat_messages WHERE message_id = %1 AND NOT visible "
                                       "AND body = ''").arg(m_ids.value("d1"))), 1);

        auto edited = m_http.call("PATCH", QStringLiteral("/v1/chat/rooms/%1/messages/%2").arg(m_room, m_ids.value("e2")),
                                  m_ann.account.token, ChatHttp::json({{"body", QStringLiteral("점심은 12시에 배포 후에")}}));
        QCOMPARE(edited.status, 200);
        QVERIFY(eventually(QStringLiteral("배포"), {m_ids.value("e2")}));
        QVERIFY(eventually(QStringLiteral("lunch"), {}));
    }

    // The operators' rebuild (POST /v1/search/reindex) covers the rooms' index too: emptied
    // behind the daemon's back, it comes back from the events, edits and deletes included.
    void reindexRebuildsTheRoomIndex()
    {
        QVERIFY(eventually(QStringLiteral("deployments"), {m_ids.value("e1")}));
        const qint64 indexed = scalar(QStringLiteral("SELECT count(*) FROM search.chat_messages"));
        QVERIFY(indexed >= 5);
        scalar(QStringLiteral("WITH gone AS (DELETE FROM search.chat_messages RETURNING 1) SELECT count(*) FROM gone"));
        QCOMPARE(found(QStringLiteral("deployments")), QStringList{});
        auto started = m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/search/reindex"));
        QCOMPARE(started.status, 202);
        const QJsonObject rooms = started.json().value("rooms").toObject();
        QCOMPARE(rooms.value("consumer").toString(), QStringLiteral("search.chat"));
        QVERIFY(rooms.value("targetEventId").toInteger() > 0);
        QVERIFY(eventually(QStringLiteral("deployments"), {m_ids.value("e1")}));
        QVERIFY(eventually(QStringLiteral("배포"), {m_ids.value("e2")}));   // the edited text, not the first
        QVERIFY(eventually(QStringLiteral("비밀번호"), {}));                 // deleted stays out
        QTRY_COMPARE_WITH_TIMEOUT(scalar(QStringLiteral("SELECT count(*) FROM search.chat_messages")), indexed, 15'000);
        auto status = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/search/status"));
        QCOMPARE(status.status, 200);
        QCOMPARE(status.json().value("rooms").toObject().value("messages").toInteger(), indexed);
    }
};

QTEST_GUILESS_MAIN(TstChatSearch)
#include "tst_chatsearch.moc"
