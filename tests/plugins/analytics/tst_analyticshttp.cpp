// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The analytics routes on a real communityd with the real auth, users, content and
// analytics plugins: who may read which report (per role, decided by the gateway), bad
// batches refused whole with nothing stored, oversized batches, clock skew and resends,
// the per-sender event limit, opt-out, server facts from real content writes, CSV, a
// rebuild by replay through the real event bus giving identical reports, and the live
// figures over polling and on the realtime topic admin:analytics.

#include "contenthttp.h"
#include "wsclient.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QThread>

using Community::Test::wsUrl;
using Community::Test::WsClient;
using Content::Test::ContentHttp;
using Users::Test::Account;
using Users::Test::isProblem;

namespace {

QByteArray batch(const QJsonArray &events)
{
    return QJsonDocument(QJsonObject{{"events", events}}).toJson(QJsonDocument::Compact);
}

QJsonObject pageView(const QString &id, const QString &path = QStringLiteral("/"))
{
    return {{"type", "page_view"}, {"id", id}, {"props", QJsonObject{{"path", path}}}};
}

} // namespace

class TstAnalyticsHttp : public QObject {
    Q_OBJECT

    ContentHttp h;
    Account alice, mona;

    qint64 storedEvents() { return h.scalar("SELECT count(*) FROM analytics.events WHERE source = 'client'"); }
    Community::Test::HttpResult ingest(const QByteArray &body, const QByteArray &token = {},
                                       QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        return h.call("POST", QStringLiteral("/v1/analytics/events"), token, body, headers);
    }
    QString today() { return QDateTime::currentDateTimeUtc().date().toString(Qt::ISODate); }
    QJsonObject report(const QString &name)
    {
        auto r = h.call("GET", QStringLiteral("/v1/analytics/reports/%1?from=%2&to=%2").arg(name, today()), h.admin.token);
        if (r.status != 200)
            qWarning() << name << r.status << r.body;
        return r.json();
    }
    /// Waits until the facts consumer has passed every event in the outbox.
    bool factsCaughtUp(int timeoutMs = 20'000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            const auto r = h.daemon.operatorRequest("GET", QStringLiteral("/v1/system/events/consumers"));
            for (const QJsonValue &v : r.json().value("consumers").toArray()) {
                const QJsonObject c = v.toObject();
                if (c.value("consumer").toString() == QLatin1String("analytics.facts") && c.value("lag").toDouble() == 0
                    && c.value("lastId").toDouble() > 0)
                    return true;
            }
            QThread::msleep(100);
        }
        return false;
    }

    double activityTotal(const char *name) { return report(QStringLiteral("activity")).value("totals").toObject().value(name).toDouble(); }
    /// Today's activity CSV: one post, one comment, the logins so far (registrations sign in).
    QString activityCsv()
    {
        return QStringLiteral("date,posts,comments,votes,logins,uploads,chatMessages\r\n%1,1,1,0,%2,%3,%4\r\n")
            .arg(today())
            .arg(activityTotal("logins"))
            .arg(activityTotal("uploads"))
            .arg(activityTotal("chatMessages"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        h.extraSets << QStringLiteral("plugins.analytics.maxBatchEvents=50")
                    << QStringLiteral("plugins.analytics.eventsBurst=120")
                    << QStringLiteral("plugins.analytics.eventsPerSecond=1")
                    << QStringLiteral("plugins.analytics.liveIntervalMs=300")
                    << QStringLiteral("events.pollIntervalMs=100");
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        alice = h.registerUser(QStringLiteral("alice"));
        mona = h.registerUser(QStringLiteral("mona"));
        QVERIFY(!alice.token.isEmpty() && !mona.token.isEmpty());
        QVERIFY(h.setRole(mona, QStringLiteral("moderator")));
    }

    void reportAccessPerRole_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        const QString signups = QStringLiteral("/v1/analytics/reports/signups");
        const QString moderation = QStringLiteral("/v1/analytics/reports/moderation");
        const QString live = QStringLiteral("/v1/analytics/live");
        QTest::newRow("anonymous signups") << "anonymous" << signups << 401;
        QTest::newRow("anonymous moderation") << "anonymous" << moderation << 401;
        QTest::newRow("user signups") << "user" << signups << 403;
        QTest::newRow("user moderation") << "user" << moderation << 403;
        QTest::newRow("user live") << "user" << live << 403;
        QTest::newRow("moderator signups") << "moderator" << signups << 403;
        QTest::newRow("moderator moderation") << "moderator" << moderation << 200;
        QTest::newRow("moderator live") << "moderator" << live << 403;
        QTest::newRow("admin signups") << "admin" << signups << 200;
        QTest::newRow("admin moderation") << "admin" << moderation << 200;
        QTest::newRow("admin live") << "admin" << live << 200;
        QTest::newRow("admin unknown report") << "admin" << "/v1/analytics/reports/nope" << 404;
        QTest::newRow("admin bad zone") << "admin" << "/v1/analytics/reports/signups?tz=Nowhere/Else" << 400;
    }
    void reportAccessPerRole()
    {
        QFETCH(QString, who);
        QFETCH(QString, path);
        QFETCH(int, status);
        const QByteArray token = who == "user" ? alice.token : who == "moderator" ? mona.token : who == "admin" ? h.admin.token : QByteArray();
        const auto r = h.call("GET", path, token);
        QCOMPARE(r.status, status);
        if (status != 200)
            QVERIFY(r.header("Content-Type").startsWith("application/problem+json"));
    }

    void rejectedBatchStoresNothing()
    {
        const qint64 before = storedEvents();
        // The second event has an unknown type: the first is not stored either.
        auto bad = ingest(batch({pageView("r1"), QJsonObject{{"type", "click"}, {"id", "r2"}}}), alice.token);
        QVERIFY(isProblem(bad, 400, QStringLiteral("validation")));
        QCOMPARE(bad.json().value("errors").toArray().at(0).toObject().value("field").toString(), QStringLiteral("events[1].type"));
        auto schema = ingest(batch({pageView("r1"), QJsonObject{{"type", "post_view"}, {"id", "r3"}, {"props", QJsonObject{{"path", "/"}}}}}),
                             alice.token);
        QVERIFY(isProblem(schema, 400, QStringLiteral("validation")));
        QVERIFY(isProblem(ingest("{\"events\": [", alice.token), 400, QStringLiteral("malformed-json")));
        QJsonArray many;
        for (int i = 0; i < 51; ++i)
            many.append(pageView(QStringLiteral("m%1").arg(i)));
        QVERIFY(isProblem(ingest(batch(many), alice.token), 413, QStringLiteral("batch-too-large")));
        QCOMPARE(storedEvents(), before);
        // The same ids are new afterwards: nothing of the refused batches was remembered.
        auto good = ingest(batch({pageView("r1"), pageView("r2")}), alice.token);
        QCOMPARE(good.status, 202);
        QCOMPARE(good.json().value("accepted").toInt(), 2);
        QCOMPARE(storedEvents(), before + 2);
    }

    void resendAndClockSkew()
    {
        const QJsonArray events{QJsonObject{{"type", "session_start"}, {"id", "skew1"}, {"at", "2099-01-01T00:00:00Z"}},
                                QJsonObject{{"type", "session_start"}, {"id", "skew2"}, {"at", "2001-01-01T00:00:00+09:00"}}};
        auto first = ingest(batch(events), alice.token);
        QCOMPARE(first.status, 202);
        QCOMPARE(first.json().value("clamped").toInt(), 2);
        QCOMPARE(first.json().value("accepted").toInt(), 2);
        auto again = ingest(batch(events), alice.token);
        QCOMPARE(again.json().value("duplicates").toInt(), 2);
        QCOMPARE(again.json().value("accepted").toInt(), 0);
        // Stored within [now - 24 h, now].
        QCOMPARE(h.scalar("SELECT count(*) FROM analytics.events WHERE key LIKE '%:skew_' AND occurred_at <= now()"
                          " AND occurred_at >= now() - interval '24 hours 1 minute'"),
                 2);
    }

    void eventRateLimitPerSender()
    {
        Account bob = h.registerUser(QStringLiteral("bob"));
        QJsonArray fifty;
        for (int i = 0; i < 50; ++i)
            fifty.append(pageView(QStringLiteral("b%1").arg(i)));
        QCOMPARE(ingest(batch(fifty), bob.token).status, 202);
        QCOMPARE(ingest(batch(fifty), bob.token).status, 202);   // duplicates still count against the limit
        auto limited = ingest(batch(fifty), bob.token);
        QVERIFY(isProblem(limited, 429, QStringLiteral("rate-limited")));
        QVERIFY(limited.header("Retry-After").toInt() >= 1);
        // Another sender is not affected.
        QCOMPARE(ingest(batch({pageView("other")}), alice.token).status, 202);
    }

    void optOutAndDoNotTrack()
    {
        Account carol = h.registerUser(QStringLiteral("carol"));
        auto put = h.call("PUT", QStringLiteral("/v1/analytics/opt-out"), carol.token);
        QCOMPARE(put.status, 200);
        QCOMPARE(put.json().value("optedOut").toBool(), true);
        QCOMPARE(h.call("GET", QStringLiteral("/v1/analytics/opt-out"), carol.token).json().value("optedOut").toBool(), true);
        const qint64 before = storedEvents();
        auto r = ingest(batch({pageView("c1")}), carol.token);
        QCOMPARE(r.status, 202);
        QCOMPARE(r.json().value("optedOut").toBool(), true);
        auto dnt = ingest(batch({pageView("d1")}), {}, {{"DNT", "1"}});
        QCOMPARE(dnt.json().value("optedOut").toBool(), true);
        QCOMPARE(storedEvents(), before);
        QCOMPARE(h.call("DELETE", QStringLiteral("/v1/analytics/opt-out"), carol.token).json().value("optedOut").toBool(), false);
        QCOMPARE(ingest(batch({pageView("c1")}), carol.token).json().value("accepted").toInt(), 1);
        QCOMPARE(h.call("PUT", QStringLiteral("/v1/analytics/opt-out")).status, 401);
    }

    void anonymousEventsCarryNoAddress()
    {
        QCOMPARE(ingest(batch({pageView("anon1", "/c/qt")})).status, 202);
        QCOMPARE(h.scalar("SELECT count(*) FROM analytics.events t WHERE t::text LIKE '%127.0.0.1%'"), 0);
        QCOMPARE(h.scalar("SELECT count(*) FROM analytics.events WHERE dim = '/c/qt' AND user_id IS NULL AND ip_hash IS NOT NULL"), 1);
    }

    void serverFactsReplayAndCsv()
    {
        QVERIFY(!h.createCommunity(alice, QStringLiteral("qtdev")).isEmpty());
        const QJsonObject post = h.createPost(alice, QStringLiteral("qtdev"), QStringLiteral("Hello"), QStringLiteral("body"));
        QVERIFY(!post.isEmpty());
        QVERIFY(!h.createComment(mona, post.value("id").toString(), QStringLiteral("Nice")).isEmpty());
        QVERIFY(factsCaughtUp());
        const QJsonObject activity = report(QStringLiteral("activity"));
        QCOMPARE(activity.value("totals").toObject().value("posts").toDouble(), 1.0);
        QCOMPARE(activity.value("totals").toObject().value("comments").toDouble(), 1.0);
        // admin, alice, mona, bob, carol.
        QCOMPARE(report(QStringLiteral("signups")).value("totals").toObject().value("signups").toDouble(), 5.0);

        const QStringList names{"active-users", "signups", "activity", "top-content", "search", "moderation", "retention"};
        QHash<QString, QJsonObject> before;
        for (const QString &n : names)
            before.insert(n, report(n));
        auto rebuild = h.call("POST", QStringLiteral("/v1/analytics/rebuild"), h.admin.token);
        QCOMPARE(rebuild.status, 202);
        QVERIFY(rebuild.json().value("clientEvents").toInt() > 0);
        QThread::msleep(300);
        QVERIFY(factsCaughtUp());
        for (const QString &n : names)
            QCOMPARE(report(n), before.value(n));

        auto csv = h.call("GET", QStringLiteral("/v1/analytics/reports/activity?format=csv&from=%1&to=%1").arg(today()), h.admin.token);
        QCOMPARE(csv.status, 200);
        QVERIFY(csv.header("Content-Type").startsWith("text/csv"));
        QCOMPARE(QString::fromUtf8(csv.body), activityCsv());
    }

    void cliReport()
    {
        const QString day = today();
        auto ctl = [&](const QStringList &args) {
            QProcess p;
            p.start(QStringLiteral(COMMUNITY_BIN_DIR "/communityctl"),
                    QStringList{"--server", h.daemon.baseUrl().toString(), "--token", h.daemon.operatorToken()} + args);
            p.waitForFinished(30'000);
            return std::pair{p.exitCode(), QString::fromUtf8(p.readAllStandardOutput())};
        };
        const auto csv = ctl({"analytics", "report", "activity", "--from", day, "--to", day, "-o", "csv"});
        QCOMPARE(csv.first, 0);
        QCOMPARE(csv.second, activityCsv());
        const auto json = ctl({"analytics", "report", "signups", "--from", day, "--to", day, "--tz", "Europe/Berlin", "-o", "json"});
        QCOMPARE(json.first, 0);
        const QJsonObject parsed = QJsonDocument::fromJson(json.second.toUtf8()).object();
        QCOMPARE(parsed.value("report").toString(), QStringLiteral("signups"));
        QCOMPARE(parsed.value("tz").toString(), QStringLiteral("Europe/Berlin"));
        const auto table = ctl({"analytics", "report", "top-content", "--from", day, "--to", day});
        QCOMPARE(table.first, 0);
        QVERIFY2(table.second.contains("postsByComments") && table.second.contains("TOTAL"), qPrintable(table.second));
        const auto bad = ctl({"analytics", "report", "activity", "--from", "2026-02-30"});
        QVERIFY(bad.first != 0);
        QVERIFY(ctl({"analytics", "report", "nonsense"}).first != 0);
    }

    /// Facts from the auth, search, files and chat plugins' own events, over real HTTP.
    void loginsSearchesUploadsAndChatAreFacts()
    {
        QVERIFY(factsCaughtUp());
        const double logins = activityTotal("logins");
        QVERIFY(logins >= 1);   // the registrations signed in
        QVERIFY(!h.login(alice.username, alice.password).isEmpty());
        QCOMPARE(h.call("GET", QStringLiteral("/v1/search?q=zzqqxyzzy"), alice.token).status, 200);
        QCOMPARE(h.call("GET", QStringLiteral("/v1/search?q=zzqqxyzzy"), alice.token).status, 200);   // from the page cache
        QCOMPARE(h.call("POST", QStringLiteral("/v1/files?purpose=attachment&name=notes.txt"), alice.token,
                        QByteArray("notes for analytics\n"), {{"Content-Type", "text/plain"}})
                     .status,
                 201);
        const qint64 monaId = h.scalar("SELECT id FROM auth.users WHERE username = 'mona'");
        QCOMPARE(h.call("POST", QStringLiteral("/v1/chat/dms/%1/messages").arg(monaId), alice.token,
                        QJsonDocument(QJsonObject{{"clientId", "an-1"}, {"body", "hi mona"}}).toJson(),
                        {{"Content-Type", "application/json"}})
                     .status,
                 201);
        QVERIFY(factsCaughtUp());
        QCOMPARE(activityTotal("logins"), logins + 1);
        QCOMPARE(activityTotal("uploads"), 1.0);
        QCOMPARE(activityTotal("chatMessages"), 1.0);
        const QJsonObject search = report(QStringLiteral("search"));
        QCOMPARE(search.value("totals").toObject().value("serverZeroResultSearches").toDouble(), 2.0);
        const QJsonArray top = search.value("topServerZeroResultQueries").toArray();
        QCOMPARE(top.size(), 1);
        QCOMPARE(top.at(0).toObject().value("query").toString(), QStringLiteral("zzqqxyzzy"));
        // Each fact is stored once with its user; no address, no file name, no message text.
        QCOMPARE(h.scalar("SELECT count(*) FROM analytics.events WHERE source = 'server' AND type IN"
                          " ('upload', 'chat_message', 'zero_result_search') AND user_id IS NOT NULL AND ip_hash IS NULL"),
                 4);
        QCOMPARE(h.scalar("SELECT count(*) FROM analytics.events t WHERE t::text LIKE '%notes.txt%' OR t::text LIKE '%hi mona%'"), 0);
    }

    void liveFigures()
    {
        QCOMPARE(ingest(batch({pageView("live1")}), alice.token).status, 202);
        auto polled = h.call("GET", QStringLiteral("/v1/analytics/live"), h.admin.token);
        QCOMPARE(polled.status, 200);
        QVERIFY(polled.json().value("activeUsers").toInt() >= 1);
        QVERIFY(polled.json().value("eventsPerMinute").toInt() >= 1);
        WsClient ws;
        QVERIFY(ws.open(wsUrl(h.daemon.baseUrl()), h.admin.token));
        QVERIFY(ws.subscribe(QStringLiteral("admin:analytics")));
        auto frame = ws.waitType(QStringLiteral("event"), QStringLiteral("admin:analytics"), 5000);
        QVERIFY(frame);
        QVERIFY(frame->value("data").toObject().value("activeUsers").toInt() >= 1);
        // Moderators may not follow it.
        WsClient mod;
        QVERIFY(mod.open(wsUrl(h.daemon.baseUrl()), mona.token));
        auto refused = mod.subscribe(QStringLiteral("admin:analytics"));
        QVERIFY(refused);
        QCOMPARE(refused->value("type").toString(), QStringLiteral("error"));
    }

    void maintenance()
    {
        auto r = h.call("POST", QStringLiteral("/v1/analytics/maintenance"), h.admin.token);
        QCOMPARE(r.status, 200);
        // From as far back as client times reach (24 h, a day's margin: today - 2) to 7 ahead.
        QCOMPARE(r.json().value("partitions").toInt(), 10);
        QCOMPARE(r.json().value("oldest").toString(), QDateTime::currentDateTimeUtc().date().addDays(-2).toString(Qt::ISODate));
        QCOMPARE(r.json().value("newest").toString(), QDateTime::currentDateTimeUtc().date().addDays(7).toString(Qt::ISODate));
        QCOMPARE(h.call("POST", QStringLiteral("/v1/analytics/maintenance"), mona.token).status, 403);
    }
};

QTEST_GUILESS_MAIN(TstAnalyticsHttp)
#include "tst_analyticshttp.moc"
