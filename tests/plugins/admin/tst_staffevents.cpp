// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Which events of auth and content become audit rows, and what those rows say.

#include "staffevents.h"

#include "community/contracts/events/auth.h"
#include "community/contracts/events/chaos.h"
#include "community/contracts/events/content.h"
#include "community/contracts/events/settings.h"

#include <QtTest>

using namespace Admin;
using Community::Events::Event;
namespace AuthEvents = Community::Contracts::Events::Auth;
namespace ContentEvents = Community::Contracts::Events::Content;
namespace SettingsEvents = Community::Contracts::Events::Settings;
namespace ChaosEvents = Community::Contracts::Events::Chaos;

namespace {

template<typename E>
Event eventOf(const E &e, qint64 id = 5)
{
    Event out;
    out.id = id;
    out.type = e.typeName();
    out.aggregate = e.aggregate();
    out.payload = e.toJson();
    out.createdAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
    out.requestId = QStringLiteral("rid-1");
    out.actorId = 3;
    out.actorKind = QStringLiteral("user");
    return out;
}

ContentEvents::PostChanged post(QLatin1StringView type, qint64 author, std::optional<qint64> actor)
{
    ContentEvents::PostChanged p;
    p.type = type;
    p.postId = 11;
    p.communityId = 2;
    p.authorId = author;
    p.state = QStringLiteral("removed");
    p.actorId = actor;
    return p;
}

} // namespace

class TstStaffEvents : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void suspensionCarriesReasonActorAndRequest()
    {
        const auto a = staffActionFromEvent(eventOf(AuthEvents::AccountSuspended{9, QStringLiteral("bob"), QStringLiteral("spam")}));
        QVERIFY(a);
        QCOMPARE(a->action, QStringLiteral("user.suspend"));
        QCOMPARE(a->targetType, QStringLiteral("user"));
        QCOMPARE(a->targetId, QStringLiteral("9"));
        QCOMPARE(a->reason, QStringLiteral("spam"));
        QCOMPARE(a->actorId, 3);
        QCOMPARE(a->actorKind, QStringLiteral("user"));
        QCOMPARE(a->requestId, QStringLiteral("rid-1"));
        QCOMPARE(a->source, QStringLiteral("event:5"));
        QCOMPARE(a->after, QStringLiteral("{\"state\":\"suspended\",\"username\":\"bob\"}"));
    }

    void roleChangeAndUnsuspend()
    {
        auto role = staffActionFromEvent(eventOf(AuthEvents::RoleChanged{9, QStringLiteral("bob"), QStringLiteral("moderator")}));
        QVERIFY(role);
        QCOMPARE(role->action, QStringLiteral("user.role_change"));
        QVERIFY(role->after.contains(QStringLiteral("\"role\":\"moderator\"")));
        auto lift = staffActionFromEvent(eventOf(AuthEvents::AccountUnsuspended{9, QStringLiteral("bob")}));
        QVERIFY(lift);
        QCOMPARE(lift->action, QStringLiteral("user.unsuspend"));
    }

    void eventOutsideARequestIsTheSystem()
    {
        Event e = eventOf(AuthEvents::AccountUnsuspended{9, QStringLiteral("bob")});
        e.actorId = 0;
        e.actorKind.clear();
        e.requestId.clear();
        const auto a = staffActionFromEvent(e);
        QVERIFY(a);
        QCOMPARE(a->actorKind, QStringLiteral("system"));
        QCOMPARE(a->actorId, 0);
    }

    void contentModeration_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<qint64>("author");
        QTest::addColumn<QString>("action");   // empty: not recorded
        QTest::newRow("removed") << QString(ContentEvents::Type::PostRemoved) << qint64(8) << QStringLiteral("post.remove");
        QTest::newRow("restored by staff") << QString(ContentEvents::Type::PostRestored) << qint64(8) << QStringLiteral("post.restore");
        QTest::newRow("restored by author") << QString(ContentEvents::Type::PostRestored) << qint64(3) << QString();
        QTest::newRow("pinned") << QString(ContentEvents::Type::PostPinned) << qint64(8) << QStringLiteral("post.pin");
        QTest::newRow("locked") << QString(ContentEvents::Type::PostLocked) << qint64(8) << QStringLiteral("post.lock");
        QTest::newRow("unlocked") << QString(ContentEvents::Type::PostUnlocked) << qint64(8) << QStringLiteral("post.unlock");
        QTest::newRow("created") << QString(ContentEvents::Type::PostCreated) << qint64(8) << QString();
    }

    void contentModeration()
    {
        QFETCH(QString, type);
        QFETCH(qint64, author);
        QFETCH(QString, action);
        const QByteArray latin = type.toLatin1();
        const auto a = staffActionFromEvent(eventOf(post(QLatin1StringView(latin), author, 3)));
        QCOMPARE(a.has_value(), !action.isEmpty());
        if (a) {
            QCOMPARE(a->action, action);
            QCOMPARE(a->targetId, QStringLiteral("11"));
            QVERIFY(a->after.contains(QStringLiteral("\"state\":\"removed\"")));
        }
    }

    void commentRemovalKeepsTheReason()
    {
        ContentEvents::CommentChanged c;
        c.type = ContentEvents::Type::CommentRemoved;
        c.commentId = 21;
        c.postId = 11;
        c.authorId = 8;
        c.state = QStringLiteral("removed");
        c.actorId = 3;
        c.reason = QStringLiteral("off-topic");
        const auto a = staffActionFromEvent(eventOf(c));
        QVERIFY(a);
        QCOMPARE(a->action, QStringLiteral("comment.remove"));
        QCOMPARE(a->reason, QStringLiteral("off-topic"));
    }

    void reportResolution()
    {
        ContentEvents::ReportChanged r;
        r.type = ContentEvents::Type::ReportResolved;
        r.reportId = 4;
        r.targetType = QStringLiteral("post");
        r.targetId = 11;
        r.reporterId = 7;
        r.resolution = QStringLiteral("dismissed");
        r.note = QStringLiteral("fine");
        r.moderatorId = 3;
        const auto a = staffActionFromEvent(eventOf(r));
        QVERIFY(a);
        QCOMPARE(a->action, QStringLiteral("report.resolve"));
        QCOMPARE(a->targetType, QStringLiteral("report"));
        QCOMPARE(a->reason, QStringLiteral("fine"));
        QVERIFY(a->after.contains(QStringLiteral("\"resolution\":\"dismissed\"")));
    }

    void chaosFaults()
    {
        ChaosEvents::FaultChanged f;
        f.type = ChaosEvents::Type::FaultCleared;
        f.faultId = QStringLiteral("f-abc");
        f.kind = QStringLiteral("db.drop");
        f.node = QStringLiteral("n1");
        f.reason = QStringLiteral("lease-lapsed");
        Event e = eventOf(f);
        e.actorKind.clear();  // the sweep, not a request
        const auto a = staffActionFromEvent(e);
        QVERIFY(a);
        QCOMPARE(a->action, QStringLiteral("fault.clear"));
        QCOMPARE(a->targetType, QStringLiteral("fault"));
        QCOMPARE(a->targetId, QStringLiteral("f-abc"));
        QCOMPARE(a->reason, QStringLiteral("lease-lapsed"));
        QCOMPARE(a->actorKind, QStringLiteral("system"));

        ChaosEvents::FaultsStopped s;
        s.node = QStringLiteral("n1");
        s.count = 3;
        const auto stop = staffActionFromEvent(eventOf(s));
        QVERIFY(stop);
        QCOMPARE(stop->action, QStringLiteral("fault.stop_all"));
        QCOMPARE(stop->targetId, QStringLiteral("n1"));
        QVERIFY(stop->after.contains(QStringLiteral("\"cleared\":3")));
    }

    void settingsChanges()
    {
        SettingsEvents::Changed c;
        c.key = QStringLiteral("plugins.admin.claimMinutes");
        c.before = 10;
        c.after = 5;
        c.live = true;
        c.reason = QStringLiteral("busy weekend");
        const auto a = staffActionFromEvent(eventOf(c));
        QVERIFY(a);
        QCOMPARE(a->action, QStringLiteral("setting.change"));
        QCOMPARE(a->targetType, QStringLiteral("setting"));
        QCOMPARE(a->targetId, QStringLiteral("plugins.admin.claimMinutes"));
        QCOMPARE(a->reason, QStringLiteral("busy weekend"));
        QCOMPARE(a->before, QStringLiteral("{\"value\":10}"));
        QCOMPARE(a->after, QStringLiteral("{\"live\":true,\"value\":5}"));

        c.removed = true;
        c.after = QJsonValue();
        const auto reset = staffActionFromEvent(eventOf(c));
        QVERIFY(reset);
        QCOMPARE(reset->action, QStringLiteral("setting.reset"));
        QVERIFY(reset->after.contains(QStringLiteral("\"value\":null")));
    }

    void malformedPayloadIsSkipped()
    {
        Event e;
        e.type = QString::fromLatin1(AuthEvents::AccountSuspended::type);
        e.payload = QJsonObject{{QStringLiteral("userId"), QStringLiteral("x")}};
        QVERIFY(!staffActionFromEvent(e));
    }

    void subscribedTypesAreExactlyTheMappedOnes()
    {
        const QStringList types = staffEventTypes();
        QCOMPARE(types.size(), 16);
        QVERIFY(types.contains(QStringLiteral("content.report.resolved")));
        QVERIFY(types.contains(QStringLiteral("chaos.fault.injected")));
        QVERIFY(!types.contains(QStringLiteral("content.post.created")));
    }
};

QTEST_GUILESS_MAIN(TstStaffEvents)
#include "tst_staffevents.moc"
