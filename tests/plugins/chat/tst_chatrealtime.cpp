// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Chat on the realtime hub, checked by an independent client (tests/tools/chat-ws-check.mjs,
// npm `ws`) against two real daemons on one database: members-only room topics, message
// new/edit/delete and reaction frames, resume after a dropped socket with nothing lost or
// doubled, node A -> node B in order, typing (not echoed, throttled, node A -> node B
// once, never stored), removal taking
// effect at once. A missing node or ws fails this test; it never skips.

#include "chathttp.h"
#include "wsclient.h"

#include <QProcess>
#include <QStandardPaths>

using namespace Chat::Test;
using Community::Test::DaemonProcess;
using Community::Test::wsUrl;

class TstChatRealtime : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void independentClientOnTwoNodes()
    {
        const QString tools = QString::fromLocal8Bit(qgetenv("COMMUNITY_SOURCE_DIR")) + QStringLiteral("/tests/tools");
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty(), "node is not on PATH: run packaging/install-deps.sh");
        QVERIFY2(QFile::exists(tools + QStringLiteral("/node_modules/ws/package.json")),
                 "npm ws is missing: run packaging/install-deps.sh (or `npm ci` in tests/tools)");
        ChatHttp h;
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        DaemonProcess peer;
        QVERIFY2(h.startPeer(peer, {}, &error), qPrintable(error));
        const Member a = h.member(QStringLiteral("wsa"));
        const Member b = h.member(QStringLiteral("wsb"));
        const Member outsider = h.member(QStringLiteral("wsout"));
        const QString room = h.group(a, QStringLiteral("Live"), {b});
        QVERIFY(!room.isEmpty());

        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("WS_A"), wsUrl(h.daemon.baseUrl()).toString());
        env.insert(QStringLiteral("HTTP_A"), h.daemon.baseUrl().toString(QUrl::StripTrailingSlash));
        env.insert(QStringLiteral("WS_B"), wsUrl(peer.baseUrl()).toString());
        env.insert(QStringLiteral("HTTP_B"), peer.baseUrl().toString(QUrl::StripTrailingSlash));
        env.insert(QStringLiteral("TOKEN_A"), QString::fromLatin1(a.account.token));
        env.insert(QStringLiteral("TOKEN_B"), QString::fromLatin1(b.account.token));
        env.insert(QStringLiteral("TOKEN_OUT"), QString::fromLatin1(outsider.account.token));
        env.insert(QStringLiteral("USER_A"), a.id);
        env.insert(QStringLiteral("USER_B"), b.id);
        env.insert(QStringLiteral("ROOM"), room);
        node.setProcessEnvironment(env);
        node.setWorkingDirectory(tools);
        node.setProcessChannelMode(QProcess::MergedChannels);
        node.start(QStringLiteral("node"), {QStringLiteral("chat-ws-check.mjs")});
        QVERIFY(node.waitForFinished(120'000));
        const QByteArray out = node.readAll();
        qInfo().noquote() << out;
        QVERIFY2(node.exitStatus() == QProcess::NormalExit && node.exitCode() == 0, out.constData());
        QVERIFY(out.contains("7 passed, 0 failed"));
        QCOMPARE(peer.stop(), 0);
        QCOMPARE(h.daemon.stop(), 0);
    }

    // Past the hub's replay cap the client is told to resync; history after its last
    // message then returns exactly the missed ones.
    void resyncPastTheReplayCap()
    {
        ChatHttp h;
        h.extraSets << QStringLiteral("realtime.replayMaxFrames=3");
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        const Member a = h.member(QStringLiteral("rsa"));
        const Member b = h.member(QStringLiteral("rsb"));
        const QString room = h.group(a, QStringLiteral("Resync"), {b});
        const QString topic = QStringLiteral("room:") + room;
        Community::Test::WsClient ws;
        QVERIFY(ws.open(wsUrl(h.daemon.baseUrl()), b.account.token));
        QVERIFY(ws.waitType(QStringLiteral("ready")));
        const auto sub = ws.subscribe(topic);
        QVERIFY(sub && sub->value("type").toString() == QStringLiteral("subscribed"));
        const qint64 since = sub->value("seq").toInteger();
        ws.close();
        QVERIFY(ws.waitClosed());
        qint64 lastSeen = 0;
        QStringList sent;
        for (int i = 0; i < 6; ++i)
            sent << h.send(a, room, QStringLiteral("m%1").arg(i), QStringLiteral("missed %1").arg(i)).json().value("id").toString();
        Community::Test::WsClient again;
        QVERIFY(again.open(wsUrl(h.daemon.baseUrl()), b.account.token));
        QVERIFY(again.waitType(QStringLiteral("ready")));
        again.subscribe(topic, since);
        QVERIFY(again.waitType(QStringLiteral("resync"), topic));
        QStringList fetched;
        for (const QJsonValue &v : h.history(b, room, QStringLiteral("?after=%1").arg(lastSeen)).value("items").toArray())
            fetched << v.toObject().value("id").toString();
        QCOMPARE(fetched, sent);
        QCOMPARE(h.daemon.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TstChatRealtime)
#include "tst_chatrealtime.moc"
