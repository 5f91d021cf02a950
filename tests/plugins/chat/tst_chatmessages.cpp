// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Messages over real HTTP: DMs created by the first message and refused on a block,
// idempotent send under retries (sequential and concurrent), sequences in commit order,
// history cursors, edit window and history, soft delete, reactions, read markers with
// unread and mention counts, threads, receipts with the reciprocal opt-out, bad input.

#include "chathttp.h"

#include <set>

using namespace Chat::Test;

class TstChatMessages : public QObject {
    Q_OBJECT

    ChatHttp m_http;
    Member m_a, m_b, m_c, m_d;
    QString m_room;

    QString msgPath(const QString &room, const QString &id, const QString &rest = {})
    {
        return QStringLiteral("/v1/chat/rooms/%1/messages/%2%3").arg(room, id, rest);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_http.extraSets << QStringLiteral("plugins.chat.editWindowSeconds=2");
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_a = m_http.member(QStringLiteral("anna"));
        m_b = m_http.member(QStringLiteral("ben"));
        m_c = m_http.member(QStringLiteral("cleo"));
        m_d = m_http.member(QStringLiteral("dave"));
        m_room = m_http.group(m_a, QStringLiteral("Room"), {m_b, m_c});
        QVERIFY(!m_room.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void directMessages()
    {
        const QString path = QStringLiteral("/v1/chat/dms/%1/messages").arg(m_b.id);
        auto first = m_http.post(m_a, path, {{"clientId", "dm-1"}, {"body", "hi *ben*"}});
        QCOMPARE(first.status, 201);
        const QString room = first.json().value("roomId").toString();
        QVERIFY(first.json().value("html").toString().contains(QStringLiteral("<em>ben</em>")));
        // The same pair, either way round, is the same room.
        auto back = m_http.post(m_b, QStringLiteral("/v1/chat/dms/%1/messages").arg(m_a.id), {{"clientId", "dm-1"}, {"body", "hey"}});
        QCOMPARE(back.status, 201);
        QCOMPARE(back.json().value("roomId").toString(), room);
        QCOMPARE(back.json().value("seq").toInteger(), 2);
        QCOMPARE(m_http.listed(m_b, room).value("kind").toString(), QStringLiteral("dm"));
        QVERIFY(isProblem(m_http.post(m_a, QStringLiteral("/v1/chat/dms/%1/messages").arg(m_a.id), {{"clientId", "x"}, {"body", "me"}}),
                          400, "validation"));
        // A block on either side refuses the DM, and creates nothing.
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/users/anna/block"), m_d.account.token).status, 204);
        const qint64 rooms = m_http.rows("rooms");
        QVERIFY(isProblem(m_http.post(m_a, QStringLiteral("/v1/chat/dms/%1/messages").arg(m_d.id), {{"clientId", "b1"}, {"body", "x"}}),
                          403, "blocked"));
        QVERIFY(isProblem(m_http.post(m_d, QStringLiteral("/v1/chat/dms/%1/messages").arg(m_a.id), {{"clientId", "b2"}, {"body", "x"}}),
                          403, "blocked"));
        QCOMPARE(m_http.rows("rooms"), rooms);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/users/anna/block"), m_d.account.token).status, 204);
        QCOMPARE(m_http.post(m_a, QStringLiteral("/v1/chat/dms/%1/messages").arg(m_d.id), {{"clientId", "b1"}, {"body", "x"}}).status, 201);
    }

    void idempotentSend()
    {
        auto first = m_http.send(m_a, m_room, QStringLiteral("same-1"), QStringLiteral("once"));
        QCOMPARE(first.status, 201);
        auto retry = m_http.send(m_a, m_room, QStringLiteral("same-1"), QStringLiteral("once"));
        QCOMPARE(retry.status, 200);
        QCOMPARE(retry.json().value("id"), first.json().value("id"));
        QCOMPARE(retry.json().value("seq"), first.json().value("seq"));
        // Another sender may use the same client id.
        QCOMPARE(m_http.send(m_b, m_room, QStringLiteral("same-1"), QStringLiteral("mine")).status, 201);
        // 20 concurrent retries of one message: one 201, the rest 200 with the same id.
        QList<UsersHttp::Request> batch;
        for (int i = 0; i < 20; ++i)
            batch.append({"POST", QStringLiteral("/v1/chat/rooms/%1/messages").arg(m_room), m_c.account.token,
                          ChatHttp::json({{"clientId", "burst"}, {"body", "one"}})});
        const auto results = m_http.parallelRequests(batch);
        std::set<QString> ids;
        int created = 0;
        for (const auto &r : results) {
            QVERIFY2(r.status == 200 || r.status == 201, r.body.constData());
            created += r.status == 201;
            ids.insert(r.json().value("id").toString());
        }
        QCOMPARE(created, 1);
        QCOMPARE(ids.size(), size_t(1));
    }

    void sequencesInCommitOrder()
    {
        const QString room = m_http.group(m_a, QStringLiteral("Busy"), {m_b, m_c});
        QList<UsersHttp::Request> batch;
        const QList<Member> senders{m_a, m_b, m_c};
        for (int i = 0; i < 60; ++i)
            batch.append({"POST", QStringLiteral("/v1/chat/rooms/%1/messages").arg(room), senders[i % 3].account.token,
                          ChatHttp::json({{"clientId", QStringLiteral("c%1").arg(i)}, {"body", QStringLiteral("m%1").arg(i)}})});
        std::set<qint64> seqs;
        for (const auto &r : m_http.parallelRequests(batch)) {
            QCOMPARE(r.status, 201);
            seqs.insert(r.json().value("seq").toInteger());
        }
        QCOMPARE(seqs.size(), size_t(60));
        QCOMPARE(*seqs.begin(), 1);
        QCOMPARE(*seqs.rbegin(), 60);
        // History pages: latest, before, after, around; no gaps, no overlaps.
        auto latest = m_http.history(m_a, room, "?limit=25");
        QCOMPARE(ChatHttp::seqs(latest).first(), 36);
        QCOMPARE(ChatHttp::seqs(latest).last(), 60);
        QCOMPARE(latest.value("before").toInteger(), 36);
        QVERIFY(latest.value("after").isNull());
        auto older = m_http.history(m_a, room, "?limit=25&before=36");
        QCOMPARE(ChatHttp::seqs(older).first(), 11);
        QCOMPARE(ChatHttp::seqs(older).last(), 35);
        QCOMPARE(older.value("after").toInteger(), 35);
        auto newer = m_http.history(m_a, room, "?limit=5&after=10");
        QCOMPARE(ChatHttp::seqs(newer), (QList<qint64>{11, 12, 13, 14, 15}));
        auto around = m_http.history(m_a, room, "?limit=6&around=30");
        QCOMPARE(ChatHttp::seqs(around), (QList<qint64>{27, 28, 29, 30, 31, 32}));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/chat/rooms/%1/messages?before=1&after=2").arg(room),
                                      m_a.account.token), 400, "validation"));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/chat/rooms/%1/messages?before=x").arg(room),
                                      m_a.account.token), 400, "validation"));
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/chat/rooms/%1/messages").arg(room), m_d.account.token),
                          403, "not-a-member"));
    }

    void editDeleteAndHistory()
    {
        auto sent = m_http.send(m_a, m_room, QStringLiteral("ed-1"), QStringLiteral("first text"));
        const QString id = sent.json().value("id").toString();
        auto edited = m_http.call("PATCH", msgPath(m_room, id), m_a.account.token, ChatHttp::json({{"body", "second text"}}));
        QCOMPARE(edited.status, 200);
        QCOMPARE(edited.json().value("body").toString(), QStringLiteral("second text"));
        QVERIFY(!edited.json().value("editedAt").isNull());
        QVERIFY(isProblem(m_http.call("PATCH", msgPath(m_room, id), m_b.account.token, ChatHttp::json({{"body", "x"}})),
                          403, "not-allowed"));
        auto edits = m_http.call("GET", msgPath(m_room, id, "/edits"), m_a.account.token).json().value("items").toArray();
        QCOMPARE(edits.size(), 1);
        QCOMPARE(edits[0].toObject().value("body").toString(), QStringLiteral("first text"));
        QVERIFY(isProblem(m_http.call("GET", msgPath(m_room, id, "/edits"), m_c.account.token), 403, "not-allowed"));
        QTest::qWait(2100);
        QVERIFY(isProblem(m_http.call("PATCH", msgPath(m_room, id), m_a.account.token, ChatHttp::json({{"body", "late"}})),
                          403, "edit-window-closed"));
        // Soft delete: the text is gone for members, kept for admins.
        QVERIFY(isProblem(m_http.call("DELETE", msgPath(m_room, id), m_c.account.token), 403, "not-allowed"));
        QCOMPARE(m_http.call("DELETE", msgPath(m_room, id), m_a.account.token).status, 204);
        auto around = m_http.history(m_b, m_room, QStringLiteral("?around=%1&limit=2").arg(sent.json().value("seq").toInteger()));
        QJsonObject gone;
        for (const QJsonValue &v : around.value("items").toArray()) {
            if (v.toObject().value("id").toString() == id)
                gone = v.toObject();
        }
        QVERIFY(gone.value("deleted").toBool());
        QCOMPARE(gone.value("body").toString(), QString());
        auto admin = m_http.call("GET", QStringLiteral("/v1/chat/rooms/%1/messages?around=%2&limit=2").arg(m_room).arg(gone.value("seq").toInteger()),
                                 m_http.admin.token).json();
        bool adminSees = false;
        for (const QJsonValue &v : admin.value("items").toArray())
            adminSees |= v.toObject().value("body").toString() == QStringLiteral("second text");
        QVERIFY(adminSees);
    }

    void reactions()
    {
        auto sent = m_http.send(m_a, m_room, QStringLiteral("re-1"), QStringLiteral("react to me"));
        const QString id = sent.json().value("id").toString();
        const QString thumbs = QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("👍")));
        auto added = m_http.call("PUT", msgPath(m_room, id, "/reactions/" + thumbs), m_b.account.token);
        QVERIFY2(added.status == 201, added.body.constData());
        QCOMPARE(m_http.call("PUT", msgPath(m_room, id, "/reactions/" + thumbs), m_b.account.token).status, 204);
        QCOMPARE(m_http.call("PUT", msgPath(m_room, id, "/reactions/" + thumbs), m_c.account.token).status, 201);
        const qint64 before = m_http.rows("reactions");
        QVERIFY(isProblem(m_http.call("PUT", msgPath(m_room, id, "/reactions/poop"), m_b.account.token), 400, "validation"));
        QVERIFY(isProblem(m_http.call("PUT", msgPath(m_room, id, "/reactions/" + thumbs), m_d.account.token), 403, "not-a-member"));
        QCOMPARE(m_http.rows("reactions"), before);
        auto page = m_http.history(m_b, m_room, QStringLiteral("?around=%1&limit=1").arg(sent.json().value("seq").toInteger()));
        const QJsonArray rs = page.value("items").toArray()[0].toObject().value("reactions").toArray();
        QCOMPARE(rs.size(), 1);
        QCOMPARE(rs[0].toObject().value("count").toInt(), 2);
        QVERIFY(rs[0].toObject().value("mine").toBool());
        QCOMPARE(m_http.call("DELETE", msgPath(m_room, id, "/reactions/" + thumbs), m_b.account.token).status, 204);
    }

    void unreadMentionsAndThreads()
    {
        const QString room = m_http.group(m_a, QStringLiteral("Reads"), {m_b});
        m_http.send(m_a, room, QStringLiteral("u1"), QStringLiteral("one"));
        m_http.send(m_a, room, QStringLiteral("u2"), QStringLiteral("hey @ben and @nobody"));
        auto root = m_http.send(m_a, room, QStringLiteral("u3"), QStringLiteral("thread root"));
        const QString rootId = root.json().value("id").toString();
        QCOMPARE(m_http.send(m_b, room, QStringLiteral("t1"), QStringLiteral("reply 1"), rootId).status, 201);
        QCOMPARE(m_http.send(m_a, room, QStringLiteral("t2"), QStringLiteral("reply 2"), rootId).status, 201);
        auto b = m_http.listed(m_b, room);
        QCOMPARE(b.value("unread").toInteger(), 3);     // thread replies are counted in the thread
        QCOMPARE(b.value("mentions").toInteger(), 1);
        QCOMPARE(m_http.listed(m_a, room).value("unread").toInteger(), 0);
        auto thread = m_http.history(m_b, room, "?thread=" + rootId);
        QCOMPARE(thread.value("items").toArray().size(), 3);
        QCOMPARE(thread.value("items").toArray()[0].toObject().value("replyCount").toInt(), 2);
        QCOMPARE(m_http.history(m_b, room).value("items").toArray().size(), 3);
        auto read = m_http.post(m_b, QStringLiteral("/v1/chat/rooms/%1/read").arg(room), {{"seq", 2}});
        QCOMPARE(read.json().value("lastReadSeq").toInteger(), 2);
        QCOMPARE(m_http.listed(m_b, room).value("unread").toInteger(), 1);
        QCOMPARE(m_http.listed(m_b, room).value("mentions").toInteger(), 0);
        // Never backwards; never past the last message.
        QCOMPARE(m_http.post(m_b, QStringLiteral("/v1/chat/rooms/%1/read").arg(room), {{"seq", 1}}).json().value("lastReadSeq").toInteger(), 2);
        QCOMPARE(m_http.post(m_b, QStringLiteral("/v1/chat/rooms/%1/read").arg(room), {{"seq", 999}}).json().value("lastReadSeq").toInteger(), 5);
        QVERIFY(isProblem(m_http.send(m_b, room, QStringLiteral("t3"), QStringLiteral("x"), QStringLiteral("999999")), 400, "validation"));
        // The mention reaches Ben's notification inbox (notifications consume chat.user.mentioned).
        auto mentionInInbox = [&] {
            const QJsonArray items = m_http.call("GET", "/v1/notifications", m_b.account.token).json().value("items").toArray();
            for (const QJsonValue &v : items) {
                const QJsonObject n = v.toObject();
                if (n.value("kind").toString() == QStringLiteral("mention")
                    && n.value("subject").toObject().value("targetType").toString() == QStringLiteral("chat-message"))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(mentionInInbox(), 10000);
        // The thread's own unread count: Anna's reply (seq 5) is unread for Ben until he
        // reads the thread; his own reply never counts.
        QCOMPARE(m_http.history(m_b, room, "?thread=" + rootId).value("threadUnread").toInteger(), 1);
        QCOMPARE(m_http.history(m_a, room, "?thread=" + rootId).value("threadUnread").toInteger(), 1);
        auto threadRead = m_http.post(m_b, QStringLiteral("/v1/chat/rooms/%1/read").arg(room), {{"seq", 5}, {"threadRootId", rootId}});
        QCOMPARE(threadRead.json().value("lastReadSeq").toInteger(), 5);
        QCOMPARE(m_http.history(m_b, room, "?thread=" + rootId).value("threadUnread").toInteger(), 0);
        QCOMPARE(m_http.history(m_a, room, "?thread=" + rootId).value("threadUnread").toInteger(), 1);
        QVERIFY(isProblem(m_http.post(m_b, QStringLiteral("/v1/chat/rooms/%1/read").arg(room), {{"seq", 5}, {"threadRootId", "999999"}}),
                          400, "validation"));
    }

    void receiptsAndOptOut()
    {
        const QString room = m_http.group(m_a, QStringLiteral("Receipts"), {m_b, m_c});
        auto sent = m_http.send(m_a, room, QStringLiteral("r1"), QStringLiteral("seen?"));
        const QString id = sent.json().value("id").toString();
        const QString path = msgPath(room, id, "/receipts");
        m_http.post(m_b, QStringLiteral("/v1/chat/rooms/%1/read").arg(room), {{"seq", 1}});
        m_http.post(m_c, QStringLiteral("/v1/chat/rooms/%1/read").arg(room), {{"seq", 1}});
        QCOMPARE(m_http.call("GET", path, m_a.account.token).json().value("seenBy").toArray(), (QJsonArray{m_b.id, m_c.id}));
        // Ben hides his receipts: Anna no longer sees his, and Ben sees nobody's.
        QCOMPARE(m_http.call("PUT", "/v1/chat/settings", m_b.account.token, ChatHttp::json({{"hideReceipts", true}})).status, 200);
        QCOMPARE(m_http.call("GET", path, m_a.account.token).json().value("seenBy").toArray(), (QJsonArray{m_c.id}));
        QVERIFY(isProblem(m_http.call("GET", path, m_b.account.token), 403, "receipts-hidden"));
        QCOMPARE(m_http.call("GET", "/v1/chat/settings", m_b.account.token).json().value("hideReceipts").toBool(), true);
        QCOMPARE(m_http.call("PUT", "/v1/chat/settings", m_b.account.token, ChatHttp::json({{"hideReceipts", false}})).status, 200);
        QCOMPARE(m_http.call("GET", path, m_b.account.token).json().value("seenBy").toArray(), (QJsonArray{m_b.id, m_c.id}));
    }

    void badInputWritesNothing()
    {
        const qint64 messages = m_http.rows("messages");
        const QString tooLong(4001, QLatin1Char('a'));
        QVERIFY(isProblem(m_http.send(m_a, m_room, QStringLiteral("bad1"), tooLong), 400, "validation"));
        QVERIFY(isProblem(m_http.send(m_a, m_room, QString(), QStringLiteral("x")), 400, "validation"));
        QVERIFY(isProblem(m_http.send(m_a, m_room, QString(65, QLatin1Char('c')), QStringLiteral("x")), 400, "validation"));
        QVERIFY(isProblem(m_http.send(m_a, "999999", QStringLiteral("bad2"), QStringLiteral("x")), 404, "not-found"));
        QVERIFY(isProblem(m_http.send(m_d, m_room, QStringLiteral("bad3"), QStringLiteral("x")), 403, "not-a-member"));
        QString many;
        for (int i = 0; i < 21; ++i)
            many += QStringLiteral("@user%1 ").arg(i);
        QVERIFY(isProblem(m_http.send(m_a, m_room, QStringLiteral("bad4"), many), 400, "validation"));
        QVERIFY(isProblem(m_http.post(m_a, QStringLiteral("/v1/chat/rooms/%1/messages").arg(m_room), {{"clientId", "x"}, {"body", "y"}, {"z", 1}}),
                          400, "validation"));
        // The client id of a message in another room is not reusable.
        QVERIFY(isProblem(m_http.send(m_a, m_http.group(m_a, QStringLiteral("Other")), QStringLiteral("same-1"), QStringLiteral("once")),
                          409, "client-id-reused"));
        QCOMPARE(m_http.rows("messages"), messages);
    }

    void limits()
    {
        ChatHttp strict;
        strict.extraSets = QStringList{QStringLiteral("plugins.chat.userBurst=3"), QStringLiteral("plugins.chat.userMessagesPerSecond=1"),
                                       QStringLiteral("plugins.chat.floodWindowSeconds=30")};
        QString error;
        QVERIFY2(strict.start(&error), qPrintable(error));
        Member a = strict.member(QStringLiteral("eve"));
        const QString room = strict.group(a, QStringLiteral("Flood"));
        QCOMPARE(strict.send(a, room, QStringLiteral("f1"), QStringLiteral("same")).status, 201);
        QVERIFY(isProblem(strict.send(a, room, QStringLiteral("f2"), QStringLiteral("same")), 429, "duplicate-message"));
        QCOMPARE(strict.send(a, room, QStringLiteral("f3"), QStringLiteral("other")).status, 201);
        auto limited = strict.send(a, room, QStringLiteral("f4"), QStringLiteral("third"));
        QVERIFY(isProblem(limited, 429, "rate-limited"));
        QVERIFY(!limited.header("retry-after").isEmpty());
        // A retry is answered with the original even while the sender is limited.
        QCOMPARE(strict.send(a, room, QStringLiteral("f3"), QStringLiteral("other")).status, 200);
        QCOMPARE(strict.rows("messages"), 2);
        QCOMPARE(strict.daemon.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TstChatMessages)
#include "tst_chatmessages.moc"
