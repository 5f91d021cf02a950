// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The settings screen against a real daemon (an environment-set key, the real plugins'
// keys), driven by keys where a person would use them: every key listed with its type,
// value, default, source and state; an environment-set key and a secret are read-only
// with the reason (a secret shows only "set"); `/` searches keys and descriptions; an
// edit needs a reason, a value the server refuses shows its field error beside the field
// and writes nothing; an accepted one is shown as a diff before saving, saved after the
// confirmation (audit row), in force at once for a live key and "restart required" /
// pending for another; `d` shows only the keys that differ from their default; reset
// removes the runtime value; export writes the runtime layer to a file; an import with
// one bad key writes nothing and lists every refusal, a good one lists what changed.

#include "jsontablemodel.h"
#include "session.h"
#include "settingsscreen.h"
#include "signin.h"

#include "adminhttp.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

using namespace Admin::Test;

namespace {
const QString kClaim = QStringLiteral("plugins.admin.claimMinutes");
const QString kSweep = QStringLiteral("plugins.admin.penaltySweepMs");
const QString kIdle = QStringLiteral("http.idleTimeoutMs");
const char *const kSweepVariable = "COMMUNITY_PLUGINS__ADMIN__PENALTYSWEEPMS";
} // namespace

class TstSettingsScreen : public QObject {
    Q_OBJECT
    AdminHttp h;
    Console::Session session;
    QTemporaryDir dir;

    QJsonObject setting(const QString &key)
    {
        return h.op("GET", QStringLiteral("/v1/admin/settings/") + key).json();
    }
    QJsonObject row(Console::SettingsScreen &screen, const QString &key)
    {
        for (int r = 0; r < screen.model()->rowCount(); ++r) {
            if (screen.model()->item(r).value("key").toString() == key)
                return screen.model()->item(r);
        }
        return {};
    }
    static bool open(Console::SettingsScreen &screen)
    {
        screen.resize(1400, 800);
        screen.show();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        screen.reload();
        return QTest::qWaitForWindowActive(&screen) && (loaded.size() > 0 || loaded.wait(15'000));
    }
    bool writeFile(const QString &name, const QJsonObject &settings)
    {
        QFile f(dir.filePath(name));
        return f.open(QIODevice::WriteOnly)
            && f.write(QJsonDocument(QJsonObject{{"version", 1}, {"settings", settings}}).toJson()) > 0;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir.isValid());
        h.extraEnv.insert(QString::fromLatin1(kSweepVariable), QStringLiteral("20000"));
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(Console::Test::signInAsAdmin(session, h));
    }

    void listsKeysWithSourceAndReadOnlyReason()
    {
        Console::SettingsScreen screen(&session);
        QVERIFY(open(screen));
        QCOMPARE(screen.model()->rowCount(), h.op("GET", QStringLiteral("/v1/admin/settings")).json().value("settings").toArray().size());
        const QJsonObject claim = row(screen, kClaim);
        QCOMPARE(claim.value("type").toString(), QStringLiteral("integer"));
        QCOMPARE(claim.value("source").toString(), QStringLiteral("default"));
        QVERIFY(screen.select(kClaim));
        const int claimRow = screen.list()->currentIndex().row();
        QCOMPARE(screen.model()->data(screen.model()->index(claimRow, 4)).toString(), QStringLiteral("default"));
        QCOMPARE(screen.model()->data(screen.model()->index(claimRow, 5)).toString(), QStringLiteral("live"));
        QVERIFY(screen.isEditable());
        QVERIFY(screen.valueField()->isEnabled());
        QCOMPARE(screen.valueField()->text(), Console::SettingsScreen::valueText(claim));

        // Set by the environment: read-only, the variable named, the field disabled.
        QVERIFY(screen.select(kSweep));
        const int sweepRow = screen.list()->currentIndex().row();
        QCOMPARE(screen.model()->data(screen.model()->index(sweepRow, 2)).toString(), QStringLiteral("20000"));
        QCOMPARE(screen.model()->data(screen.model()->index(sweepRow, 4)).toString(), QStringLiteral("environment"));
        QVERIFY2(screen.model()->data(screen.model()->index(sweepRow, 6)).toString().contains(QLatin1String(kSweepVariable)),
                 qPrintable(screen.model()->data(screen.model()->index(sweepRow, 6)).toString()));
        QVERIFY(!screen.isEditable());
        QVERIFY(!screen.valueField()->isEnabled());
        screen.save();   // refused in the console: nothing is sent
        QVERIFY2(screen.feedback().contains(QLatin1String("cannot be changed")), qPrintable(screen.feedback()));

        // A secret shows only whether it is set, and is never editable here.
        int secrets = 0;
        for (int r = 0; r < screen.model()->rowCount(); ++r) {
            const QJsonObject s = screen.model()->item(r);
            if (!s.value("secret").toBool())
                continue;
            ++secrets;
            const QString shown = screen.model()->data(screen.model()->index(r, 2)).toString();
            QVERIFY2(shown == QLatin1String("set") || shown == QLatin1String("unset"), qPrintable(shown));
            QVERIFY(s.value("readOnly").toBool());
        }
        QVERIFY(secrets > 0);   // the operator token at least

        // `/` searches keys and descriptions.
        screen.list()->setFocus();
        QTest::keyClick(screen.list(), Qt::Key_Slash);
        QVERIFY(screen.searchField()->hasFocus());
        QTest::keyClicks(screen.searchField(), QStringLiteral("claimminutes"));
        QCOMPARE(screen.visibleKeys(), QStringList{kClaim});
        QTest::keyClick(screen.searchField(), Qt::Key_Escape);
        QCOMPARE(screen.visibleKeys().size(), screen.model()->rowCount());
    }

    void editRoundTripByKeys()
    {
        Console::SettingsScreen screen(&session);
        QVERIFY(open(screen));
        QVERIFY(screen.select(kClaim));
        QString asked;
        screen.setConfirm([&asked](const QString &q) {
            asked = q;
            return true;
        });
        QTableView *list = screen.list();
        list->setFocus();

        // No reason: the console asks for one and sends nothing.
        QTest::keyClick(list, Qt::Key_E);
        QVERIFY(screen.valueField()->hasFocus());
        screen.valueField()->selectAll();
        QTest::keyClicks(screen.valueField(), QStringLiteral("0"));
        QTest::keyClick(screen.valueField(), Qt::Key_Return);
        QVERIFY2(screen.feedback().contains(QLatin1String("reason")), qPrintable(screen.feedback()));
        QVERIFY(screen.reasonField()->hasFocus());

        // Out of range: the server's field error beside the field, nothing written.
        QTest::keyClicks(screen.reasonField(), QStringLiteral("shorter claims during the sprint"));
        QSignalSpy failed(&screen, &Console::SettingsScreen::failed);
        screen.save();
        QVERIFY(failed.wait(15'000));
        QVERIFY2(screen.fieldError().contains(QLatin1String("between 1 and 1440")), qPrintable(screen.fieldError()));
        QVERIFY(asked.isEmpty());
        QCOMPARE(setting(kClaim).value("source").toString(), QStringLiteral("default"));

        // Accepted: the diff is shown and confirmed, then saved; live at once.
        screen.valueField()->selectAll();
        QTest::keyClicks(screen.valueField(), QStringLiteral("7"));
        QSignalSpy saved(&screen, &Console::SettingsScreen::saved);
        QTest::keyClick(screen.valueField(), Qt::Key_Return);
        QVERIFY(saved.wait(15'000));
        QVERIFY2(asked.contains(QStringLiteral("→ 7")) && asked.contains(QLatin1String("default 10")), qPrintable(asked));
        QVERIFY2(screen.diffText().contains(QLatin1String("at once")), qPrintable(screen.diffText()));
        QVERIFY(screen.fieldError().isEmpty());
        QCOMPARE(setting(kClaim).value("value").toInt(), 7);
        QCOMPARE(setting(kClaim).value("source").toString(), QStringLiteral("runtime"));
        QCOMPARE(row(screen, kClaim).value("value").toInt(), 7);
        const QJsonArray audit = h.waitForAudit(QStringLiteral("action=setting.change"));
        QVERIFY(!audit.isEmpty());
        QCOMPARE(audit.first().toObject().value("reason").toString(), QStringLiteral("shorter claims during the sprint"));

        // A restart-required key: saved, pending, the badge says so.
        QVERIFY(screen.select(kIdle));
        asked.clear();
        screen.valueField()->setText(QStringLiteral("45000"));
        screen.reasonField()->setText(QStringLiteral("slow clients"));
        screen.save();
        QVERIFY(saved.wait(15'000));
        QVERIFY2(asked.contains(QLatin1String("after a restart")), qPrintable(asked));
        const int idleRow = screen.list()->currentIndex().row();
        QCOMPARE(screen.model()->data(screen.model()->index(idleRow, 5)).toString(), QStringLiteral("pending: restart required"));
        QVERIFY2(screen.feedback().contains(QLatin1String("restart")), qPrintable(screen.feedback()));

        // A declined confirmation writes nothing.
        QVERIFY(screen.select(kClaim));
        screen.valueField()->setText(QStringLiteral("9"));
        screen.reasonField()->setText(QStringLiteral("changed my mind"));
        screen.setConfirm([](const QString &) { return false; });
        screen.save();
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().contains(QLatin1String("Not saved")), 15'000);
        QCOMPARE(setting(kClaim).value("value").toInt(), 7);

        // `d`: only what differs from its default.
        list->setFocus();
        QTest::keyClick(list, Qt::Key_D);
        QTRY_VERIFY_WITH_TIMEOUT(screen.feedback().contains(QLatin1String("differ")), 15'000);
        QVERIFY2(screen.visibleKeys().contains(kClaim), qPrintable(screen.visibleKeys().join(' ')));
        QVERIFY(screen.visibleKeys().contains(kIdle));
        QVERIFY(!screen.visibleKeys().contains(QStringLiteral("plugins.admin.maxPageSize")));
        QTest::keyClick(list, Qt::Key_D);
        QCOMPARE(screen.visibleKeys().size(), screen.model()->rowCount());

        // Reset: the runtime value goes, the default is back.
        screen.setConfirm([](const QString &) { return true; });
        QVERIFY(screen.select(kClaim));
        screen.reasonField()->setText(QStringLiteral("sprint over"));
        QSignalSpy reset(&screen, &Console::SettingsScreen::resetDone);
        screen.reset();
        QVERIFY(reset.wait(15'000));
        QCOMPARE(setting(kClaim).value("source").toString(), QStringLiteral("default"));
        QVERIFY(!h.waitForAudit(QStringLiteral("action=setting.reset")).isEmpty());
    }

    void exportAndImportAllOrNothing()
    {
        Console::SettingsScreen screen(&session);
        QVERIFY(open(screen));
        screen.setConfirm([](const QString &) { return true; });

        // Export: the runtime layer (the idle timeout set above) in a file.
        const QString out = dir.filePath(QStringLiteral("export.json"));
        QSignalSpy exported(&screen, &Console::SettingsScreen::exported);
        screen.exportTo(out);
        QVERIFY(exported.wait(15'000));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject layer = QJsonDocument::fromJson(f.readAll()).object().value("settings").toObject();
        QCOMPARE(layer.value(kIdle).toInt(), 45000);

        // One unknown key and one bad value: nothing written, each refusal listed.
        QVERIFY(writeFile(QStringLiteral("bad.json"), {{kClaim, 5}, {"plugins.admin.noSuchKey", 1}, {"plugins.admin.maxPageSize", -1}}));
        screen.reasonField()->setText(QStringLiteral("copy from staging"));
        QSignalSpy failed(&screen, &Console::SettingsScreen::failed);
        screen.importFrom(dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(failed.wait(15'000));
        const QStringList refused = screen.importResult();
        QVERIFY2(refused.value(0).contains(QLatin1String("Nothing was written")), qPrintable(refused.join('\n')));
        QVERIFY2(refused.join('\n').contains(QLatin1String("plugins.admin.noSuchKey")), qPrintable(refused.join('\n')));
        QVERIFY2(refused.join('\n').contains(QLatin1String("plugins.admin.maxPageSize")), qPrintable(refused.join('\n')));
        QCOMPARE(setting(kClaim).value("source").toString(), QStringLiteral("default"));

        // Not a settings file: refused in the console.
        QFile junk(dir.filePath(QStringLiteral("junk.json")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("[1, 2]");
        junk.close();
        screen.importFrom(junk.fileName());
        QVERIFY2(screen.importResult().value(0).contains(QLatin1String("not a settings export")), qPrintable(screen.importResult().join('\n')));

        // A good file: what changed is listed, and in force.
        QVERIFY(writeFile(QStringLiteral("good.json"), {{kClaim, 5}}));
        screen.reasonField()->setText(QStringLiteral("copy from staging"));
        QSignalSpy imported(&screen, &Console::SettingsScreen::imported);
        screen.importFrom(dir.filePath(QStringLiteral("good.json")));
        QVERIFY(imported.wait(15'000));
        QCOMPARE(imported.first().at(0).toStringList(), QStringList{kClaim});
        QVERIFY2(screen.importResult().contains(kClaim), qPrintable(screen.importResult().join('\n')));
        QCOMPARE(setting(kClaim).value("value").toInt(), 5);
    }

    void parsesValuesByType()
    {
        using S = Console::SettingsScreen;
        QCOMPARE(S::parseValue(QStringLiteral("integer"), QStringLiteral(" 42 ")), QJsonValue(42));
        QCOMPARE(S::parseValue(QStringLiteral("integer"), QStringLiteral("4x")), QJsonValue(QStringLiteral("4x")));
        QCOMPARE(S::parseValue(QStringLiteral("boolean"), QStringLiteral("True")), QJsonValue(true));
        QCOMPARE(S::parseValue(QStringLiteral("stringList"), QStringLiteral("a, b")), QJsonValue(QJsonArray{"a", "b"}));
        QCOMPARE(S::parseValue(QStringLiteral("stringList"), QStringLiteral("[\"a,b\"]")), QJsonValue(QJsonArray{"a,b"}));
        QCOMPARE(S::parseValue(QStringLiteral("string"), QStringLiteral("123")), QJsonValue(QStringLiteral("123")));
        QCOMPARE(S::valueText({{"value", QJsonArray{"x", "y"}}}), QStringLiteral("x, y"));
        QCOMPARE(S::valueText({{"secret", true}, {"value", true}}), QStringLiteral("set"));
    }
};

QTEST_MAIN(TstSettingsScreen)
#include "tst_settingsscreen.moc"
