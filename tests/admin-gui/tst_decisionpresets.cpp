// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The decision presets and their checks, as data: every preset is a decision the server
// accepts (the same rules as AdminDecision in the admin plugin's OpenAPI), the body is
// what /v1/admin/queue/{id}/decision expects, and bad combinations are refused before
// anything is sent.

#include "decisionpresets.h"

#include <QJsonObject>
#include <QTest>

using namespace Console;

class TstDecisionPresets : public QObject {
    Q_OBJECT
private slots:
    void nineValidPresets()
    {
        const QList<DecisionPreset> presets = decisionPresets();
        QCOMPARE(presets.size(), 9);
        for (const DecisionPreset &p : presets)
            QVERIFY2(validateDecision(p.actions, p.reason).isEmpty(), qPrintable(p.label));
        QCOMPARE(describeActions(presets[1].actions), QStringLiteral("hide + suspend 1 d"));
    }

    void body()
    {
        const QJsonArray a = actionsJson({{QStringLiteral("hide")}, {QStringLiteral("suspend"), 7}});
        QCOMPARE(a.size(), 2);
        QCOMPARE(a[0].toObject(), (QJsonObject{{"type", "hide"}}));
        QCOMPARE(a[1].toObject(), (QJsonObject{{"type", "suspend"}, {"days", 7}}));
    }

    void validation_data()
    {
        QTest::addColumn<QStringList>("types");
        QTest::addColumn<int>("days");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("ok");
        QTest::newRow("none") << QStringList{} << 0 << "r" << false;
        QTest::newRow("dismiss alone") << QStringList{"dismiss"} << 0 << "r" << true;
        QTest::newRow("dismiss + hide") << QStringList{"dismiss", "hide"} << 0 << "r" << false;
        QTest::newRow("no reason") << QStringList{"hide"} << 0 << "  " << false;
        QTest::newRow("suspend 0 days") << QStringList{"suspend"} << 0 << "r" << false;
        QTest::newRow("suspend 3650 days") << QStringList{"suspend"} << 3650 << "r" << true;
        QTest::newRow("suspend 3651 days") << QStringList{"suspend"} << 3651 << "r" << false;
        QTest::newRow("nine actions") << QStringList(9, "warn") << 0 << "r" << false;
    }

    void validation()
    {
        QFETCH(QStringList, types);
        QFETCH(int, days);
        QFETCH(QString, reason);
        QFETCH(bool, ok);
        QList<DecisionAction> actions;
        for (const QString &t : types)
            actions.append({t, days});
        QCOMPARE(validateDecision(actions, reason).isEmpty(), ok);
    }
};

QTEST_MAIN(TstDecisionPresets)
#include "tst_decisionpresets.moc"
