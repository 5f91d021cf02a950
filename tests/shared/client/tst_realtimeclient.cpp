// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The shared RealtimeClient against a real daemon's /v1/ws: it authenticates with the
// auth frame, subscribes, receives frames with their sequence, resumes after a reconnect
// with the frames it missed (replayed, none twice; its cursor never jumps ahead of the
// frames received), re-subscribes its topics by itself,
// and gives up on a refused token (4001) instead of reconnecting; a refreshed token is
// sent on the open socket.

#include "community/client/realtimeclient.h"

#include "usershttp.h"

#include <QSignalSpy>

using Community::Client::RealtimeClient;

class TstRealtimeClient : public QObject {
    Q_OBJECT
    Users::Test::UsersHttp h;

    bool publish(const QString &topic, int n)
    {
        const QByteArray body = QJsonDocument(QJsonObject{{"topic", topic}, {"data", QJsonObject{{"n", n}}}}).toJson();
        return h.daemon.operatorRequest("POST", QStringLiteral("/v1/system/realtime/publish"), body).status == 202;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
    }

    void socketUrl()
    {
        QCOMPARE(RealtimeClient::socketUrl(QUrl("http://h:8080")), QUrl("ws://h:8080/v1/ws"));
        QCOMPARE(RealtimeClient::socketUrl(QUrl("https://h/api/?x=1")), QUrl("wss://h/api/v1/ws"));
    }

    // A refreshed token goes to the open socket (the server keeps it past the old token's
    // expiry, tst_realtimehub::expiredCredentialCloses); a bad one is refused, the socket stays.
    void setTokenReauthenticates()
    {
        const auto user = h.registerUser(QStringLiteral("rt_refresh"));
        RealtimeClient rt(h.daemon.baseUrl(), QString::fromLatin1(user.token));
        QSignalSpy ready(&rt, &RealtimeClient::ready);
        QSignalSpy reauth(&rt, &RealtimeClient::reauthenticated);
        QSignalSpy errors(&rt, &RealtimeClient::errorFrame);
        rt.open();
        QVERIFY(ready.wait(10'000));
        rt.setToken(QStringLiteral("not-a-token"));
        QVERIFY(errors.wait(10'000));
        QCOMPARE(errors[0][0].toString(), QStringLiteral("unauthorized"));
        QCOMPARE(rt.state(), RealtimeClient::State::Ready);
        const QByteArray fresh = h.login(user.username, user.password);
        QVERIFY(!fresh.isEmpty());
        rt.setToken(QString::fromLatin1(fresh));
        QVERIFY(reauth.wait(10'000));
        QCOMPARE(rt.state(), RealtimeClient::State::Ready);
        rt.close();
    }

    void subscribeReceiveAndResume()
    {
        const auto user = h.registerUser(QStringLiteral("rt_client"));
        const QString id = h.call("GET", QStringLiteral("/v1/auth/me"), user.token).json().value("user").toObject().value("id").toVariant().toString();
        QVERIFY(!id.isEmpty());
        const QString topic = QStringLiteral("user:") + id;

        RealtimeClient rt(h.daemon.baseUrl(), QString::fromLatin1(user.token));
        rt.setReconnectDelay(100, 400);
        QSignalSpy subscribed(&rt, &RealtimeClient::subscribed);
        QSignalSpy events(&rt, &RealtimeClient::event);
        rt.subscribe(topic);
        rt.open();
        QVERIFY(subscribed.wait(10'000));
        QVERIFY(rt.isSubscribed(topic));
        QVERIFY(publish(topic, 1));
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, 10'000);
        QCOMPARE(events[0][1].toJsonObject().value("n").toInt(), 1);
        const qint64 first = events[0][2].toLongLong();
        QVERIFY(first > 0);
        QCOMPARE(rt.lastSeq(topic), first);

        // Away: two frames are published; back: they are replayed, in order, once.
        QSignalSpy down(&rt, &RealtimeClient::disconnected);
        rt.close();
        QTRY_COMPARE_WITH_TIMEOUT(down.size(), 1, 10'000);
        QCOMPARE(rt.state(), RealtimeClient::State::Closed);
        QVERIFY(!rt.isSubscribed(topic));
        QVERIFY(publish(topic, 2));
        QVERIFY(publish(topic, 3));
        // The resume's `subscribed` names the newest seq before the replay: the cursor must
        // stay at the last frame received, or a drop mid-replay would skip frames 2 and 3.
        qint64 cursorAtAck = -1;
        const auto ackSeen = connect(&rt, &RealtimeClient::subscribed, this, [&] { cursorAtAck = rt.lastSeq(topic); });
        rt.open();
        QTRY_VERIFY_WITH_TIMEOUT(cursorAtAck >= 0, 10'000);
        disconnect(ackSeen);
        QCOMPARE(cursorAtAck, first);
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 3, 10'000);
        QCOMPARE(events[1][1].toJsonObject().value("n").toInt(), 2);
        QCOMPARE(events[2][1].toJsonObject().value("n").toInt(), 3);
        QVERIFY(events[1][3].toBool() && events[2][3].toBool());   // replayed
        QCOMPARE(rt.lastSeq(topic), first + 2);
        QVERIFY(publish(topic, 4));
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 4, 10'000);
        QVERIFY(!events[3][3].toBool());
        QTest::qWait(300);
        QCOMPARE(events.size(), 4);
    }

    void refusedTokenStopsReconnecting()
    {
        RealtimeClient rt(h.daemon.baseUrl(), QStringLiteral("not-a-token"));
        rt.setReconnectDelay(50, 100);
        QSignalSpy down(&rt, &RealtimeClient::disconnected);
        rt.open();
        QVERIFY(down.wait(10'000));
        QCOMPARE(down[0][0].toInt(), 4001);
        QTest::qWait(500);
        QCOMPARE(down.size(), 1);
        QCOMPARE(rt.state(), RealtimeClient::State::Closed);
    }
};

QTEST_MAIN(TstRealtimeClient)
#include "tst_realtimeclient.moc"
