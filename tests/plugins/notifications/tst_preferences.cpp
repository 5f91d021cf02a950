// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Preferences (src/preferences.h): defaults, PATCH validation with field errors (table),
// applying a patch, the JSON form, quiet hours in the user's zone (across midnight, DST).

#include "preferences.h"
#include "projector.h"

#include <QJsonDocument>
#include <QtTest>

using namespace Notifications;

namespace {

Community::Result<PreferencesPatch> readPatch(const QByteArray &json)
{
    auto body = Community::Http::BodyReader::parse(json);
    if (!body)
        return tl::unexpected(body.error());
    return readPreferencesPatch(*body);
}

QString errorFields(const Community::Error &e)
{
    QStringList out;
    for (const Community::FieldError &f : e.fields)
        out << f.field + QLatin1Char('=') + f.code;
    out.sort();
    return out.join(QLatin1Char(' '));
}

QDateTime utc(const QString &iso)
{
    return QDateTime::fromString(iso, Qt::ISODate).toUTC();
}

} // namespace

class TstPreferences : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        const Preferences p;
        for (const QString &kind : allKinds()) {
            QVERIFY(p.enabled(kind, Channel::Inbox));
            QVERIFY(!p.enabled(kind, Channel::Sms));
        }
        QVERIFY(p.enabled(Kind::Reply, Channel::Email));
        QVERIFY(!p.enabled(Kind::Follow, Channel::Email));
        QVERIFY(p.enabled(Kind::Mention, Channel::Push));
        QVERIFY(!p.enabled(Kind::VoteMilestone, Channel::Push));
        QVERIFY(p.enabled(Kind::ChatMessage, Channel::Push));
        QVERIFY(!p.enabled(Kind::ChatMessage, Channel::Email));
        QVERIFY(!p.enabled(Kind::Announcement, Channel::Email));
        QVERIFY(!p.enabled(Kind::Announcement, Channel::Push));
        QCOMPARE(p.emailFrequency, QStringLiteral("instant"));
    }

    void invalidPatches_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("errors");
        QTest::newRow("unknown kind") << QByteArray(R"({"channels":{"likes":{"email":true}}})") << "channels.likes=unknown_field";
        QTest::newRow("unknown channel") << QByteArray(R"({"channels":{"reply":{"fax":true}}})") << "channels.reply.fax=unknown_field";
        QTest::newRow("not a bool") << QByteArray(R"({"channels":{"reply":{"email":"yes"}}})") << "channels.reply.email=type";
        QTest::newRow("kind not an object") << QByteArray(R"({"channels":{"reply":true}})") << "channels.reply=type";
        QTest::newRow("time zone") << QByteArray(R"({"timeZone":"Mars/Olympus"})") << "timeZone=invalid_time_zone";
        QTest::newRow("clock format") << QByteArray(R"({"quietHours":{"start":"24:00","end":"7:00"}})")
                                      << "quietHours.end=invalid_format quietHours.start=invalid_format";
        QTest::newRow("empty window") << QByteArray(R"({"quietHours":{"start":"22:00","end":"22:00"}})") << "quietHours.end=out_of_range";
        QTest::newRow("quiet extra field") << QByteArray(R"({"quietHours":{"start":"22:00","end":"07:00","tz":"x"}})")
                                           << "quietHours.tz=unknown_field";
        QTest::newRow("quiet not object") << QByteArray(R"({"quietHours":"22-7"})") << "quietHours=type";
        QTest::newRow("frequency") << QByteArray(R"({"emailFrequency":"hourly"})") << "emailFrequency=invalid_choice";
        QTest::newRow("unknown field") << QByteArray(R"({"sound":true})") << "sound=unknown_field";
        QTest::newRow("several at once") << QByteArray(R"({"timeZone":"Nowhere","emailFrequency":"x"})")
                                         << "emailFrequency=invalid_choice timeZone=invalid_time_zone";
    }

    void invalidPatches()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, errors);
        auto r = readPatch(body);
        QVERIFY(!r);
        QCOMPARE(errorFields(r.error()), errors);
    }

    void applyAndJson()
    {
        auto patch = readPatch(R"({"channels":{"follow":{"email":true,"inbox":false}},"timeZone":"Asia/Seoul",
                                   "quietHours":{"start":"22:30","end":"07:00"},"emailFrequency":"daily"})");
        QVERIFY(patch);
        Preferences p;
        applyPatch(p, *patch);
        QVERIFY(p.enabled(Kind::Follow, Channel::Email));
        QVERIFY(!p.enabled(Kind::Follow, Channel::Inbox));
        QVERIFY(p.enabled(Kind::Reply, Channel::Inbox));   // untouched kinds keep defaults
        const QJsonObject j = preferencesJson(p);
        QCOMPARE(j.value("timeZone").toString(), QStringLiteral("Asia/Seoul"));
        QCOMPARE(j.value("quietHours").toObject().value("start").toString(), QStringLiteral("22:30"));
        QCOMPARE(j.value("emailFrequency").toString(), QStringLiteral("daily"));
        QCOMPARE(j.value("channels").toObject().size(), allKinds().size());
        QCOMPARE(j.value("channels").toObject().value("follow").toObject().value("inbox").toBool(), false);

        auto clear = readPatch(R"({"quietHours":null})");
        QVERIFY(clear);
        applyPatch(p, *clear);
        QVERIFY(!p.quiet);
        QVERIFY(preferencesJson(p).value("quietHours").isNull());
    }

    void quietHours_data()
    {
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("start");
        QTest::addColumn<QString>("end");
        QTest::addColumn<QString>("now");
        QTest::addColumn<QString>("until");   // empty: not quiet
        // Seoul is UTC+9 all year.
        QTest::newRow("seoul 23:00 local, window over midnight") << "Asia/Seoul" << "22:00" << "07:00"
                                                                << "2026-03-10T14:00:00Z" << "2026-03-10T22:00:00Z";
        QTest::newRow("seoul 03:00 local, same window") << "Asia/Seoul" << "22:00" << "07:00"
                                                       << "2026-03-10T18:00:00Z" << "2026-03-10T22:00:00Z";
        QTest::newRow("seoul 12:00 local is not quiet") << "Asia/Seoul" << "22:00" << "07:00" << "2026-03-10T03:00:00Z" << "";
        QTest::newRow("end is exclusive") << "Asia/Seoul" << "22:00" << "07:00" << "2026-03-10T22:00:00Z" << "";
        QTest::newRow("daytime window") << "UTC" << "09:00" << "17:00" << "2026-03-10T12:00:00Z" << "2026-03-10T17:00:00Z";
        // New York switches to EDT on 2026-03-08 at 02:00: the night before ends at 07:00 EDT = 11:00Z.
        QTest::newRow("new york across the DST change") << "America/New_York" << "22:00" << "07:00"
                                                       << "2026-03-08T04:00:00Z" << "2026-03-08T11:00:00Z";
    }

    void quietHours()
    {
        QFETCH(QString, zone);
        QFETCH(QString, start);
        QFETCH(QString, end);
        QFETCH(QString, now);
        QFETCH(QString, until);
        Preferences p;
        p.timeZone = zone;
        p.quiet = QuietHours{*parseClock(start), *parseClock(end)};
        const auto got = quietUntil(p, utc(now));
        if (until.isEmpty())
            QVERIFY2(!got, qPrintable(got ? got->toString(Qt::ISODate) : QString()));
        else
            QCOMPARE(got.value_or(QDateTime()), utc(until));
    }

    void clocks()
    {
        QCOMPARE(parseClock(QStringLiteral("00:00")).value_or(-1), 0);
        QCOMPARE(parseClock(QStringLiteral("23:59")).value_or(-1), 1439);
        QVERIFY(!parseClock(QStringLiteral("7:00")));
        QVERIFY(!parseClock(QStringLiteral("12:60")));
        QCOMPARE(clockText(7 * 60 + 5), QStringLiteral("07:05"));
    }
};

QTEST_APPLESS_MAIN(TstPreferences)
#include "tst_preferences.moc"
