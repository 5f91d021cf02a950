// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// From bus events to notification drafts (src/projector.h): who is told, the collapse
// group, the idempotency key; vote milestones; malformed payloads notify nobody.

#include "projector.h"

#include "community/contracts/events/admin.h"
#include "community/contracts/events/chat.h"
#include "community/contracts/events/content.h"
#include "community/contracts/events/users.h"

#include <QtTest>

Q_DECLARE_METATYPE(Community::Events::Event)

using namespace Notifications;
using Community::Events::Event;
namespace ContentEv = Community::Contracts::Events::Content;
namespace ChatEv = Community::Contracts::Events::Chat;

namespace {

Event makeEvent(qint64 id, const QString &type, const QJsonObject &payload)
{
    Event e;
    e.id = id;
    e.type = type;
    e.payload = payload;
    return e;
}

Event comment(qint64 commentId, qint64 author, qint64 postAuthor, std::optional<qint64> parent, std::optional<qint64> parentAuthor)
{
    ContentEv::CommentChanged c;
    c.commentId = commentId;
    c.postId = 7;
    c.authorId = author;
    c.authorName = QStringLiteral("u%1").arg(author);
    c.postAuthorId = postAuthor;
    c.parentId = parent;
    c.parentAuthorId = parentAuthor;
    return makeEvent(100 + commentId, ContentEv::Type::CommentCreated, c.toJson());
}

Event vote(int value, int previous, int score)
{
    ContentEv::VoteChanged v;
    v.targetType = QStringLiteral("post");
    v.targetId = 7;
    v.postId = 7;
    v.authorId = 3;
    v.userId = 4;
    v.value = value;
    v.previous = previous;
    v.score = score;
    return makeEvent(50, v.typeName(), v.toJson());
}

QString describe(const QList<Draft> &drafts)
{
    QStringList out;
    for (const Draft &d : drafts)
        out << QStringLiteral("%1 %2 %3 %4 a%5").arg(d.recipientId).arg(d.kind, d.groupKey, d.sourceKey).arg(d.actorId);
    return out.join(QStringLiteral(" | "));
}

} // namespace

class TstProjector : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void drafts_data()
    {
        QTest::addColumn<Event>("event");
        QTest::addColumn<QString>("expected");
        QTest::newRow("top-level comment tells the post author")
            << comment(1, 2, 3, std::nullopt, std::nullopt) << "3 reply post:7 comment:1 a2";
        QTest::newRow("reply tells the parent author and the post author")
            << comment(2, 4, 3, 1, 2) << "2 reply comment:1 comment:2 a4 | 3 reply post:7 comment:2 a4";
        QTest::newRow("post author who is the parent author is told once")
            << comment(3, 4, 3, 1, 3) << "3 reply comment:1 comment:3 a4";
        QTest::newRow("reply to a comment whose author is gone tells the post author")
            << comment(4, 4, 3, 1, std::nullopt) << "3 reply post:7 comment:4 a4";
        QTest::newRow("upvote to 1 reaches milestone 1") << vote(1, 0, 1) << "3 vote_milestone votes:post:7:1 votes:post:7:1 a0";
        QTest::newRow("9 to 10 reaches milestone 10") << vote(1, 0, 10) << "3 vote_milestone votes:post:7:10 votes:post:7:10 a0";
        QTest::newRow("down to 1 from -1 reaches 1") << vote(1, -1, 1) << "3 vote_milestone votes:post:7:1 votes:post:7:1 a0";
        QTest::newRow("5 to 6 is no milestone") << vote(1, 0, 6) << "";
        QTest::newRow("a downvote is never a milestone") << vote(-1, 0, 9) << "";
        QTest::newRow("clearing a vote is no milestone") << vote(0, 1, 0) << "";

        using Community::Contracts::Events::Users::RelationChanged;
        const RelationChanged follow{5, 3, QStringLiteral("follow"), true};
        QTest::newRow("follow collapses into followers, keyed by event")
            << makeEvent(61, follow.typeName(), follow.toJson()) << "3 follow followers follow:61 a5";
        const RelationChanged unfollow{5, 3, QStringLiteral("follow"), false}, block{5, 3, QStringLiteral("block"), true};
        QTest::newRow("unfollow notifies nobody") << makeEvent(68, unfollow.typeName(), unfollow.toJson()) << "";
        QTest::newRow("a block notifies nobody") << makeEvent(69, block.typeName(), block.toJson()) << "";

        ContentEv::UserMentioned m;
        m.userId = 9;
        m.targetType = QStringLiteral("comment");
        m.postId = 7;
        m.commentId = 12;
        m.authorId = 4;
        QTest::newRow("mention in a comment") << makeEvent(62, m.typeName(), m.toJson())
                                              << "9 mention mention:comment:12 mention:comment:12 a4";

        const Community::Contracts::Events::Chat::UserMentioned cm{9, 3, 44, 4, QStringLiteral("u4"), QStringLiteral("hi @u9")};
        QTest::newRow("mention in a chat message") << makeEvent(70, cm.typeName(), cm.toJson())
                                                   << "9 mention mention:chat-message:44 mention:chat-message:44 a4";
        QTest::newRow("malformed chat mention") << makeEvent(71, cm.typeName(), QJsonObject{}) << "";

        Community::Contracts::Events::Admin::ReportOutcome ro;
        ro.reportId = 8;
        ro.reporterId = 6;
        ro.targetType = QStringLiteral("post");
        ro.targetId = 7;
        ro.outcome = QStringLiteral("actioned");
        QTest::newRow("report outcome tells the reporter") << makeEvent(63, ro.typeName(), ro.toJson())
                                                           << "6 report_outcome report:8 report:8 a0";
        ro.decisionId = 30;
        ro.outcome = QStringLiteral("reversed");
        ro.correction = true;   // the decision was undone (ADR 0036): a notification of its own
        QTest::newRow("reversed outcome is a new notification") << makeEvent(73, ro.typeName(), ro.toJson())
                                                                << "6 report_outcome report:8 report:8:decision:30:reversed a0";
        ro.decisionId = 31;
        ro.outcome = QStringLiteral("dismissed");
        QTest::newRow("outcome after an undo is one too") << makeEvent(74, ro.typeName(), ro.toJson())
                                                          << "6 report_outcome report:8 report:8:decision:31:dismissed a0";
        ro.decisionId = 0;
        ro.outcome = QStringLiteral("actioned");
        ro.correction = false;
        ro.targetType = QStringLiteral("chat_message");   // chat's report 8 is another report
        QTest::newRow("chat report outcome keyed apart") << makeEvent(72, ro.typeName(), ro.toJson())
                                                         << "6 report_outcome report:chat_message:8 report:chat_message:8 a0";

        Community::Contracts::Events::Admin::PenaltyChanged p;
        p.penaltyId = 4;
        p.userId = 6;
        p.kind = QStringLiteral("warn");
        QTest::newRow("penalty applied") << makeEvent(64, p.typeName(), p.toJson())
                                         << "6 moderation penalty:4:applied penalty:4:applied a0";
        p.type = Community::Contracts::Events::Admin::Type::PenaltyLifted;
        QTest::newRow("penalty lifted") << makeEvent(65, p.typeName(), p.toJson())
                                        << "6 moderation penalty:4:lifted penalty:4:lifted a0";

        QTest::newRow("malformed comment payload") << makeEvent(66, ContentEv::Type::CommentCreated, QJsonObject{}) << "";
        QTest::newRow("unknown event type") << makeEvent(67, QStringLiteral("content.post.created"), QJsonObject{}) << "";
    }

    void drafts()
    {
        QFETCH(Event, event);
        QFETCH(QString, expected);
        QCOMPARE(describe(project(event)), expected);
    }

    void milestones()
    {
        QCOMPARE(milestonesCrossed(0, 1), (QList<qint64>{1}));
        QCOMPARE(milestonesCrossed(0, 100), (QList<qint64>{1, 10, 100}));
        QCOMPARE(milestonesCrossed(10, 11), QList<qint64>{});
        QCOMPARE(milestonesCrossed(99, 100), (QList<qint64>{100}));
        QCOMPARE(milestonesCrossed(5, -3), QList<qint64>{});
    }

    void everyProjectedTypeIsKnown()
    {
        QCOMPARE(projectedEventTypes().size(), 9);
        QCOMPARE(allKinds().size(), 8);
        // A plain chat message becomes drafts only with chat's audience (the service asks).
        ChatEv::MessageCreated m{5, 3, 2, QStringLiteral("hi"), QDateTime::currentDateTimeUtc()};
        const Event e = makeEvent(9, m.typeName(), m.toJson());
        QVERIFY(project(e).isEmpty());
        QVERIFY(chatMessageOf(e).has_value());
        QCOMPARE(chatMessageOf(e)->messageId, qint64(5));
        QVERIFY(!chatMessageOf(makeEvent(9, m.typeName(), {})).has_value());
    }

    // Who hears of a plain chat message (seq 10 in room 3, written by 2).
    void chatMessages_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("memberCount");
        QTest::addColumn<QList<qint64>>("mentioned");
        QTest::addColumn<qint64>("threadRoot");
        QTest::addColumn<bool>("deleted");
        QTest::addColumn<QString>("expected");
        const QList<qint64> none;
        QTest::newRow("dm: the other member") << "dm" << 2 << none << qint64(0) << false
                                              << "4 chat_message room:3 chat-message:5 a2 | 6 chat_message room:3 chat-message:5 a2";
        QTest::newRow("small group") << "group" << 4 << none << qint64(0) << false
                                     << "4 chat_message room:3 chat-message:5 a2 | 6 chat_message room:3 chat-message:5 a2";
        QTest::newRow("group above the limit") << "group" << 5 << none << qint64(0) << false << "";
        QTest::newRow("channel") << "channel" << 2 << none << qint64(0) << false << "";
        QTest::newRow("mentioned: the mention tells") << "dm" << 2 << QList<qint64>{4} << qint64(0) << false
                                                      << "6 chat_message room:3 chat-message:5 a2";
        QTest::newRow("thread reply") << "group" << 3 << none << qint64(1) << false << "";
        QTest::newRow("deleted") << "dm" << 2 << none << qint64(0) << true << "";
    }

    void chatMessages()
    {
        QFETCH(QString, kind);
        QFETCH(int, memberCount);
        QFETCH(QList<qint64>, mentioned);
        QFETCH(qint64, threadRoot);
        QFETCH(bool, deleted);
        QFETCH(QString, expected);
        Community::Contracts::ChatMessageAudience a;
        a.messageId = 5;
        a.roomId = 3;
        a.roomKind = kind;
        a.memberCount = memberCount;
        a.seq = 10;
        a.senderId = 2;
        a.threadRootId = threadRoot;
        a.deleted = deleted;
        a.mentioned = mentioned;
        a.members = {
            {4, 0, false},   // offline, behind: told
            {5, 10, false},  // has read it already
            {6, 8, true},    // online but reading elsewhere (behind by more than this message): told
            {7, 9, true},    // online and caught up: reading the room now
            {2, 0, false},   // the sender (never in chat's list; ignored if it were)
        };
        const QList<Draft> drafts = chatMessageDrafts(a, QStringLiteral("hello there"), 4);
        QCOMPARE(describe(drafts), expected);
        for (const Draft &d : drafts) {
            QCOMPARE(d.roomId, std::optional<qint64>(3));
            QCOMPARE(d.subject.value("excerpt").toString(), QStringLiteral("hello there"));
            QCOMPARE(d.subject.value("targetType").toString(), QStringLiteral("chat-room"));
        }
    }

    void announcements()
    {
        const Announcement a{12, QStringLiteral("Maintenance"), QString(400, QLatin1Char('x')), QStringLiteral("https://status.test"), {}};
        const Draft d = announcementDraft(a, 42);
        QCOMPARE(describe({d}), QStringLiteral("42 announcement announcement:12 announcement:12 a0"));
        QCOMPARE(d.subject.value("excerpt").toString().size(), 280);
        QCOMPARE(d.subject.value("url").toString(), QStringLiteral("https://status.test"));
    }
};

QTEST_APPLESS_MAIN(TstProjector)
#include "tst_projector.moc"
