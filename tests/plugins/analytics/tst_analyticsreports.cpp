// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Every report against values worked out by hand on a small seeded data set (the
// reasoning is beside each figure): a weekly cohort table that differs between UTC and
// Europe/Berlin, both DST switches of 2026 in Berlin (29 March: a 23-hour day; 25 October:
// a 25-hour day), comparisons with the previous period, CSV; and a rebuild followed by a
// replay of the same bus events giving identical rollups and reports.

#include "analyticsfixture.h"

#include "analyticsrepository.h"

using namespace Analytics;
using namespace Analytics::Test;

namespace {

const QString kBerlin = QStringLiteral("Europe/Berlin");
const QString kUtc = QStringLiteral("UTC");

QDate day(int m, int d)
{
    return QDate(2026, m, d);
}

QString cohortsOf(const QJsonObject &report)
{
    QStringList out;
    for (const QJsonValue &v : report.value(QStringLiteral("cohorts")).toArray()) {
        const QJsonObject c = v.toObject();
        QStringList retained;
        for (const QJsonValue &r : c.value(QStringLiteral("retained")).toArray())
            retained << QString::number(r.toDouble());
        out << QStringLiteral("%1 size=%2 [%3]").arg(c.value(QStringLiteral("week")).toString())
                   .arg(c.value(QStringLiteral("size")).toDouble())
                   .arg(retained.join(u','));
    }
    return out.join(QStringLiteral("; "));
}

QString rankedOf(const QJsonObject &report, const QString &list, const QString &key = QStringLiteral("id"),
                 const QString &value = QStringLiteral("value"))
{
    QStringList out;
    for (const QJsonValue &v : report.value(list).toArray())
        out << v.toObject().value(key).toString() + QLatin1Char('=') + QString::number(v.toObject().value(value).toDouble());
    return out.join(u' ');
}

double total(const QJsonObject &report, const QString &key)
{
    return report.value(QStringLiteral("totals")).toObject().value(key).toDouble();
}

} // namespace

class TstAnalyticsReports : public QObject {
    Q_OBJECT

    Fixture f;

    RawEvent session(const QString &id, const QDateTime &at) { return Fixture::event(QStringLiteral("session_start"), id, at); }
    RawEvent view(const QString &id, qint64 post, qint64 community, const QDateTime &at)
    {
        RawEvent e = Fixture::event(QStringLiteral("post_view"), id, at);
        e.targetId = post;
        e.communityId = community;
        return e;
    }
    RawEvent search(const QString &id, const QString &query, qint64 results, const QDateTime &at)
    {
        RawEvent e = Fixture::event(QStringLiteral("search"), id, at);
        e.dim = query;
        e.num = results;
        return e;
    }

    /// The seeded data set. Users: 10-13 signed up in March (cohorts), 1-3 active around the
    /// spring switch, 4-6 around the autumn one; 50 and 51 moderate on 1 April.
    void seed()
    {
        QVERIFY(f.partitions(day(3, 1), day(4, 2)));
        QVERIFY(f.partitions(day(10, 23), day(10, 27)));
        // Cohorts. u13 signs up Sunday 8 March 23:30 UTC = Monday 9 March 00:30 in Berlin.
        QVERIFY(f.signup(10, utc(2026, 3, 2, 10)));
        QVERIFY(f.signup(11, utc(2026, 3, 4, 10)));
        QVERIFY(f.signup(12, utc(2026, 3, 10, 10)));
        QVERIFY(f.signup(13, utc(2026, 3, 8, 23, 30)));
        QVERIFY(f.client(10, {session("s1", utc(2026, 3, 11, 12)), session("s2", utc(2026, 3, 17, 12))}));
        QVERIFY(f.client(11, {session("s1", utc(2026, 3, 18, 12))}));
        QVERIFY(f.client(12, {session("s1", utc(2026, 3, 16, 12))}));
        // Spring switch: Berlin's 29 March runs from 28 March 23:00 UTC to 29 March 22:00 UTC.
        QVERIFY(f.client(1, {session("s1", utc(2026, 3, 28, 23, 30)), view("v1", 100, 7, utc(2026, 3, 29, 8))}));
        QVERIFY(f.client(2, {session("s1", utc(2026, 3, 29, 21, 30)), view("v1", 100, 7, utc(2026, 3, 29, 9))}));
        QVERIFY(f.client(3, {session("s1", utc(2026, 3, 29, 22, 30))}));
        QVERIFY(f.client(0, {view("v1", 100, 7, utc(2026, 3, 29, 10)), view("v2", 200, 8, utc(2026, 3, 29, 11))},
                         QStringLiteral("198.51.100.1")));
        QVERIFY(f.post(300, 7, 1, utc(2026, 3, 27, 10)));           // previous period (and u1 active on the 27th)
        QVERIFY(f.post(100, 7, 1, utc(2026, 3, 28, 23, 10)));       // Berlin 29th, UTC 28th
        QVERIFY(f.post(200, 8, 2, utc(2026, 3, 29, 10)));
        QVERIFY(f.comment(1000, 100, 7, 2, utc(2026, 3, 29, 21, 45)));  // Berlin 29th 23:45
        QVERIFY(f.comment(1001, 100, 7, 3, utc(2026, 3, 29, 22, 15)));  // Berlin 30th 00:15
        QVERIFY(f.vote(100, 3, utc(2026, 3, 29, 22, 20)));              // Berlin 30th
        QVERIFY(f.vote(200, 2, utc(2026, 3, 29, 12)));
        // Searches: anonymous, from one address.
        const QString addr = QStringLiteral("198.51.100.2");
        RawEvent click = Fixture::event(QStringLiteral("search_click"), QStringLiteral("k1"), utc(2026, 3, 29, 14));
        click.dim = QStringLiteral("rust");
        click.targetId = 100;
        QVERIFY(f.client(0, {search("q0", "zzz", 0, utc(2026, 3, 27, 12))}, addr));
        QVERIFY(f.client(0, {search("q1", "rust", 5, utc(2026, 3, 29, 13)), search("q2", "rust", 3, utc(2026, 3, 29, 13)),
                             search("q3", "qt6", 0, utc(2026, 3, 29, 13)), click}, addr));
        // Autumn switch: Berlin's 25 October runs from 24 October 22:00 UTC to 25 October 23:00 UTC.
        QVERIFY(f.client(4, {session("s1", utc(2026, 10, 24, 22, 30))}));
        QVERIFY(f.client(5, {session("s1", utc(2026, 10, 25, 22, 30))}));
        QVERIFY(f.client(6, {session("s1", utc(2026, 10, 25, 23, 30))}));
        seedModeration();
    }

    void seedModeration()
    {
        auto report = [](qint64 id, bool resolved) {
            ContentEvents::ReportChanged r;
            r.type = resolved ? ContentEvents::Type::ReportResolved : ContentEvents::Type::ReportCreated;
            r.reportId = id;
            r.targetType = QStringLiteral("post");
            r.targetId = 100;
            r.communityId = 7;
            r.reporterId = 2;
            if (resolved) {
                r.resolution = QStringLiteral("resolved");
                r.moderatorId = 50;
            }
            return r;
        };
        QVERIFY(f.deliver(report(1, false), utc(2026, 4, 1, 10)));
        QVERIFY(f.deliver(report(1, true), utc(2026, 4, 1, 11), 50));   // 1 h
        QVERIFY(f.deliver(report(2, false), utc(2026, 4, 1, 12)));
        QVERIFY(f.deliver(report(2, true), utc(2026, 4, 1, 15), 50));   // 3 h
        QVERIFY(f.deliver(report(3, false), utc(2026, 4, 1, 16)));      // open
        ContentEvents::PostChanged removed;
        removed.type = ContentEvents::Type::PostRemoved;
        removed.postId = 100;
        removed.state = QStringLiteral("removed");
        removed.actorId = 51;
        QVERIFY(f.deliver(removed, utc(2026, 4, 1, 16, 30), 51));
    }

    /// Everything the rollups hold, as sorted text (pseudonymous ids as counts).
    QString snapshot()
    {
        auto r = f.db->transact<QString>([](pqxx::work &tx) -> Community::Result<QString> {
            QStringList lines;
            // Counts are summed over shards (which shard a batch used is not part of the figure).
            for (const char *sql : {"SELECT hour::text, metric, dim, sum(value)::text FROM analytics.hourly GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                                    "SELECT day::text, metric, dim, sum(value)::text FROM analytics.daily GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                                    "SELECT hour::text, count(*)::text, '', '' FROM analytics.active_hours GROUP BY 1 ORDER BY 1",
                                    "SELECT signed_up_at::text, '', '', '' FROM analytics.accounts ORDER BY 1",
                                    "SELECT report_id::text, opened_at::text, coalesce(resolved_at::text, ''), coalesce(moderator_id::text, '')"
                                    " FROM analytics.reports ORDER BY report_id"}) {
                for (const auto &row : tx.exec(sql))
                    lines << QStringLiteral("%1|%2|%3|%4").arg(row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].c_str());
                lines << QStringLiteral("--");
            }
            return lines.join(u'\n');
        });
        return r.value_or(QString());
    }

private Q_SLOTS:
    void initTestCase()
    {
        AnalyticsConfig cfg;
        cfg.retentionDays = 3650;   // the seeded days keep their raw rows (a rebuild reads them)
        cfg.reportZones = {kUtc, kBerlin};   // counters; the scan is compared in countersMatchScan
        QVERIFY(f.open(cfg));
        seed();
    }
    void cleanupTestCase() { f.close(); }

    void activeUsersAcrossSpringSwitch()
    {
        const QJsonObject berlin = f.report(QStringLiteral("active-users"), day(3, 28), day(3, 30), kBerlin);
        // DAU: u1 (00:30 local on the 29th), u2 (23:30 local); u3 is past midnight local (30th).
        // WAU: u1 also posted on the 27th. MAU: the four March signups, then u1, u2, u3.
        QCOMPARE(seriesOf(berlin, {"dau", "wau", "mau"}),
                 QStringList({"2026-03-28 dau=0,wau=1,mau=5", "2026-03-29 dau=2,wau=2,mau=6", "2026-03-30 dau=1,wau=3,mau=7"}));
        QCOMPARE(berlin.value("series").toArray().at(1).toObject().value("dauMau").toDouble(), 2.0 / 6.0);
        QCOMPARE(total(berlin, "activeUsers"), 3.0);
        QCOMPARE(total(berlin, "peakDau"), 2.0);
        QCOMPARE(total(berlin, "averageDau"), 1.0);
        // UTC: u1 is on the 28th (23:30) and, by a post view at 08:00, on the 29th too.
        const QJsonObject inUtc = f.report(QStringLiteral("active-users"), day(3, 28), day(3, 30), kUtc);
        QCOMPARE(seriesOf(inUtc, {"dau", "wau", "mau"}),
                 QStringList({"2026-03-28 dau=1,wau=1,mau=5", "2026-03-29 dau=3,wau=3,mau=7", "2026-03-30 dau=0,wau=3,mau=7"}));
        // Previous period (25-27 March): u1 on the 27th only.
        const QJsonObject prev = berlin.value("previous").toObject();
        QCOMPARE(prev.value("from").toString(), QStringLiteral("2026-03-25"));
        QCOMPARE(prev.value("to").toString(), QStringLiteral("2026-03-27"));
        QCOMPARE(prev.value("totals").toObject().value("activeUsers").toDouble(), 1.0);
        QCOMPARE(berlin.value("change").toObject().value("activeUsers").toDouble(), 2.0);
    }

    void activeUsersAcrossAutumnSwitch()
    {
        // Berlin's 25 October has 25 hours: 22:30 UTC on the 24th (00:30 CEST) and 22:30 UTC
        // on the 25th (23:30 CET) both fall in it; 23:30 UTC on the 25th is the 26th.
        const QJsonObject berlin = f.report(QStringLiteral("active-users"), day(10, 24), day(10, 26), kBerlin);
        QCOMPARE(seriesOf(berlin, {"dau"}), QStringList({"2026-10-24 dau=0", "2026-10-25 dau=2", "2026-10-26 dau=1"}));
        const QJsonObject inUtc = f.report(QStringLiteral("active-users"), day(10, 24), day(10, 26), kUtc);
        QCOMPARE(seriesOf(inUtc, {"dau"}), QStringList({"2026-10-24 dau=1", "2026-10-25 dau=2", "2026-10-26 dau=0"}));
    }

    void retentionCohorts()
    {
        // Berlin weeks (Mondays): 2 March {u10, u11}; 9 March {u12, u13 (00:30 Monday local)}.
        // Week 0 counts the signup itself; u10 returns in weeks 1 and 2, u11 in week 2, u12 in week 1.
        const QJsonObject berlin = f.report(QStringLiteral("retention"), day(3, 2), day(3, 22), kBerlin);
        QCOMPARE(cohortsOf(berlin), QStringLiteral("2026-03-02 size=2 [2,1,2]; 2026-03-09 size=2 [2,1]"));
        QCOMPARE(total(berlin, "signups"), 4.0);
        QCOMPARE(total(berlin, "week1Retention"), 0.5);
        const QJsonArray rates = berlin.value("cohorts").toArray().at(0).toObject().value("rates").toArray();
        QCOMPARE(rates.at(1).toDouble(), 0.5);
        // In UTC u13 signed up on Sunday: the first cohort has three.
        const QJsonObject inUtc = f.report(QStringLiteral("retention"), day(3, 2), day(3, 22), kUtc);
        QCOMPARE(cohortsOf(inUtc), QStringLiteral("2026-03-02 size=3 [3,1,2]; 2026-03-09 size=1 [1,1]"));
    }

    void signups()
    {
        const QJsonObject berlin = f.report(QStringLiteral("signups"), day(3, 8), day(3, 10), kBerlin);
        QCOMPARE(seriesOf(berlin, {"signups"}),
                 QStringList({"2026-03-08 signups=0", "2026-03-09 signups=1", "2026-03-10 signups=1"}));
        const QJsonObject week = f.report(QStringLiteral("signups"), day(3, 9), day(3, 15), kUtc);
        QCOMPARE(total(week, "signups"), 1.0);   // u12 (u13 is the 8th in UTC)
        QCOMPARE(week.value("previous").toObject().value("totals").toObject().value("signups").toDouble(), 3.0);
        QCOMPARE(week.value("change").toObject().value("signups").toDouble(), (1.0 - 3.0) / 3.0);
    }

    void activity()
    {
        const QJsonObject berlin = f.report(QStringLiteral("activity"), day(3, 29), day(3, 30), kBerlin);
        QCOMPARE(seriesOf(berlin, {"posts", "comments", "votes"}),
                 QStringList({"2026-03-29 posts=2,comments=1,votes=1", "2026-03-30 posts=0,comments=1,votes=1"}));
        QCOMPARE(total(berlin, "posts"), 2.0);
        QCOMPARE(berlin.value("change").toObject().value("posts").toDouble(), 1.0);     // 1 post on the 27th
        QVERIFY(berlin.value("change").toObject().value("comments").isNull());         // none before
        const QJsonObject inUtc = f.report(QStringLiteral("activity"), day(3, 29), day(3, 30), kUtc);
        QCOMPARE(seriesOf(inUtc, {"posts", "comments", "votes"}),
                 QStringList({"2026-03-29 posts=1,comments=2,votes=2", "2026-03-30 posts=0,comments=0,votes=0"}));
    }

    void topContent()
    {
        const QJsonObject r = f.report(QStringLiteral("top-content"), day(3, 29), day(3, 30), kBerlin);
        QCOMPARE(rankedOf(r, "postsByViews"), QStringLiteral("100=3 200=1"));
        QCOMPARE(rankedOf(r, "communitiesByViews"), QStringLiteral("7=3 8=1"));
        QCOMPARE(rankedOf(r, "postsByVotes"), QStringLiteral("100=1 200=1"));
        QCOMPARE(rankedOf(r, "postsByComments"), QStringLiteral("100=2"));
        QCOMPARE(rankedOf(r, "communitiesByPosts"), QStringLiteral("7=1 8=1"));
        QCOMPARE(rankedOf(r, "communitiesByComments"), QStringLiteral("7=2"));
        QCOMPARE(total(r, "postViews"), 4.0);
    }

    void search()
    {
        const QJsonObject r = f.report(QStringLiteral("search"), day(3, 29), day(3, 30), kBerlin);
        QCOMPARE(total(r, "searches"), 3.0);
        QCOMPARE(total(r, "zeroResultSearches"), 1.0);
        QCOMPARE(total(r, "clicks"), 1.0);
        QCOMPARE(total(r, "zeroResultRate"), 1.0 / 3.0);
        QCOMPARE(total(r, "ctr"), 1.0 / 3.0);
        QCOMPARE(rankedOf(r, "topQueries", "query", "searches"), QStringLiteral("rust=2 qt6=1"));
        QCOMPARE(r.value("topQueries").toArray().at(0).toObject().value("ctr").toDouble(), 0.5);
        QCOMPARE(rankedOf(r, "topZeroResultQueries", "query", "searches"), QStringLiteral("qt6=1"));
        QCOMPARE(r.value("change").toObject().value("searches").toDouble(), 2.0);   // 1 search ("zzz") on the 27th
    }

    void moderation()
    {
        const QJsonObject r = f.report(QStringLiteral("moderation"), day(4, 1), day(4, 1), kBerlin);
        QCOMPARE(seriesOf(r, {"opened", "resolved", "actions"}), QStringList({"2026-04-01 opened=3,resolved=2,actions=1"}));
        QCOMPARE(total(r, "answeredReports"), 2.0);
        QCOMPARE(total(r, "averageFirstResponseSeconds"), 7200.0);   // (1 h + 3 h) / 2
        QCOMPARE(total(r, "medianFirstResponseSeconds"), 7200.0);
        QCOMPARE(rankedOf(r, "actionsPerModerator", "moderatorId", "actions"), QStringLiteral("50=2 51=1"));
    }

    void csvExport()
    {
        auto r = f.reports->run(ReportRequest{QStringLiteral("active-users"), ReportRange{day(3, 28), day(3, 29), kBerlin}, 10});
        QVERIFY(r);
        QCOMPARE(QString::fromUtf8(ReportService::csv(r->table)),
                 QStringLiteral("date,dau,wau,mau,dauMau\r\n2026-03-28,0,1,5,0\r\n2026-03-29,2,2,6,0.333333333333\r\n"));
        auto c = f.reports->run(ReportRequest{QStringLiteral("retention"), ReportRange{day(3, 2), day(3, 22), kBerlin}, 10});
        QVERIFY(c);
        QCOMPARE(QString::fromUtf8(ReportService::csv(c->table)),
                 QStringLiteral("week,size,week0,week1,week2\r\n2026-03-02,2,2,1,2\r\n2026-03-09,2,2,1,\r\n"));
    }

    /// Distinct-user reports from the counters of the configured zones, and from the scan of
    /// active_hours once the zone is dropped from the configuration: the same figures; and a
    /// zone added back gets its counters rebuilt from active_hours.
    void countersMatchScan()
    {
        const QList<std::tuple<QString, QDate, QDate>> requests{
            {QStringLiteral("active-users"), day(3, 28), day(3, 30)}, {QStringLiteral("active-users"), day(3, 1), day(3, 30)},
            {QStringLiteral("active-users"), day(10, 1), day(10, 30)}, {QStringLiteral("retention"), day(3, 2), day(3, 22)},
            {QStringLiteral("retention"), day(3, 4), day(3, 19)},      {QStringLiteral("retention"), day(3, 9), day(3, 9)},
            {QStringLiteral("retention"), day(2, 20), day(4, 5)},
        };
        auto all = [&] {
            QList<QJsonObject> out;
            for (const auto &[name, from, to] : requests)
                for (const QString &tz : {kBerlin, kUtc})
                    out << f.report(name, from, to, tz);
            return out;
        };
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.report_zones"), 2);
        const QList<QJsonObject> counted = all();
        const QString counters = countersOf(f);
        // The counted zones really read the counters: one more first-ever day shows in Berlin only.
        QCOMPARE(f.scalar("INSERT INTO analytics.active_gaps VALUES ('Europe/Berlin', '2026-03-29', 99999, 0, 1) RETURNING 1"), 1);
        QCOMPARE(seriesOf(f.report(QStringLiteral("active-users"), day(3, 29), day(3, 29), kBerlin), {"dau"}),
                 QStringList({"2026-03-29 dau=3"}));
        QCOMPARE(f.scalar("DELETE FROM analytics.active_gaps WHERE gap = 99999 RETURNING 1"), 1);
        AnalyticsConfig scanOnly;
        scanOnly.reportZones = {QStringLiteral("Asia/Tokyo")};
        QVERIFY(AnalyticsService(*f.db, f.store, scanOnly).syncReportZones());
        QCOMPARE(f.scalar("SELECT count(*) FROM analytics.active_gaps WHERE zone <> 'Asia/Tokyo'"), 0);
        const QList<QJsonObject> scanned = all();
        for (qsizetype i = 0; i < counted.size(); ++i)
            QCOMPARE(counted[i], scanned[i]);
        QVERIFY(f.service->syncReportZones());   // back to UTC and Berlin: rebuilt from active_hours
        QCOMPARE(countersOf(f), counters);
        QCOMPARE(all(), counted);
    }

    void utcDailyRollupMatchesHourly()
    {
        // UTC reads the daily table; the hourly one must agree when summed by UTC day.
        const qint64 mismatches = f.scalar(
            "SELECT count(*) FROM (SELECT (hour AT TIME ZONE 'UTC')::date AS day, metric, dim, sum(value) AS v"
            " FROM analytics.hourly GROUP BY 1, 2, 3) h FULL JOIN (SELECT day, metric, dim, sum(value) AS value"
            " FROM analytics.daily GROUP BY 1, 2, 3) d USING (day, metric, dim) WHERE h.v IS DISTINCT FROM d.value");
        QCOMPARE(mismatches, 0);
    }

    void rebuildAndReplayGiveIdenticalRollups()
    {
        const QString before = snapshot();
        const QString countersBefore = countersOf(f);
        QVERIFY(countersBefore.count(u'\n') > 40);
        const QJsonObject reportBefore = f.report(QStringLiteral("retention"), day(3, 2), day(3, 22), kBerlin);
        QVERIFY(before.count(u'\n') > 50);
        auto rebuilt = f.service->rebuild();
        QVERIFY(rebuilt);
        QCOMPARE(rebuilt->value("clientEvents").toInt(), 19);
        QVERIFY(snapshot() != before);   // server facts are gone until replayed
        for (const auto &e : f.delivered)
            QVERIFY(f.service->applyFact(e));
        QCOMPARE(snapshot(), before);
        QCOMPARE(countersOf(f), countersBefore);
        QCOMPARE(f.report(QStringLiteral("retention"), day(3, 2), day(3, 22), kBerlin), reportBefore);
        // A second replay (redelivery) changes nothing.
        for (const auto &e : f.delivered)
            QVERIFY(f.service->applyFact(e));
        QCOMPARE(snapshot(), before);
    }
};

QTEST_GUILESS_MAIN(TstAnalyticsReports)
#include "tst_analyticsreports.moc"
