// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The realtime hub checked by an independent client: tests/tools/realtime-ws-check.mjs
// (npm `ws`, installed by packaging/install-deps.sh) against a real communityd. A missing
// node or ws fails this test; it never skips.

#include "usershttp.h"
#include "wsclient.h"

#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

using namespace Community::Test;

class TstRealtimeNodeWs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void independentClient()
    {
        const QString tools = QString::fromLocal8Bit(qgetenv("COMMUNITY_SOURCE_DIR")) + QStringLiteral("/tests/tools");
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty(), "node is not on PATH: run packaging/install-deps.sh");
        QVERIFY2(QFile::exists(tools + QStringLiteral("/node_modules/ws/package.json")),
                 "npm ws is missing: run packaging/install-deps.sh (or `npm ci` in tests/tools)");
        Users::Test::UsersHttp h;
        h.extraSets << QStringLiteral("realtime.authTimeoutMs=800")
                    << QStringLiteral("realtime.allowedOrigins=[\"https://good.example\"]");
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        auto user = h.registerUser(QStringLiteral("wsuser"));
        auto other = h.registerUser(QStringLiteral("wsother"));
        WsClient probe;
        QVERIFY(probe.open(wsUrl(h.daemon.baseUrl()), other.token));
        auto ready = probe.waitType(QStringLiteral("ready"));
        QVERIFY(ready);

        QProcess node;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("WS_URL"), wsUrl(h.daemon.baseUrl()).toString());
        env.insert(QStringLiteral("HTTP_URL"), h.daemon.baseUrl().toString(QUrl::StripTrailingSlash));
        env.insert(QStringLiteral("OPERATOR_TOKEN"), h.daemon.operatorToken());
        env.insert(QStringLiteral("USER_TOKEN"), QString::fromLatin1(user.token));
        env.insert(QStringLiteral("OTHER_USER_ID"), ready->value(QStringLiteral("user")).toString());
        env.insert(QStringLiteral("GOOD_ORIGIN"), QStringLiteral("https://good.example"));
        node.setProcessEnvironment(env);
        node.setWorkingDirectory(tools);
        node.setProcessChannelMode(QProcess::MergedChannels);
        node.start(QStringLiteral("node"), {QStringLiteral("realtime-ws-check.mjs")});
        QVERIFY(node.waitForFinished(90'000));
        const QByteArray out = node.readAll();
        qInfo().noquote() << out;
        QVERIFY2(node.exitStatus() == QProcess::NormalExit && node.exitCode() == 0, out.constData());
        QVERIFY(out.contains("7 passed, 0 failed"));
    }
};

QTEST_GUILESS_MAIN(TstRealtimeNodeWs)
#include "tst_realtimenodews.moc"
