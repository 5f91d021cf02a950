// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Rooms over real HTTP: groups with owner/admin/member roles (invite, remove, leave,
// rename, topic, member limit), public channels, and bad input that writes nothing.

#include "chathttp.h"

using namespace Chat::Test;

class TstChatRooms : public QObject {
    Q_OBJECT

    ChatHttp m_http;
    Member m_owner, m_a, m_b, m_c;

    QString roomPath(const QString &room, const QString &rest = {}) { return QStringLiteral("/v1/chat/rooms/") + room + rest; }
    HttpResult patch(const Member &who, const QString &path, const QJsonObject &body)
    {
        return m_http.call("PATCH", path, who.account.token, ChatHttp::json(body));
    }
    HttpResult del(const Member &who, const QString &path) { return m_http.call("DELETE", path, who.account.token); }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_owner = m_http.member(QStringLiteral("owner"));
        m_a = m_http.member(QStringLiteral("alice"));
        m_b = m_http.member(QStringLiteral("bob"));
        m_c = m_http.member(QStringLiteral("carol"));
        QVERIFY(!m_owner.id.isEmpty() && !m_c.id.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void groupRoles()
    {
        const QString room = m_http.group(m_owner, QStringLiteral("Team"), {m_a});
        QVERIFY(!room.isEmpty());
        auto details = m_http.call("GET", roomPath(room), m_owner.account.token).json();
        QCOMPARE(details.value("role").toString(), QStringLiteral("owner"));
        QCOMPARE(details.value("memberCount").toInt(), 2);
        // A plain member may neither invite nor rename.
        QVERIFY(isProblem(m_http.post(m_a, roomPath(room, "/members"), {{"userId", m_b.id}}), 403, "not-allowed"));
        QVERIFY(isProblem(patch(m_a, roomPath(room), {{"name", "Mine"}}), 403, "not-allowed"));
        // Made admin, she may.
        QCOMPARE(patch(m_owner, roomPath(room, "/members/" + m_a.id), {{"role", "admin"}}).status, 204);
        QCOMPARE(m_http.post(m_a, roomPath(room, "/members"), {{"userId", m_b.id}}).status, 201);
        QCOMPARE(m_http.post(m_a, roomPath(room, "/members"), {{"userId", m_b.id}}).status, 204);
        auto renamed = patch(m_a, roomPath(room), {{"name", "Crew"}, {"topic", "ships"}});
        QCOMPARE(renamed.status, 200);
        QCOMPARE(renamed.json().value("name").toString(), QStringLiteral("Crew"));
        QCOMPARE(renamed.json().value("topic").toString(), QStringLiteral("ships"));
        // An admin removes a member but not the owner; only the owner changes roles.
        QVERIFY(isProblem(del(m_a, roomPath(room, "/members/" + m_owner.id)), 403, "not-allowed"));
        QVERIFY(isProblem(patch(m_a, roomPath(room, "/members/" + m_b.id), {{"role", "admin"}}), 403, "not-allowed"));
        QCOMPARE(del(m_a, roomPath(room, "/members/" + m_b.id)).status, 204);
        QVERIFY(isProblem(m_http.call("GET", roomPath(room), m_b.account.token), 403, "not-a-member"));
        // The owner cannot leave while others remain; the others can.
        QVERIFY(isProblem(del(m_owner, roomPath(room, "/members/" + m_owner.id)), 409, "owner-must-transfer"));
        QCOMPARE(del(m_a, roomPath(room, "/members/" + m_a.id)).status, 204);
        auto members = m_http.call("GET", roomPath(room, "/members"), m_owner.account.token).json().value("items").toArray();
        QCOMPARE(members.size(), 1);
        QCOMPARE(m_http.listed(m_a, room), QJsonObject());
    }

    void memberLimit()
    {
        auto r = m_http.post(m_owner, "/v1/chat/rooms", {{"kind", "group"}, {"name", "Pair"}, {"memberLimit", 2},
                                                          {"members", QJsonArray{m_a.id}}});
        QCOMPARE(r.status, 201);
        const QString room = r.json().value("id").toString();
        QVERIFY(isProblem(m_http.post(m_owner, roomPath(room, "/members"), {{"userId", m_b.id}}), 409, "room-full"));
        QVERIFY(isProblem(m_http.post(m_owner, "/v1/chat/rooms", {{"kind", "group"}, {"name", "Big"}, {"memberLimit", 2},
                                                                  {"members", QJsonArray{m_a.id, m_b.id}}}),
                          400, "validation"));
    }

    /// Channels belong to a content community: its members create and join them (asked
    /// through content's ICommunityMembership), nobody else.
    void channels()
    {
        const QString community = m_http.community(m_owner, QStringLiteral("harbour"));
        QVERIFY(!community.isEmpty());
        // Not a member of the community yet: no channel of it, and no joining.
        QVERIFY(isProblem(m_http.post(m_c, "/v1/chat/rooms", {{"kind", "channel"}, {"name", "x"}, {"communityId", community}}),
                          400, "validation"));
        QVERIFY(isProblem(m_http.post(m_owner, "/v1/chat/rooms", {{"kind", "channel"}, {"name", "x"}, {"communityId", "999999"}}),
                          400, "validation"));
        QVERIFY(isProblem(m_http.post(m_owner, "/v1/chat/rooms", {{"kind", "channel"}, {"name", "x"}, {"communityId", community},
                                                                {"members", QJsonArray{m_c.id}}}),
                          400, "validation"));
        auto r = m_http.post(m_owner, "/v1/chat/rooms", {{"kind", "channel"}, {"name", "general"}, {"communityId", community}});
        QCOMPARE(r.status, 201);
        const QString room = r.json().value("id").toString();
        QCOMPARE(r.json().value("communityId").toString(), community);
        const qint64 members = m_http.rows("members");
        QVERIFY(isProblem(m_http.post(m_c, roomPath(room, "/join"), {}), 403, "not-a-community-member"));
        QCOMPARE(m_http.rows("members"), members);
        QVERIFY(m_http.joinCommunity(m_c, QStringLiteral("harbour")));
        QCOMPARE(m_http.post(m_c, roomPath(room, "/join"), {}).status, 201);
        QCOMPARE(m_http.post(m_c, roomPath(room, "/join"), {}).status, 204);
        QCOMPARE(m_http.listed(m_c, room).value("role").toString(), QStringLiteral("member"));
        // Groups are not joinable: they look like a missing room.
        const QString group = m_http.group(m_owner, QStringLiteral("Private"));
        QVERIFY(isProblem(m_http.post(m_c, roomPath(group, "/join"), {}), 404, "not-found"));
    }

    void badInputWritesNothing()
    {
        const qint64 rooms = m_http.rows("rooms");
        const qint64 members = m_http.rows("members");
        QVERIFY(isProblem(m_http.post(m_owner, "/v1/chat/rooms", {{"kind", "dm"}, {"name", "x"}}), 400, "validation"));
        QVERIFY(isProblem(m_http.post(m_owner, "/v1/chat/rooms", {{"kind", "group"}}), 400, "validation"));
        QVERIFY(isProblem(m_http.post(m_owner, "/v1/chat/rooms", {{"kind", "group"}, {"name", "x"}, {"extra", 1}}), 400,
                          "validation"));
        QVERIFY(isProblem(m_http.post(m_owner, "/v1/chat/rooms", {{"kind", "group"}, {"name", "x"}, {"members", QJsonArray{"999999"}}}),
                          400, "validation"));
        QVERIFY(isProblem(m_http.post(m_owner, "/v1/chat/rooms", {{"kind", "channel"}, {"name", "x"}}), 400, "validation"));
        QVERIFY(isProblem(m_http.call("GET", roomPath("999999"), m_owner.account.token), 404, "not-found"));
        QVERIFY(isProblem(m_http.call("GET", roomPath("abc"), m_owner.account.token), 404, "not-found"));
        QCOMPARE(m_http.call("GET", "/v1/chat/rooms").status, 401);
        QCOMPARE(m_http.rows("rooms"), rooms);
        QCOMPARE(m_http.rows("members"), members);
    }

    void typingThrottled()
    {
        const QString room = m_http.group(m_owner, QStringLiteral("Typing"), {m_a});
        QCOMPARE(m_http.post(m_a, roomPath(room, "/typing"), {}).status, 202);
        QCOMPARE(m_http.post(m_a, roomPath(room, "/typing"), {}).status, 204);   // within typingIntervalMs
        QVERIFY(isProblem(m_http.post(m_b, roomPath(room, "/typing"), {}), 403, "not-a-member"));
    }

    void adminSeesAnyRoom()
    {
        const QString room = m_http.group(m_owner, QStringLiteral("Secret"));
        auto r = m_http.call("GET", roomPath(room), m_http.admin.token);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().value("role").isNull());
    }
};

QTEST_GUILESS_MAIN(TstChatRooms)
#include "tst_chatrooms.moc"
