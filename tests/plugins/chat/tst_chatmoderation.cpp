// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Pins, reports (and their chat.message.reported event), the operators' routes (rooms,
// messages with deleted text, purge with dry run) and the retention sweep, over real HTTP.

#include "chathttp.h"

#include <QDeadlineTimer>
#include <QThread>

using namespace Chat::Test;

class TstChatModeration : public QObject {
    Q_OBJECT

    ChatHttp m_http;
    Member m_a, m_b, m_c;
    QString m_room;

    qint64 scalar(const std::string &sql)
    {
        pqxx::connection c(m_http.daemon.database()->conninfo());
        pqxx::nontransaction tx(c);
        return tx.exec(sql)[0][0].as<qint64>();
    }
    HttpResult op(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        return m_http.daemon.operatorRequest(method, path, body.isEmpty() ? QByteArray() : ChatHttp::json(body));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_http.extraSets << QStringLiteral("plugins.chat.retentionDaysChannel=30")
                         << QStringLiteral("plugins.chat.sweepIntervalMs=300");
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_a = m_http.member(QStringLiteral("mia"));
        m_b = m_http.member(QStringLiteral("max"));
        m_c = m_http.member(QStringLiteral("mel"));
        m_room = m_http.group(m_a, QStringLiteral("Mod"), {m_b});
        QVERIFY(!m_room.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void pins()
    {
        const QString id = m_http.send(m_b, m_room, QStringLiteral("p1"), QStringLiteral("pin me")).json().value("id").toString();
        const QString path = QStringLiteral("/v1/chat/rooms/%1/pins/%2").arg(m_room, id);
        QVERIFY(isProblem(m_http.call("PUT", path, m_b.account.token), 403, "not-allowed"));
        QCOMPARE(m_http.call("PUT", path, m_a.account.token).status, 201);
        QCOMPARE(m_http.call("PUT", path, m_a.account.token).status, 204);
        auto list = m_http.call("GET", QStringLiteral("/v1/chat/rooms/%1/pins").arg(m_room), m_b.account.token).json();
        QCOMPARE(list.value("items").toArray().size(), 1);
        QCOMPARE(list.value("items").toArray()[0].toObject().value("id").toString(), id);
        QVERIFY(isProblem(m_http.call("GET", QStringLiteral("/v1/chat/rooms/%1/pins").arg(m_room), m_c.account.token), 403,
                          "not-a-member"));
        QCOMPARE(m_http.call("DELETE", path, m_a.account.token).status, 204);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/chat/rooms/%1/pins").arg(m_room), m_b.account.token)
                     .json().value("items").toArray().size(), 0);
    }

    void reports()
    {
        const QString id = m_http.send(m_b, m_room, QStringLiteral("r1"), QStringLiteral("rude words")).json().value("id").toString();
        const QString path = QStringLiteral("/v1/chat/rooms/%1/messages/%2/reports").arg(m_room, id);
        auto r = m_http.post(m_a, path, {{"reason", "rude"}});
        QCOMPARE(r.status, 201);
        QVERIFY(isProblem(m_http.post(m_a, path, {{"reason", "again"}}), 409, "already-reported"));
        QVERIFY(isProblem(m_http.post(m_b, path, {{"reason", "me"}}), 400, "validation"));
        QVERIFY(isProblem(m_http.post(m_c, path, {{"reason", "x"}}), 403, "not-a-member"));
        QVERIFY(isProblem(m_http.post(m_a, path, {}), 400, "validation"));
        QCOMPARE(scalar("SELECT count(*) FROM chat.reports"), 1);
        // The event the moderation queue consumes, in the outbox with the report.
        auto events = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/system/events?limit=1000"));
        QVERIFY2(events.body.contains("chat.message.reported"), events.body.constData());
        QVERIFY(events.body.contains(r.json().value("id").toString().toUtf8()));
    }

    /// A member's report opens a "chat_message" item in the admin plugin's review queue
    /// (chat.message.reported); a moderator's "remove" soft-deletes the message through
    /// chat's IChatModeration contract and closes the report on both sides.
    void reportReachesAdminQueue()
    {
        Member mod = m_http.member(QStringLiteral("mona"));
        QVERIFY(m_http.setRole(mod.account, QStringLiteral("moderator")));
        const QString id = m_http.send(m_b, m_room, QStringLiteral("q1"), QStringLiteral("buy pills")).json().value("id").toString();
        const QString path = QStringLiteral("/v1/chat/rooms/%1/messages/%2/reports").arg(m_room, id);
        const QString reportId = m_http.post(m_a, path, {{"reason", "spam"}}).json().value("id").toString();
        QVERIFY(!reportId.isEmpty());
        QJsonObject item;
        QDeadlineTimer deadline(15'000);
        while (item.isEmpty() && !deadline.hasExpired()) {
            const auto queue = m_http.call("GET", QStringLiteral("/v1/admin/queue?targetType=chat_message"), mod.account.token);
            QCOMPARE(queue.status, 200);
            for (const QJsonValue &v : queue.json().value("items").toArray())
                if (v.toObject().value("target").toObject().value("id").toString() == id)
                    item = v.toObject();
            if (item.isEmpty())
                QThread::msleep(100);
        }
        QVERIFY2(!item.isEmpty(), "the report never reached /v1/admin/queue");
        QCOMPARE(item.value("target").toObject().value("type").toString(), QStringLiteral("chat_message"));
        QCOMPARE(item.value("openReports").toInt(), 1);
        QCOMPARE(item.value("reasons").toArray().first().toString(), QStringLiteral("spam"));
        const QString decide = QStringLiteral("/v1/admin/queue/%1/decision").arg(item.value("id").toString());
        // A member is no moderator.
        QCOMPARE(m_http.post(m_a, decide, {{"actions", QJsonArray{QJsonObject{{"type", "remove"}}}}, {"reason", "x"}}).status, 403);
        auto decided = m_http.post(mod, decide, {{"actions", QJsonArray{QJsonObject{{"type", "remove"}}}}, {"reason", "spam"}});
        QVERIFY2(decided.status == 200, decided.body.constData());
        QCOMPARE(decided.json().value("reportersNotified").toInt(), 1);
        const QJsonObject detail = decided.json().value("item").toObject();
        QCOMPARE(detail.value("status").toString(), QStringLiteral("resolved"));
        QCOMPARE(detail.value("reports").toArray().first().toObject().value("outcome").toString(), QStringLiteral("actioned"));
        // The message is soft-deleted for the room, its report resolved by the moderator.
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM chat.messages WHERE id = %1 AND deleted_at IS NOT NULL")
                            .arg(id).toStdString()), 1);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM chat.reports WHERE id = %1 AND resolution = 'resolved'"
                                       " AND resolved_by = %2").arg(reportId, mod.id).toStdString()), 1);
        for (const QJsonValue &v : m_http.history(m_a, m_room).value("items").toArray())
            if (v.toObject().value("id").toString() == id)
                QVERIFY(v.toObject().value("body").toString().isEmpty());
        // The reporter hears the outcome (admin.report.outcome, to the notifications).
        auto events = op("GET", QStringLiteral("/v1/system/events?limit=1000"));
        QVERIFY2(events.body.contains("admin.report.outcome"), events.body.constData());
    }

    /// A community's moderators delete messages in its channels (not being members of the
    /// channel); a member of the community who moderates nothing does not.
    void communityModeratorsDelete()
    {
        const QString community = m_http.community(m_a, QStringLiteral("docks"));
        QVERIFY(m_http.joinCommunity(m_b, QStringLiteral("docks")) && m_http.joinCommunity(m_c, QStringLiteral("docks")));
        const QString channel = m_http.channel(m_a, community, QStringLiteral("quay"));
        QCOMPARE(m_http.post(m_b, QStringLiteral("/v1/chat/rooms/%1/join").arg(channel), {}).status, 201);
        const QString id = m_http.send(m_b, channel, QStringLiteral("cm1"), QStringLiteral("off topic")).json().value("id").toString();
        const QString path = QStringLiteral("/v1/chat/rooms/%1/messages/%2").arg(channel, id);
        QVERIFY(isProblem(m_http.call("DELETE", path, m_c.account.token), 403, "not-a-member"));
        QCOMPARE(m_http.call("PUT", QStringLiteral("/v1/communities/docks/moderators/%1").arg(m_c.account.username),
                             m_a.account.token).status / 100, 2);
        QCOMPARE(m_http.call("DELETE", path, m_c.account.token).status, 204);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM chat.messages WHERE id = %1 AND deleted_at IS NOT NULL")
                            .arg(id).toStdString()), 1);
        // Moderating "docks" gives nothing in a group.
        const QString other = m_http.send(m_b, m_room, QStringLiteral("cm2"), QStringLiteral("mine")).json().value("id").toString();
        QVERIFY(isProblem(m_http.call("DELETE", QStringLiteral("/v1/chat/rooms/%1/messages/%2").arg(m_room, other),
                                      m_c.account.token), 403, "not-a-member"));
    }

    /// The per-room backlog gauges (a snapshot histogram, five series), refreshed by the
    /// sweep: a room whose reader is 12 messages behind is in the 11-100 bucket.
    void backlogMetric()
    {
        const QString room = m_http.group(m_a, QStringLiteral("Backlog"), {m_c});
        for (int i = 0; i < 12; ++i)
            QCOMPARE(m_http.send(m_a, room, QStringLiteral("bl%1").arg(i), QStringLiteral("n %1").arg(i)).status, 201);
        const qint64 behind = scalar("SELECT count(*) FROM (SELECT r.last_seq - min(m.last_read_seq) AS b FROM chat.rooms r"
                                     " JOIN chat.members m ON m.room_id = r.id GROUP BY r.id, r.last_seq) x"
                                     " WHERE b BETWEEN 11 AND 100");
        QVERIFY(behind >= 1);
        const QByteArray series = QByteArray("community_chat_room_backlog_rooms{backlog=\"11-100\"} ") + QByteArray::number(behind);
        QTRY_VERIFY_WITH_TIMEOUT(op("GET", QStringLiteral("/metrics")).body.contains(series), 5000);
        const QByteArray metrics = op("GET", QStringLiteral("/metrics")).body;
        QVERIFY(metrics.contains("community_chat_room_backlog_rooms{backlog=\"1001+\"} 0"));
        QVERIFY(metrics.contains("community_chat_room_backlog_max "));
        // Both members caught up (a sender's own marker moves only when it reads): the room
        // leaves the bucket.
        for (const Member &who : {m_a, m_c})
            QCOMPARE(m_http.post(who, QStringLiteral("/v1/chat/rooms/%1/read").arg(room), {{"seq", 12}}).status / 100, 2);
        const QByteArray fewer = QByteArray("community_chat_room_backlog_rooms{backlog=\"11-100\"} ") + QByteArray::number(behind - 1);
        QTRY_VERIFY_WITH_TIMEOUT(op("GET", QStringLiteral("/metrics")).body.contains(fewer), 5000);
    }

    void operatorRoutes()
    {
        const QString room = m_http.group(m_a, QStringLiteral("Ops"), {m_b});
        for (int i = 0; i < 5; ++i)
            QCOMPARE(m_http.send(m_a, room, QStringLiteral("o%1").arg(i), QStringLiteral("old %1").arg(i)).status, 201);
        const QString gone = m_http.send(m_a, room, QStringLiteral("o-del"), QStringLiteral("deleted text")).json().value("id").toString();
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/chat/rooms/%1/messages/%2").arg(room, gone), m_a.account.token).status, 204);
        auto rooms = op("GET", QStringLiteral("/v1/chat/admin/rooms?limit=1000"));
        QCOMPARE(rooms.status, 200);
        QVERIFY(rooms.body.contains(("\"" + room + "\"").toUtf8()));
        auto messages = op("GET", QStringLiteral("/v1/chat/admin/rooms/%1/messages").arg(room));
        QCOMPARE(messages.status, 200);
        QVERIFY(messages.body.contains("deleted text"));
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/chat/admin/rooms"), m_a.account.token).status / 100, 4);
        // Age three messages, then purge what is older than a day: dry run first.
        scalar(QStringLiteral("UPDATE chat.messages SET created_at = now() - interval '3 days' WHERE room_id = %1 AND seq <= 3 "
                              "RETURNING 1").arg(room).toStdString());
        const QString before = QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODateWithMs);
        auto dry = op("POST", QStringLiteral("/v1/chat/admin/rooms/%1/purge").arg(room), {{"before", before}, {"dryRun", true}});
        QCOMPARE(dry.json().value("messages").toInteger(), 3);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM chat.messages WHERE room_id = %1").arg(room).toStdString()), 6);
        auto real = op("POST", QStringLiteral("/v1/chat/admin/rooms/%1/purge").arg(room), {{"before", before}});
        QCOMPARE(real.json().value("messages").toInteger(), 3);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM chat.messages WHERE room_id = %1").arg(room).toStdString()), 3);
        QVERIFY(isProblem(op("POST", QStringLiteral("/v1/chat/admin/rooms/%1/purge").arg(room), {{"before", "yesterday"}}), 400,
                          "validation"));
        QVERIFY(isProblem(op("POST", QStringLiteral("/v1/chat/admin/rooms/999999/purge"), {{"before", before}}), 404, "not-found"));
    }

    void retentionPerKind()
    {
        // Channels keep 30 days here; groups forever.
        const QString channel = m_http.channel(m_a, m_http.community(m_a, QStringLiteral("oldies")), QStringLiteral("old"));
        QCOMPARE(m_http.send(m_a, channel, QStringLiteral("k1"), QStringLiteral("ancient")).status, 201);
        QCOMPARE(m_http.send(m_a, channel, QStringLiteral("k2"), QStringLiteral("fresh")).status, 201);
        QCOMPARE(m_http.send(m_a, m_room, QStringLiteral("k3"), QStringLiteral("ancient group")).status, 201);
        scalar(QStringLiteral("UPDATE chat.messages SET created_at = now() - interval '40 days' WHERE client_id IN ('k1', 'k3') "
                              "RETURNING 1").toStdString());
        QTRY_COMPARE_WITH_TIMEOUT(scalar("SELECT count(*) FROM chat.messages WHERE client_id = 'k1'"), 0, 5000);
        QCOMPARE(scalar("SELECT count(*) FROM chat.messages WHERE client_id IN ('k2', 'k3')"), 2);
    }
};

QTEST_GUILESS_MAIN(TstChatModeration)
#include "tst_chatmoderation.moc"
