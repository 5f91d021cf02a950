// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Plain chat messages as notifications, over real HTTP and WebSocket (real auth, users,
// chat and notifications plugins; chat's read state and presence reach notifications
// through IChatAudience only): a DM notifies the other member once per room (one inbox
// row updated in place, with a live frame), never the sender; a member who is reading the
// room (online, caught up) or has read the message is not told; a muted room and the
// kind's inbox switch silence it; a mention notifies as a mention only; groups above
// chat.maxRoomMembers notify nobody; bad input to the mute route changes nothing.

#include "notificationshttp.h"
#include "wsclient.h"

#include <QJsonArray>
#include <QtTest>

using namespace Notifications::Test;
using Community::Test::WsClient;
using Community::Test::wsUrl;

class TstNotificationsChat : public QObject {
    Q_OBJECT
    NotificationsHttp m_http;
    Account m_alice, m_bob, m_carol, m_dave;
    QString m_aliceId, m_bobId, m_carolId, m_daveId;
    int m_client = 0;

    qint64 count(const QString &sql) { return m_http.scalar(sql.toStdString()); }
    HttpResult post(const Account &who, const QString &path, const QJsonObject &body)
    {
        return m_http.call("POST", path, who.token, ContentHttp::json(body), {{"Content-Type", "application/json"}});
    }
    /// A DM from `from` to the account `toId`; the message (roomId, seq, id).
    QJsonObject dm(const Account &from, const QString &toId, const QString &text)
    {
        auto r = post(from, QStringLiteral("/v1/chat/dms/%1/messages").arg(toId),
                      {{"clientId", QStringLiteral("c%1").arg(++m_client)}, {"body", text}});
        if (r.status != 201)
            qWarning() << "dm" << r.status << r.body;
        return r.json();
    }
    QJsonObject send(const Account &from, const QString &room, const QString &text)
    {
        auto r = post(from, QStringLiteral("/v1/chat/rooms/%1/messages").arg(room),
                      {{"clientId", QStringLiteral("c%1").arg(++m_client)}, {"body", text}});
        if (r.status != 201)
            qWarning() << "send" << r.status << r.body;
        return r.json();
    }
    QString group(const Account &owner, const QStringList &memberIds)
    {
        auto r = post(owner, QStringLiteral("/v1/chat/rooms"),
                      {{"kind", "group"}, {"name", "crew"}, {"members", QJsonArray::fromStringList(memberIds)}});
        if (r.status != 201)
            qWarning() << "group" << r.status << r.body;
        return r.json().value("id").toString();
    }
    static QJsonObject roomRow(const QJsonArray &items, const QString &room)
    {
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            if (o.value("kind") == "chat_message" && o.value("subject").toObject().value("roomId").toString() == room)
                return o;
        }
        return {};
    }
    qint64 chatRows(const QString &userId)
    {
        return count(QStringLiteral("SELECT count(*) FROM notifications.items WHERE kind = 'chat_message' AND user_id = %1").arg(userId));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_http.extraSets << QStringLiteral("plugins.notifications.chat.maxRoomMembers=3");
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_alice = m_http.registerUser(QStringLiteral("alice"));
        m_bob = m_http.registerUser(QStringLiteral("bob"));
        m_carol = m_http.registerUser(QStringLiteral("carol"));
        m_dave = m_http.registerUser(QStringLiteral("dave"));
        m_aliceId = m_http.userId(m_alice);
        m_bobId = m_http.userId(m_bob);
        m_carolId = m_http.userId(m_carol);
        m_daveId = m_http.userId(m_dave);
        for (const QString *id : {&m_aliceId, &m_bobId, &m_carolId, &m_daveId})
            QVERIFY(!id->isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void dmNotifiesOncePerRoomLive()
    {
        WsClient ws;
        QVERIFY(ws.open(wsUrl(m_http.daemon.baseUrl()), m_bob.token));
        QVERIFY(ws.subscribe(QStringLiteral("user:") + m_bobId).value_or(QJsonObject{}).value("type") == "subscribed");
        const QJsonObject first = dm(m_alice, m_bobId, QStringLiteral("are you there?"));
        const QString room = first.value("roomId").toString();
        QVERIFY(!room.isEmpty());
        auto frame = ws.waitFor([](const QJsonObject &f) {
            return f.value("type") == "event" && f.value("data").toObject().value("kind") == "notification";
        });
        QVERIFY(frame);
        const QJsonObject n = frame->value("data").toObject().value("notification").toObject();
        QCOMPARE(n.value("kind").toString(), QStringLiteral("chat_message"));
        const QJsonObject subject = n.value("subject").toObject();
        QCOMPARE(subject.value("targetType").toString(), QStringLiteral("chat-room"));
        QCOMPARE(subject.value("roomId").toString(), room);
        QCOMPARE(subject.value("roomKind").toString(), QStringLiteral("dm"));
        QCOMPARE(subject.value("excerpt").toString(), QStringLiteral("are you there?"));
        QCOMPARE(n.value("actors").toArray().at(0).toObject().value("username").toString(), QStringLiteral("alice"));

        // Two more: the same row, updated in place (one inbox item per room).
        dm(m_alice, m_bobId, QStringLiteral("hello?"));
        const QString last = dm(m_alice, m_bobId, QStringLiteral("ping")).value("id").toString();
        QVERIFY(m_http.waitInbox(m_bob, [&](const QJsonArray &items) { return roomRow(items, room).value("eventCount").toInt() == 3; }));
        const QJsonObject row = roomRow(m_http.inbox(m_bob), room);
        QCOMPARE(row.value("subject").toObject().value("messageId").toString(), last);
        QCOMPARE(row.value("actorCount").toInt(), 1);
        QCOMPARE(chatRows(m_bobId), qint64(1));
        QCOMPARE(m_http.unread(m_bob).value("byKind").toObject().value("chat_message").toInt(), 1);
        // Never to the sender.
        QVERIFY(m_http.waitIdle());
        QCOMPARE(chatRows(m_aliceId), qint64(0));
    }

    void readingOrReadMemberIsNotTold()
    {
        // Bob opens the DM: online, and read up to the newest message.
        const QJsonObject m = dm(m_alice, m_bobId, QStringLiteral("still there?"));
        const QString room = m.value("roomId").toString();
        QVERIFY(m_http.waitIdle());
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/chat/presence"), m_bob.token,
                             ContentHttp::json({{"device", "laptop"}, {"state", "online"}}), {{"Content-Type", "application/json"}}).status,
                 200);
        QCOMPARE(post(m_bob, QStringLiteral("/v1/chat/rooms/%1/read").arg(room), {{"seq", m.value("seq").toInteger()}}).status / 100, 2);
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/notifications/read"), m_bob.token, ContentHttp::json({{"all", true}}),
                             {{"Content-Type", "application/json"}}).status, 200);
        const qint64 before = count(QStringLiteral("SELECT count(*) FROM notifications.sources WHERE user_id = %1").arg(m_bobId));
        const qint64 events = count(QStringLiteral("SELECT coalesce(sum(event_count), 0) FROM notifications.items WHERE user_id = %1").arg(m_bobId));
        dm(m_alice, m_bobId, QStringLiteral("good, you are reading"));
        QVERIFY(m_http.waitIdle());
        QCOMPARE(count(QStringLiteral("SELECT coalesce(sum(event_count), 0) FROM notifications.items WHERE user_id = %1").arg(m_bobId)), events);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.sources WHERE user_id = %1").arg(m_bobId)), before);

        // Online but behind in the room (reading something else): told, in a new row.
        dm(m_alice, m_bobId, QStringLiteral("one"));
        dm(m_alice, m_bobId, QStringLiteral("two"));
        QVERIFY(m_http.waitInbox(m_bob, [&](const QJsonArray &items) {
            const QJsonObject o = roomRow(items, room);
            return !o.isEmpty() && !o.value("read").toBool() && o.value("eventCount").toInt() == 2;
        }));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/chat/presence"), m_bob.token,
                             ContentHttp::json({{"device", "laptop"}, {"state", "offline"}}), {{"Content-Type", "application/json"}}).status,
                 200);
    }

    void mutedRoomAndPreferencesSilence()
    {
        const QString room = group(m_alice, {m_carolId});
        QVERIFY(!room.isEmpty());
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/notifications/muted-rooms/%1").arg(room), m_carol.token).status, 204);
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/notifications/muted-rooms/%1").arg(room), m_carol.token).status, 204);   // idempotent
        send(m_alice, room, QStringLiteral("anyone?"));
        QVERIFY(m_http.waitIdle());
        QCOMPARE(chatRows(m_carolId), qint64(0));
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/notifications/muted-rooms/%1").arg(room), m_carol.token).status, 204);
        send(m_alice, room, QStringLiteral("now?"));
        QVERIFY(m_http.waitInbox(m_carol, [&](const QJsonArray &items) { return !roomRow(items, room).isEmpty(); }));

        // The kind's inbox switch off: nothing for dave.
        auto p = m_http.call("PATCH", QStringLiteral("/v1/notifications/preferences"), m_dave.token,
                             ContentHttp::json({{"channels", QJsonObject{{"chat_message", QJsonObject{{"inbox", false}}}}}}),
                             {{"Content-Type", "application/json"}});
        QCOMPARE(p.status, 200);
        QCOMPARE(p.json().value("channels").toObject().value("chat_message").toObject().value("inbox").toBool(true), false);
        dm(m_alice, m_daveId, QStringLiteral("dave?"));
        QVERIFY(m_http.waitIdle());
        QCOMPARE(chatRows(m_daveId), qint64(0));
    }

    void mentionIsAMentionOnly()
    {
        const QString room = group(m_bob, {m_carolId});
        QVERIFY(!room.isEmpty());
        const qint64 before = chatRows(m_carolId);
        send(m_bob, room, QStringLiteral("@carol look at this"));
        QVERIFY(m_http.waitInbox(m_carol, [&](const QJsonArray &items) {
            for (const QJsonValue &v : items)
                if (v.toObject().value("kind") == "mention"
                    && v.toObject().value("subject").toObject().value("roomId").toString() == room)
                    return true;
            return false;
        }));
        QVERIFY(m_http.waitIdle());
        QVERIFY(roomRow(m_http.inbox(m_carol), room).isEmpty());
        QCOMPARE(chatRows(m_carolId), before);
    }

    void largeRoomsNotifyNobody()
    {
        // maxRoomMembers is 3 here: a group of four is "large".
        const QString room = group(m_alice, {m_bobId, m_carolId, m_daveId});
        QVERIFY(!room.isEmpty());
        const qint64 before = count(QStringLiteral("SELECT count(*) FROM notifications.sources"));
        send(m_alice, room, QStringLiteral("hello everyone"));
        QVERIFY(m_http.waitIdle());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.sources")), before);
    }

    void badMuteRequestsChangeNothing()
    {
        const qint64 before = count(QStringLiteral("SELECT count(*) FROM notifications.room_mutes"));
        QVERIFY(isProblem(m_http.call("PUT", QStringLiteral("/v1/notifications/muted-rooms/abc"), m_carol.token), 404, QStringLiteral("not-found")));
        QVERIFY(isProblem(m_http.call("PUT", QStringLiteral("/v1/notifications/muted-rooms/0"), m_carol.token), 404, QStringLiteral("not-found")));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/notifications/muted-rooms/5")).status, 401);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notifications.room_mutes")), before);
    }
};

QTEST_GUILESS_MAIN(TstNotificationsChat)
#include "tst_notificationschat.moc"
