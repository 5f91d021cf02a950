// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Presence over real HTTP on two daemons sharing one database: several devices per
// account (online beats away), the same answer from either node, expiry when a device
// stops refreshing, and bad input.

#include "chathttp.h"

using namespace Chat::Test;
using Community::Test::DaemonProcess;
using Community::Test::httpRequest;

class TstChatPresence : public QObject {
    Q_OBJECT

    ChatHttp m_http;
    DaemonProcess m_peer;
    Member m_a, m_b;

    HttpResult set(const QString &device, const QString &state)
    {
        return m_http.call("PUT", "/v1/chat/presence", m_a.account.token, ChatHttp::json({{"device", device}, {"state", state}}));
    }
    QString stateOf(const QUrl &url, const Member &who)
    {
        auto r = httpRequest(url, "GET", {}, {{"Authorization", "Bearer " + m_b.account.token}});
        return r.json().value("users").toObject().value(who.id).toString();
    }
    QUrl onA() { return m_http.url(QStringLiteral("/v1/chat/presence?users=") + m_a.id); }
    QUrl onB() { return m_peer.url(QStringLiteral("/v1/chat/presence?users=") + m_a.id); }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_http.extraSets << QStringLiteral("plugins.chat.presenceTtlSeconds=5");
        QVERIFY2(m_http.start(&error), qPrintable(error));
        QVERIFY2(m_http.startPeer(m_peer, {}, &error), qPrintable(error));
        m_a = m_http.member(QStringLiteral("pam"));
        m_b = m_http.member(QStringLiteral("pat"));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_peer.stop(), 0);
        QCOMPARE(m_http.daemon.stop(), 0);
    }

    void devicesAndNodes()
    {
        QCOMPARE(stateOf(onA(), m_a), QStringLiteral("offline"));
        QCOMPARE(set("phone", "away").json().value("state").toString(), QStringLiteral("away"));
        QCOMPARE(stateOf(onB(), m_a), QStringLiteral("away"));
        QCOMPARE(set("laptop", "online").json().value("state").toString(), QStringLiteral("online"));
        QCOMPARE(stateOf(onB(), m_a), QStringLiteral("online"));
        QCOMPARE(set("laptop", "offline").json().value("state").toString(), QStringLiteral("away"));
        QCOMPARE(stateOf(onA(), m_a), QStringLiteral("away"));
        QCOMPARE(stateOf(onB(), m_a), QStringLiteral("away"));
    }

    void expiry()
    {
        QCOMPARE(set("tablet", "online").status, 200);
        QCOMPARE(stateOf(onB(), m_a), QStringLiteral("online"));
        // Nobody refreshes: after the TTL every node says offline.
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(onB(), m_a), QStringLiteral("offline"), 9000);
        QCOMPARE(stateOf(onA(), m_a), QStringLiteral("offline"));
    }

    void badInput()
    {
        QVERIFY(isProblem(set("phone", "busy"), 400, "validation"));
        QVERIFY(isProblem(set("", "online"), 400, "validation"));
        QVERIFY(isProblem(m_http.call("GET", "/v1/chat/presence?users=x", m_b.account.token), 400, "validation"));
        QVERIFY(isProblem(m_http.call("GET", "/v1/chat/presence", m_b.account.token), 400, "validation"));
    }
};

QTEST_GUILESS_MAIN(TstChatPresence)
#include "tst_chatpresence.moc"
