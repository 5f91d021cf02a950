// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Client event batches: the schema per type, whole-batch rejection with named fields,
// clamping of clock skew, deterministic sampling; what an event adds to the rollups; the
// event rate limiter; report query parameters; CSV cells.

#include "analyticsconfig.h"
#include "eventratelimiter.h"
#include "eventschema.h"
#include "reportquery.h"
#include "reportservice.h"
#include "rollup.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QtTest>

using namespace Analytics;
using namespace Community;

namespace {

const QDateTime kNow = QDateTime(QDate(2026, 3, 29), QTime(12, 0), Qt::UTC);

/// JSON written with single quotes (moc cannot read raw string literals).
QByteArray j(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}

Result<ParsedBatch> parse(const QByteArray &json, const AnalyticsConfig &cfg = {})
{
    auto body = Http::BodyReader::parse(json);
    if (!body)
        return tl::unexpected(body.error());
    return parseBatch(*body, cfg, kNow);
}

QStringList fieldCodes(const Error &e)
{
    QStringList out;
    for (const FieldError &f : e.fields)
        out << f.field + QLatin1Char('=') + f.code;
    return out;
}

/// Whether readPlainBatch() agrees with BodyReader + parseBatch() on `body`: it may decline
/// anything, but what it accepts the general path must accept with the same events.
/// Returns whether the plain reader accepted; fails the test on a disagreement.
bool plainAgrees(const QByteArray &body, const AnalyticsConfig &cfg, bool *accepted)
{
    *accepted = false;
    const auto plain = readPlainBatch(body, cfg, kNow);
    if (!plain)
        return true;
    *accepted = true;
    const auto general = parse(body, cfg);
    if (!general) {
        qWarning("plain reader accepted what the general one refuses (%s): %s",
                 qPrintable(fieldCodes(general.error()).join(u' ')), body.constData());
        return false;
    }
    bool same = plain->sampledOut == general->sampledOut && plain->clamped == general->clamped
                && plain->events.size() == general->events.size();
    for (qsizetype i = 0; same && i < plain->events.size(); ++i) {
        const RawEvent &a = plain->events.at(i);
        const RawEvent &b = general->events.at(i);
        same = a.at == b.at && a.type == b.type && a.server == b.server && a.userId == b.userId && a.ipHash == b.ipHash
               && a.targetId == b.targetId && a.communityId == b.communityId && a.dim == b.dim && a.num == b.num
               && a.weight == b.weight && a.key == b.key;
    }
    if (!same)
        qWarning("plain and general readers differ on: %s", body.constData());
    return same;
}

/// Valid batches of every type and prop, in the forms the mutation test starts from.
QList<QByteArray> plainSeeds()
{
    return {
        j("{'events':[{'type':'page_view','id':'w1-1','props':{'path':'/c/1'}},{'type':'page_view','id':'w1-2','props':{'path':'/c/2'}}]}"),
        j("{'events':[{'type':'page_view','id':'a1','at':'2026-03-29T11:00:00Z','props':{'path':' /c/qt ','referrer':'https://x.example/'}},"
          "{'type':'post_view','id':'a2','at':'2026-03-29T13:00:00+02:00','props':{'postId':'42','communityId':7}},"
          "{'type':'search','id':'a3','props':{'query':'  Rust   Async ','results':0}},"
          "{'type':'search_click','id':'a4','props':{'query':'rust async','postId':'9','position':2}},"
          "{'type':'session_start','id':'a5'},{'props':{'platform':'web'},'id':'a.6','type':'session_start'}]}"),
        j(" {\n 'events' : [ {'id':'x:1' , 'type':'post_view','props':{ 'communityId':'0012','postId':900719925474099 } } ,\t"
          "{'type':'search','props':{'results':1000000000,'query':'Q'},'at':'2026-03-29T12:00:00.250+00:00','id':'x_2'} ] }\r\n"),
    };
}

} // namespace

class TstAnalyticsSchema : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validBatch()
    {
        auto b = parse(j("{'events':["
        "{'type':'page_view','id':'a1','at':'2026-03-29T11:00:00Z','props':{'path':'/c/qt','referrer':'https://x.example/'}},"
        "{'type':'post_view','id':'a2','at':'2026-03-29T13:00:00+02:00','props':{'postId':'42','communityId':7}},"
        "{'type':'search','id':'a3','props':{'query':'  Rust   Async ','results':0}},"
        "{'type':'search_click','id':'a4','props':{'query':'rust async','postId':'9','position':2}},"
        "{'type':'session_start','id':'a5'}]}"));
        QVERIFY2(b, b ? "" : qPrintable(fieldCodes(b.error()).join(u' ')));
        QCOMPARE(b->events.size(), 5);
        QCOMPARE(b->clamped, 0);
        QCOMPARE(b->events[0].dim, QStringLiteral("/c/qt"));
        QCOMPARE(b->events[1].at, QDateTime(QDate(2026, 3, 29), QTime(11, 0), Qt::UTC));
        QCOMPARE(b->events[1].targetId, 42);
        QCOMPARE(b->events[1].communityId, 7);
        QCOMPARE(b->events[2].dim, QStringLiteral("rust async"));
        QCOMPARE(b->events[2].num, 0);
        QCOMPARE(b->events[2].at, kNow);   // no time: now
        QCOMPARE(b->events[3].num, 2);
        QCOMPARE(b->events[4].key, QStringLiteral("a5"));
    }

    void badBatches_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown type") << QByteArray(j("{'events':[{'type':'click','id':'1'}]}"))
                                      << "events[0].type=unknown_type";
        QTest::newRow("missing id") << QByteArray(j("{'events':[{'type':'session_start'}]}")) << "events[0].id=required";
        QTest::newRow("bad id") << QByteArray(j("{'events':[{'type':'session_start','id':'a b'}]}")) << "events[0].id=invalid";
        QTest::newRow("time without offset") << QByteArray(j("{'events':[{'type':'session_start','id':'1','at':'2026-03-29T10:00:00'}]}"))
                                             << "events[0].at=invalid";
        QTest::newRow("missing prop") << QByteArray(j("{'events':[{'type':'page_view','id':'1','props':{}}]}"))
                                      << "events[0].props.path=required";
        QTest::newRow("unknown prop") << QByteArray(j("{'events':[{'type':'page_view','id':'1','props':{'path':'/','x':1}}]}"))
                                      << "events[0].props.x=unknown_field";
        QTest::newRow("wrong prop type") << QByteArray(j("{'events':[{'type':'search','id':'1','props':{'query':'q','results':'many'}}]}"))
                                         << "events[0].props.results=type";
        QTest::newRow("negative results") << QByteArray(j("{'events':[{'type':'search','id':'1','props':{'query':'q','results':-1}}]}"))
                                          << "events[0].props.results=out_of_range";
        QTest::newRow("second event bad") << QByteArray(j("{'events':[{'type':'session_start','id':'1'},{'type':'post_view','id':'2','props':{'postId':'x'}}]}"))
                                          << "events[1].props.postId=invalid";
        QTest::newRow("same id twice") << QByteArray(j("{'events':[{'type':'session_start','id':'1'},{'type':'session_start','id':'1'}]}"))
                                       << "events[1].id=duplicate";
        QTest::newRow("not an object") << QByteArray(j("{'events':[3]}")) << "events[0]=type";
        QTest::newRow("empty") << QByteArray(j("{'events':[]}")) << "events=required";
        QTest::newRow("unknown envelope field") << QByteArray(j("{'events':[{'type':'session_start','id':'1'}],'x':1}"))
                                                << "x=unknown_field";
    }
    void badBatches()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        auto b = parse(body);
        QVERIFY(!b);
        QCOMPARE(b.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(fieldCodes(b.error()).contains(expected), qPrintable(fieldCodes(b.error()).join(u' ')));
    }

    void oversizedBatch()
    {
        AnalyticsConfig cfg;
        cfg.maxBatchEvents = 3;
        QJsonArray events;
        for (int i = 0; i < 4; ++i)
            events.append(QJsonObject{{"type", "session_start"}, {"id", QString::number(i)}});
        auto b = parse(QJsonDocument(QJsonObject{{"events", events}}).toJson(), cfg);
        QVERIFY(!b);
        QCOMPARE(b.error().code, ErrorCode::PayloadTooLarge);
        QCOMPARE(b.error().type, QStringLiteral("batch-too-large"));
    }

    void plainBatchReader_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("plain");     // whether the plain reader takes it
        QTest::addColumn<bool>("general");   // whether BodyReader + parseBatch() take it
        const QList<QByteArray> seeds = plainSeeds();
        for (qsizetype i = 0; i < seeds.size(); ++i)
            QTest::addRow("seed %d", int(i)) << seeds.at(i) << true << true;
        const auto row = [](const char *name, const char *body, bool plain, bool general = false) {
            QTest::newRow(name) << j(body) << plain << general;
        };
        row("escape in a string", "{'events':[{'type':'page_view','id':'1','props':{'path':'/\\u0063'}}]}", false, true);
        row("non-ASCII text", "{'events':[{'type':'search','id':'1','props':{'query':'\xea\xb2\x80\xec\x83\x89','results':1}}]}", false, true);
        row("null prop", "{'events':[{'type':'session_start','id':'1','props':{'platform':null}}]}", false, true);
        row("fraction", "{'events':[{'type':'post_view','id':'1','props':{'postId':7.0}}]}", false, true);
        row("exponent", "{'events':[{'type':'search','id':'1','props':{'query':'q','results':1e2}}]}", false, true);
        row("16 digits", "{'events':[{'type':'post_view','id':'1','props':{'postId':1234567890123456}}]}", false, true);
        row("unknown type", "{'events':[{'type':'click','id':'1'}]}", false);
        row("unknown prop", "{'events':[{'type':'page_view','id':'1','props':{'path':'/','x':1}}]}", false);
        row("missing prop", "{'events':[{'type':'page_view','id':'1'}]}", false);
        row("blank path", "{'events':[{'type':'page_view','id':'1','props':{'path':'  '}}]}", false);
        row("blank optional text", "{'events':[{'type':'session_start','id':'1','props':{'platform':''}}]}", false);
        row("id twice", "{'events':[{'type':'session_start','id':'1'},{'type':'session_start','id':'1'}]}", false);
        row("key twice", "{'events':[{'type':'session_start','id':'1','id':'2'}]}", false);
        row("prop twice", "{'events':[{'type':'page_view','id':'1','props':{'path':'/','path':'/x'}}]}", false);
        row("bad id", "{'events':[{'type':'session_start','id':'a b'}]}", false);
        row("time without offset", "{'events':[{'type':'session_start','id':'1','at':'2026-03-29T10:00:00'}]}", false);
        row("results as text", "{'events':[{'type':'search','id':'1','props':{'query':'q','results':'3'}}]}", false);
        row("zero post id", "{'events':[{'type':'post_view','id':'1','props':{'postId':0}}]}", false);
        row("envelope field", "{'events':[{'type':'session_start','id':'1'}],'x':1}", false);
        row("empty", "{'events':[]}", false);
        row("trailing garbage", "{'events':[{'type':'session_start','id':'1'}]}x", false);
        row("truncated", "{'events':[{'type':'session_start','id':'1'}]", false);
    }
    void plainBatchReader()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, plain);
        QFETCH(bool, general);
        bool accepted = false;
        QVERIFY(plainAgrees(body, AnalyticsConfig{}, &accepted));
        QCOMPARE(accepted, plain);
        QCOMPARE(bool(parse(body)), general);
    }

    /// Random byte edits of the seeds (fixed seed): whatever the plain reader still accepts,
    /// the general reader accepts with the same events, with sampling and clamping on.
    void plainBatchReaderMutations()
    {
        AnalyticsConfig cfg;
        cfg.sampling.insert(QStringLiteral("page_view"), 0.5);
        cfg.maxPastSkewSeconds = 600;
        cfg.maxBatchEvents = 6;
        QRandomGenerator rng(14);
        const QByteArray alphabet = j("{}[]:,' 0123456789-.eE\\abc/xyz_typeidatprops");
        int accepted = 0;
        for (int round = 0; round < 30000; ++round) {
            QByteArray body = plainSeeds().at(round % 3);
            for (int edits = 1 + int(rng.bounded(3)); edits > 0; --edits) {
                const qsizetype at = rng.bounded(int(body.size()));
                const char c = alphabet.at(rng.bounded(int(alphabet.size())));
                switch (rng.bounded(3)) {
                case 0: body[at] = c; break;
                case 1: body.insert(at, c); break;
                default: body.remove(at, 1); break;
                }
            }
            bool ok = false;
            QVERIFY(plainAgrees(body, cfg, &ok));
            accepted += ok ? 1 : 0;
        }
        // The edits must leave enough plain batches for the comparison to mean something.
        QVERIFY2(accepted > 1000, qPrintable(QString::number(accepted)));
    }

    void clamping()
    {
        AnalyticsConfig cfg;
        cfg.maxPastSkewSeconds = 3600;
        cfg.maxFutureSkewSeconds = 60;
        bool clamped = false;
        QCOMPARE(clampTime(kNow.addSecs(30), kNow, cfg, &clamped), kNow.addSecs(30));
        QVERIFY(!clamped);
        QCOMPARE(clampTime(kNow.addSecs(61), kNow, cfg, &clamped), kNow);
        QVERIFY(clamped);
        QCOMPARE(clampTime(kNow.addDays(-3), kNow, cfg, &clamped), kNow.addSecs(-3600));
        QVERIFY(clamped);
        QCOMPARE(clampTime(kNow.addSecs(-3600), kNow, cfg, &clamped), kNow.addSecs(-3600));
        QVERIFY(!clamped);
        auto b = parse(j("{'events':[{'type':'session_start','id':'1','at':'2030-01-01T00:00:00Z'},"
        "{'type':'session_start','id':'2','at':'2001-01-01T00:00:00Z'}]}"), cfg);
        QVERIFY(b);
        QCOMPARE(b->clamped, 2);
        QCOMPARE(b->events[0].at, kNow);
        QCOMPARE(b->events[1].at, kNow.addSecs(-3600));
    }

    void sampling()
    {
        AnalyticsConfig cfg;
        cfg.sampling.insert(QStringLiteral("page_view"), 0.25);
        QJsonArray events;
        for (int i = 0; i < 2000; ++i)
            events.append(QJsonObject{{"type", "page_view"}, {"id", QStringLiteral("p%1").arg(i)}, {"props", QJsonObject{{"path", "/"}}}});
        events.append(QJsonObject{{"type", "session_start"}, {"id", "s"}});
        cfg.maxBatchEvents = 5000;
        const QByteArray body = QJsonDocument(QJsonObject{{"events", events}}).toJson();
        auto a = parse(body, cfg);
        auto b = parse(body, cfg);
        QVERIFY(a && b);
        // About a quarter kept, the same ones every time, each weighing 4; other types untouched.
        const qsizetype kept = a->events.size() - 1;
        QVERIFY2(kept > 400 && kept < 600, qPrintable(QString::number(kept)));
        QCOMPARE(a->sampledOut, 2000 - int(kept));
        QCOMPARE(b->events.size(), a->events.size());
        for (qsizetype i = 0; i < a->events.size(); ++i)
            QCOMPARE(b->events[i].key, a->events[i].key);
        QCOMPARE(a->events.first().weight, 4.0);
        QCOMPARE(a->events.last().type, QStringLiteral("session_start"));
        QCOMPARE(a->events.last().weight, 1.0);
    }

    void metrics()
    {
        RawEvent view{kNow, QStringLiteral("post_view")};
        view.targetId = 42;
        view.communityId = 7;
        view.userId = 5;
        RawEvent zero{kNow.addSecs(1800), QStringLiteral("search")};
        zero.dim = QStringLiteral("rust");
        zero.num = 0;
        zero.weight = 2;
        RollupDelta d;
        d.add(view);
        d.add(view);
        d.add(zero);
        const qint64 hour = kNow.toSecsSinceEpoch();
        const qint64 day = QDateTime(kNow.date(), QTime(0, 0), Qt::UTC).toSecsSinceEpoch();
        QCOMPARE(d.hourly().value({hour, "post_view", ""}), 2.0);
        QCOMPARE(d.hourly().value({hour, "post_view:post", "42"}), 2.0);
        QCOMPARE(d.hourly().value({hour, "post_view:community", "7"}), 2.0);
        QCOMPARE(d.hourly().value({hour, "search_zero", ""}), 2.0);
        QCOMPARE(d.hourly().value({hour, "search_zero:query", "rust"}), 2.0);
        QCOMPARE(d.daily().value({day, "search", ""}), 2.0);
        QCOMPARE(d.activeHours().size(), 1);
        QVERIFY(d.activeHours().contains({hour, 5}));
        RawEvent anonymous{kNow, QStringLiteral("post_view")};
        QCOMPARE(metricsOf(anonymous).size(), 1);   // no post: only the type
    }

    void rateLimiter()
    {
        EventRateLimiter limiter(10, 100);
        QCOMPARE(limiter.take("u1", 100, 0), 0);
        QCOMPARE(limiter.take("u1", 1, 0), 1);         // empty: wait a tenth of a second, rounded up
        QCOMPARE(limiter.take("u2", 50, 0), 0);        // buckets are per sender
        QCOMPARE(limiter.take("u1", 20, 1000), 1);     // 10 refilled, 20 asked
        QCOMPARE(limiter.take("u1", 10, 1000), 0);
        QVERIFY(limiter.take("u3", 500, 0) >= 40);     // more than a burst: never passes at once
    }

    void reportQuery_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");   // "from..to tz csv" or the first field error
        QTest::newRow("defaults") << "" << "2026-02-28..2026-03-29 UTC json";
        QTest::newRow("range in a zone") << "from=2026-03-01&to=2026-03-31&tz=Europe/Berlin&format=csv"
                                         << "2026-03-01..2026-03-31 Europe/Berlin csv";
        QTest::newRow("today in the zone") << "tz=Pacific/Kiritimati" << "2026-03-01..2026-03-30 Pacific/Kiritimati json";
        QTest::newRow("bad date") << "from=2026-02-30" << "from=invalid";
        QTest::newRow("loose date") << "from=2026-3-1" << "from=invalid";
        QTest::newRow("bad zone") << "tz=Mars/Olympus" << "tz=invalid";
        QTest::newRow("bad format") << "format=xml" << "format=invalid";
        QTest::newRow("reversed") << "from=2026-03-10&to=2026-03-01" << "from=out_of_range";
        QTest::newRow("too long") << "from=2020-01-01&to=2026-03-01" << "to=out_of_range";
        QTest::newRow("unknown parameter") << "days=7" << "days=unknown_parameter";
        QTest::newRow("bad limit") << "limit=0" << "limit=out_of_range";
    }
    void reportQuery()
    {
        QFETCH(QString, query);
        QFETCH(QString, expected);
        Http::HttpRequest req;
        req.query = QUrlQuery(query);
        auto q = readReportQuery(req, QStringLiteral("active-users"), AnalyticsConfig{}, kNow);
        const QString got = q ? QStringLiteral("%1..%2 %3 %4").arg(q->request.range.from.toString(Qt::ISODate),
                                                                   q->request.range.to.toString(Qt::ISODate),
                                                                   q->request.range.tz, q->csv ? "csv" : "json")
                              : fieldCodes(q.error()).value(0);
        QCOMPARE(got, expected);
    }

    void unknownReport()
    {
        Http::HttpRequest req;
        auto q = readReportQuery(req, QStringLiteral("nope"), AnalyticsConfig{}, kNow);
        QVERIFY(!q);
        QCOMPARE(q.error().code, ErrorCode::NotFound);
    }

    void csv()
    {
        ReportTable t{{"query", "searches"}, {{"=HYPERLINK(\"x\")", "3"}, {"a,b", "-2"}, {"-x", "1"}, {"plain", "1.5"}}};
        QCOMPARE(QString::fromUtf8(ReportService::csv(t)),
                 QStringLiteral("query,searches\r\n\"'=HYPERLINK(\"\"x\"\")\",3\r\n\"a,b\",-2\r\n'-x,1\r\nplain,1.5\r\n"));
    }
};

QTEST_GUILESS_MAIN(TstAnalyticsSchema)
#include "tst_analyticsschema.moc"
