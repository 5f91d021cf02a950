// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The audit log's before/after difference and its CSV / JSON export as data.

#include "auditformat.h"

#include "community/client/auditexport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Console;
using Community::Client::auditCsv;
using Community::Client::auditJson;
using Community::Client::csvField;

class TstAuditFormat : public QObject {
    Q_OBJECT
private slots:
    void diff()
    {
        const QList<FieldChange> c = auditDiff(QJsonObject{{"state", "active"}, {"role", "user"}},
                                               QJsonObject{{"state", "suspended"}, {"role", "user"}, {"until", "2027"}});
        QCOMPARE(c.size(), 2);
        QCOMPARE(c[0].field, QStringLiteral("state"));
        QCOMPARE(c[0].before, QStringLiteral("active"));
        QCOMPARE(c[0].after, QStringLiteral("suspended"));
        QCOMPARE(c[1].field, QStringLiteral("until"));
        QCOMPARE(c[1].before, QString());
        const QList<FieldChange> created = auditDiff(QJsonValue(), QJsonObject{{"a", 1}, {"b", QJsonObject{{"c", true}}}});
        QCOMPARE(created.size(), 2);
        QCOMPARE(created[0].field, QStringLiteral("a"));
        QCOMPARE(created[0].after, QStringLiteral("1"));
        QCOMPARE(created[1].after, QStringLiteral("{\"c\":true}"));
        QCOMPARE(auditDiff(QJsonValue(5), QJsonValue(6)).first().field, QStringLiteral("value"));
        QVERIFY(auditDiff(QJsonValue(), QJsonValue()).isEmpty());
        QVERIFY(auditDiffHtml({{"after", QJsonObject{{"x", "<b>"}}}}).contains("&lt;b&gt;"));
    }

    void csvQuotes()
    {
        const QJsonObject row{{"seq", "7"}, {"action", "user.suspend"}, {"reason", "said \"hi\", twice\nand left"},
                              {"actor", QJsonObject{{"username", "모더"}, {"kind", "user"}}},
                              {"target", QJsonObject{{"type", "user"}, {"id", "4"}}}, {"after", QJsonObject{{"state", "suspended"}}}};
        const QByteArray csv = auditCsv({row});
        const QList<QByteArray> lines = csv.split('\n');
        QVERIFY(lines[1].startsWith("7,,user,모더,user.suspend,user,4,\"said \"\"hi\"\", twice"));
        QVERIFY(csv.contains("\"{\"\"state\"\":\"\"suspended\"\"}\""));
        const QJsonArray items = QJsonDocument::fromJson(auditJson({row, row})).object().value("items").toArray();
        QCOMPARE(items.size(), 2);
        QCOMPARE(items[1].toObject(), row);
    }

    void csvDefusesFormulas()
    {
        QCOMPARE(csvField(QStringLiteral("=HYPERLINK(\"x\")")), QByteArray("\"'=HYPERLINK(\"\"x\"\")\""));
        QCOMPARE(csvField(QStringLiteral("+1")), QByteArray("'+1"));
        QCOMPARE(csvField(QStringLiteral("@SUM(A1)")), QByteArray("'@SUM(A1)"));
        QCOMPARE(csvField(QStringLiteral("-3")), QByteArray("-3"));   // a number stays a number
        QCOMPARE(csvField(QStringLiteral("plain")), QByteArray("plain"));
    }
};

QTEST_MAIN(TstAuditFormat)
#include "tst_auditformat.moc"
