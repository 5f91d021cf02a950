// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Bulk decisions over real HTTP (real auth, users, content and admin plugins): a selection
// of queue items decided in one request, answered per item. A dry run checks every item
// and writes nothing; items that cannot be decided (claimed by someone else, missing,
// already decided) fail in their own row while the others go ahead; a bad or oversized
// selection is refused before anything is written.

#include "adminhttp.h"

#include <QJsonArray>

using namespace Admin::Test;

namespace {

QJsonObject resultFor(const QJsonArray &results, const QString &id)
{
    for (const QJsonValue &v : results)
        if (v.toObject().value("id").toString() == id)
            return v.toObject();
    return {};
}

QString problemSlug(const QJsonObject &row)
{
    return row.value("problem").toObject().value("type").toString().section(QLatin1Char('/'), -1);
}

} // namespace

class TstAdminBulk : public QObject {
    Q_OBJECT

    AdminHttp m_http;
    Account m_author, m_reporter, m_modA, m_modB;
    QStringList m_posts, m_items;   // three posts reported, their items
    QString m_claimedItem;          // held by modB

    QByteArray bulkBody(const QStringList &items, bool dryRun, const char *action = "hide")
    {
        return AdminHttp::json({{"items", QJsonArray::fromStringList(items)},
                                {"actions", QJsonArray{QJsonObject{{"type", action}}}},
                                {"reason", "spam wave"},
                                {"dryRun", dryRun}});
    }

    HttpResult bulk(const QByteArray &body, const QByteArray &requestId = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!requestId.isEmpty())
            headers.append({"X-Request-Id", requestId});
        return m_http.call("POST", QStringLiteral("/v1/admin/queue/decisions"), m_modA.token, body, headers);
    }

    QString reportedItem(const QString &title)
    {
        const QString post = m_http.createPost(m_author, QStringLiteral("bulk"), title).value("id").toString();
        const auto r = m_http.call("POST", QStringLiteral("/v1/reports"), m_reporter.token,
                                   AdminHttp::json({{"targetType", "post"}, {"targetId", post}, {"reason", "spam"}}));
        if (r.status != 201)
            return {};
        m_posts << post;
        return m_http.waitForQueueItem(post, 1).value("id").toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_author = m_http.registerUser(QStringLiteral("author"));
        m_reporter = m_http.registerUser(QStringLiteral("reporter"));
        m_modA = m_http.registerUser(QStringLiteral("moda"));
        m_modB = m_http.registerUser(QStringLiteral("modb"));
        QVERIFY(m_http.setRole(m_modA, QStringLiteral("moderator")) && m_http.setRole(m_modB, QStringLiteral("moderator")));
        QVERIFY(!m_http.createCommunity(m_author, QStringLiteral("bulk")).isEmpty());
        for (const char *title : {"One", "Two", "Three"}) {
            const QString item = reportedItem(QString::fromLatin1(title));
            QVERIFY(!item.isEmpty());
            m_items << item;
        }
        m_claimedItem = reportedItem(QStringLiteral("Claimed"));
        QVERIFY(!m_claimedItem.isEmpty());
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/admin/queue/%1/claim").arg(m_claimedItem), m_modB.token).status, 200);
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void badSelectionsAreRefusedAndWriteNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("field");
        QTest::newRow("no items") << QByteArray(R"({"items":[],"actions":[{"type":"hide"}],"reason":"x"})") << 400 << QStringLiteral("items");
        QTest::newRow("items missing") << QByteArray(R"({"actions":[{"type":"hide"}],"reason":"x"})") << 400 << QStringLiteral("items");
        QTest::newRow("not an id") << QByteArray(R"({"items":["abc"],"actions":[{"type":"hide"}],"reason":"x"})") << 400 << QStringLiteral("items[0]");
        QTest::newRow("number, not string") << QByteArray(R"({"items":[12],"actions":[{"type":"hide"}],"reason":"x"})") << 400 << QStringLiteral("items[0]");
        QTest::newRow("duplicate") << QByteArray(R"({"items":["5","5"],"actions":[{"type":"hide"}],"reason":"x"})") << 400 << QStringLiteral("items[1]");
        QTest::newRow("bad action") << QByteArray(R"({"items":["5"],"actions":[{"type":"nuke"}],"reason":"x"})") << 400 << QStringLiteral("actions[0].type");
        QTest::newRow("no reason") << QByteArray(R"({"items":["5"],"actions":[{"type":"hide"}]})") << 400 << QStringLiteral("reason");
        QTest::newRow("quarantine plus hide") << QByteArray(R"({"items":["5"],"actions":[{"type":"quarantine"},{"type":"hide"}],"reason":"x"})")
                                              << 400 << QStringLiteral("actions");
        QStringList many;
        for (int i = 1; i <= 101; ++i)
            many << QString::number(i);
        QTest::newRow("101 items") << bulkBody(many, false) << 413 << QStringLiteral("items");
    }

    void badSelectionsAreRefusedAndWriteNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, field);
        const auto r = bulk(body);
        QVERIFY2(isProblem(r, status, status == 413 ? QStringLiteral("selection-too-large") : QStringLiteral("validation")),
                 r.body.constData());
        QStringList fields;
        for (const QJsonValue &e : r.json().value("errors").toArray())
            fields << e.toObject().value("field").toString();
        QVERIFY2(fields.contains(field), qPrintable(fields.join(',')));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions"), 0);
    }

    void dryRunChecksEveryItemAndWritesNothing()
    {
        const QStringList selection = m_items + QStringList{m_claimedItem, QStringLiteral("999999")};
        const auto r = bulk(bulkBody(selection, true));
        QCOMPARE(r.status, 200);
        const QJsonObject answer = r.json();
        QVERIFY(answer.value("dryRun").toBool());
        QCOMPARE(answer.value("succeeded").toInt(), 3);
        QCOMPARE(answer.value("failed").toInt(), 2);
        const QJsonArray results = answer.value("results").toArray();
        QCOMPARE(results.size(), 5);
        for (int i = 0; i < selection.size(); ++i)   // in the order asked
            QCOMPARE(results.at(i).toObject().value("id").toString(), selection.at(i));
        for (const QString &item : m_items)
            QCOMPARE(resultFor(results, item).value("status").toString(), QStringLiteral("ready"));
        QCOMPARE(problemSlug(resultFor(results, m_claimedItem)), QStringLiteral("claimed"));
        QCOMPARE(resultFor(results, m_claimedItem).value("problem").toObject().value("status").toInt(), 409);
        QCOMPARE(problemSlug(resultFor(results, QStringLiteral("999999"))), QStringLiteral("not-found"));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions"), 0);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'removed'"), 0);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.reports WHERE status = 'open'"), 4);
    }

    void eachItemIsDecidedOnItsOwnAndFailuresAreReported()
    {
        const QStringList selection = QStringList{m_claimedItem} + m_items + QStringList{QStringLiteral("999999")};
        const auto r = bulk(bulkBody(selection, false), "bulk-1");
        QCOMPARE(r.status, 200);
        const QJsonObject answer = r.json();
        QVERIFY(!answer.value("dryRun").toBool());
        QCOMPARE(answer.value("succeeded").toInt(), 3);
        QCOMPARE(answer.value("failed").toInt(), 2);
        const QJsonArray results = answer.value("results").toArray();
        QSet<QString> decisions;
        for (const QString &item : m_items) {
            const QJsonObject row = resultFor(results, item);
            QCOMPARE(row.value("status").toString(), QStringLiteral("decided"));
            QVERIFY(!row.value("decisionId").toString().isEmpty());
            QVERIFY(row.value("undoableUntil").isString());
            QVERIFY(!row.contains("problem"));
            decisions.insert(row.value("decisionId").toString());
        }
        QCOMPARE(decisions.size(), 3);   // a decision per item
        // The claimed item, first in the selection, failed alone: the others still went ahead.
        QCOMPARE(problemSlug(resultFor(results, m_claimedItem)), QStringLiteral("claimed"));
        QVERIFY(resultFor(results, m_claimedItem).value("problem").toObject().value("detail").toString().contains(m_modB.username));
        QCOMPARE(problemSlug(resultFor(results, QStringLiteral("999999"))), QStringLiteral("not-found"));
        // Three posts hidden, the claimed one untouched and still open.
        QCOMPARE(m_http.scalar("SELECT count(*) FROM content.posts WHERE state = 'removed'"), 3);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions"), 3);
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.queue_items WHERE status = 'open' AND id = "
                               + m_claimedItem.toStdString()),
                 1);
        // One audit row per decided item, all under the request's id.
        const QJsonArray rows = m_http.waitForAudit(QStringLiteral("action=queue.decide"), 3);
        QCOMPARE(rows.size(), 3);
        for (const QJsonValue &row : rows)
            QCOMPARE(row.toObject().value("requestId").toString(), QStringLiteral("bulk-1"));
        // Deciding them again: each row says it was already decided.
        const auto again = bulk(bulkBody(m_items, false, "dismiss"));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().value("succeeded").toInt(), 0);
        for (const QJsonValue &v : again.json().value("results").toArray())
            QCOMPARE(problemSlug(v.toObject()), QStringLiteral("item-resolved"));
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.decisions"), 3);
    }
};

QTEST_GUILESS_MAIN(TstAdminBulk)
#include "tst_adminbulk.moc"
