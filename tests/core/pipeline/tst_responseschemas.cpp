// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Real answers against the published schemas: every http test appends the JSON answers it
// got to COMMUNITY_RESPONSE_LOG (tests/support/httpclient.cpp); this test runs after them
// (ctest fixture `responselog`), fetches the document the real daemon serves with every
// plugin, and has tests/tools/validate-responses.mjs (Ajv, JSON Schema 2020-12) check
// that each answer's status is documented for its operation and that its body validates.
// Every operation must have answered at least one documented success. A drift between the
// code and the API description fails the suite.

#include "daemonprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace Community::Test;

class TstResponseSchemas : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void recordedAnswersMatchTheServedSchemas()
    {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        QVERIFY2(!node.isEmpty(), "node is not on PATH: run packaging/install-deps.sh");
        QVERIFY2(QFileInfo::exists(QStringLiteral(SOURCE_DIR "/tests/tools/node_modules/ajv/dist/2020.js")),
                 "ajv is not installed: run packaging/install-deps.sh (or `npm ci` in tests/tools)");
        const QString log = qEnvironmentVariable("COMMUNITY_RESPONSE_LOG");
        QVERIFY2(!log.isEmpty(), "COMMUNITY_RESPONSE_LOG is not set (ctest sets it)");
        QVERIFY2(QFileInfo(log).size() > 0, qPrintable(QStringLiteral("no answers were recorded in %1").arg(log)));

        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(REAL_PLUGIN_DIR)};
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        const HttpResult spec = d.get(QStringLiteral("/openapi.json"));
        QCOMPARE(spec.status, 200);
        QCOMPARE(d.stop(), 0);

        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString file = tmp.filePath(QStringLiteral("openapi.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(spec.body);
        f.close();

        QProcess check;
        check.setProcessChannelMode(QProcess::MergedChannels);
        check.start(node, {QStringLiteral(SOURCE_DIR "/tests/tools/validate-responses.mjs"), file, log,
                           QStringLiteral("--require-all")});
        QVERIFY2(check.waitForStarted(), qPrintable(check.errorString()));
        QVERIFY2(check.waitForFinished(120'000), "the validator did not finish in 120 s");
        const QByteArray report = check.readAll();
        qInfo("%s", report.constData());
        QVERIFY2(check.exitStatus() == QProcess::NormalExit && check.exitCode() == 0,
                 qPrintable(QStringLiteral("answers that break the API description (exit %1); see the report above")
                                .arg(check.exitCode())));
    }
};

QTEST_GUILESS_MAIN(TstResponseSchemas)
#include "tst_responseschemas.moc"
