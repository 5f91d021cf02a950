// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The document the real daemon serves at /openapi.json (every plugin running) passes
// `@redocly/cli lint` with redocly.yaml (the recommended ruleset): exit 0, no errors.
// The linter is pinned in tests/tools/package.json and installed by
// packaging/install-deps.sh (npm ci); a missing linter fails this test, it never skips.

#include "daemonprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace Community::Test;

class TstOpenApiLint : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty(),
                 "node is not on PATH: run packaging/install-deps.sh (installs nodejs and npm)");
        QVERIFY2(QFileInfo(QStringLiteral(REDOCLY_BIN)).isExecutable(),
                 "@redocly/cli is not installed (" REDOCLY_BIN "): run packaging/install-deps.sh "
                 "(or `npm ci` in tests/tools)");
    }

    void servedDocumentPassesTheLinter()
    {
        DaemonProcess d;
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(REAL_PLUGIN_DIR)};
        QDir().mkpath(QStringLiteral(REAL_PLUGIN_DIR));
        QVERIFY2(d.start(o), qPrintable(d.errorString()));
        const HttpResult spec = d.get(QStringLiteral("/openapi.json"));
        QCOMPARE(spec.status, 200);
        QCOMPARE(d.stop(), 0);
        // The service plugins run, so their fragments are linted too, not just the host's part.
        QVERIFY(spec.json().value(QStringLiteral("paths")).toObject().contains(QStringLiteral("/v1/auth/login")));

        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        tmp.setAutoRemove(false);  // kept when a check fails, for a look at what was linted
        const QString file = tmp.filePath(QStringLiteral("openapi.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument::fromJson(spec.body).toJson(QJsonDocument::Indented));
        f.close();

        QProcess lint;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // No network from a test: no telemetry, no update check.
        env.insert(QStringLiteral("REDOCLY_TELEMETRY"), QStringLiteral("off"));
        env.insert(QStringLiteral("REDOCLY_SUPPRESS_UPDATE_NOTICE"), QStringLiteral("true"));
        lint.setProcessEnvironment(env);
        lint.setWorkingDirectory(QStringLiteral(SOURCE_DIR));
        lint.start(QStringLiteral(REDOCLY_BIN),
                   {QStringLiteral("lint"), QStringLiteral("--config"), QStringLiteral(SOURCE_DIR "/redocly.yaml"),
                    QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--max-problems"),
                    QStringLiteral("100000"), file});
        QVERIFY2(lint.waitForStarted(), qPrintable(lint.errorString()));
        QVERIFY2(lint.waitForFinished(120'000), "the linter did not finish in 120 s");
        const QByteArray out = lint.readAllStandardOutput();
        const QByteArray err = lint.readAllStandardError();

        QJsonParseError parseError;
        const QJsonObject report = QJsonDocument::fromJson(out, &parseError).object();
        QVERIFY2(parseError.error == QJsonParseError::NoError,
                 qPrintable(QStringLiteral("no JSON report from the linter (exit %1): %2\n%3")
                                .arg(lint.exitCode()).arg(QString::fromUtf8(out), QString::fromUtf8(err))));
        const QJsonObject totals = report.value(QStringLiteral("totals")).toObject();
        QStringList errors;
        for (const QJsonValue &v : report.value(QStringLiteral("problems")).toArray()) {
            const QJsonObject p = v.toObject();
            const QString where = p.value(QStringLiteral("location")).toArray().first().toObject()
                                      .value(QStringLiteral("pointer")).toString();
            const QString line = QStringLiteral("%1 %2: %3").arg(p.value(QStringLiteral("ruleId")).toString(), where,
                                                                p.value(QStringLiteral("message")).toString());
            if (p.value(QStringLiteral("severity")).toString() == QLatin1String("error")) {
                errors << line;
            } else {
                qWarning("lint warning: %s", qPrintable(line));
            }
        }
        qInfo("redocly lint: %d errors, %d warnings", totals.value(QStringLiteral("errors")).toInt(),
              totals.value(QStringLiteral("warnings")).toInt());
        QVERIFY2(totals.contains(QStringLiteral("errors")), out.constData());
        QVERIFY2(errors.isEmpty() && totals.value(QStringLiteral("errors")).toInt() == 0,
                 qPrintable(QStringLiteral("%1\n(document kept in %2)").arg(errors.join(QLatin1Char('\n')), file)));
        QVERIFY2(lint.exitStatus() == QProcess::NormalExit && lint.exitCode() == 0,
                 qPrintable(QStringLiteral("linter exit %1: %2").arg(lint.exitCode()).arg(QString::fromUtf8(err))));
        tmp.setAutoRemove(true);
    }
};

QTEST_GUILESS_MAIN(TstOpenApiLint)
#include "tst_openapilint.moc"
