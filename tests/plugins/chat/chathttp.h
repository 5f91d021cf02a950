// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once
// Shared setup for the chat HTTP tests: a real communityd with the real auth, users and
// chat plugins (UsersHttp), accounts with their ids, and short helpers for the routes.

#include "usershttp.h"

#include <QJsonArray>

#include <pqxx/pqxx>

namespace Chat::Test {

using Users::Test::Account;
using Users::Test::UsersHttp;
using Users::Test::isProblem;
using Community::Test::HttpResult;

struct Member {
    Account account;
    QString id;
};

class ChatHttp : public UsersHttp {
public:
    ChatHttp()
    {
        // Tests send bursts; the limits themselves are checked with their own settings.
        extraSets << QStringLiteral("plugins.chat.userBurst=100000") << QStringLiteral("plugins.chat.roomBurst=100000")
                  << QStringLiteral("plugins.chat.floodWindowSeconds=0");
    }

    Member member(const QString &username)
    {
        Member m{registerUser(username), {}};
        m.id = call("GET", QStringLiteral("/v1/users/me"), m.account.token).json().value("id").toString();
        return m;
    }
    HttpResult post(const Member &who, const QString &path, const QJsonObject &body)
    {
        return call("POST", path, who.account.token, json(body));
    }
    /// Creates a group owned by `owner` with `members`; its id.
    QString group(const Member &owner, const QString &name, const QList<Member> &members = {})
    {
        QJsonArray ids;
        for (const Member &m : members)
            ids.append(m.id);
        auto r = post(owner, QStringLiteral("/v1/chat/rooms"), {{"kind", "group"}, {"name", name}, {"members", ids}});
        if (r.status != 201)
            qWarning() << "create group" << r.status << r.body;
        return r.json().value("id").toString();
    }
    HttpResult send(const Member &who, const QString &room, const QString &clientId, const QString &body,
                    const QString &threadRootId = {})
    {
        QJsonObject o{{"clientId", clientId}, {"body", body}};
        if (!threadRootId.isEmpty())
            o.insert("threadRootId", threadRootId);
        return post(who, QStringLiteral("/v1/chat/rooms/%1/messages").arg(room), o);
    }
    QJsonObject history(const Member &who, const QString &room, const QString &query = {})
    {
        return call("GET", QStringLiteral("/v1/chat/rooms/%1/messages%2").arg(room, query), who.account.token).json();
    }
    /// A content community `slug` owned by `owner` (the content plugin's route); its id.
    QString community(const Member &owner, const QString &slug)
    {
        auto r = post(owner, QStringLiteral("/v1/communities"), {{"slug", slug}, {"title", slug}, {"description", slug}});
        if (r.status != 201)
            qWarning() << "create community" << r.status << r.body;
        return r.json().value("id").toString();
    }
    bool joinCommunity(const Member &who, const QString &slug)
    {
        return post(who, QStringLiteral("/v1/communities/%1/join").arg(slug), {}).status / 100 == 2;
    }
    /// A channel of the community `communityId` created by `who`; its id.
    QString channel(const Member &who, const QString &communityId, const QString &name)
    {
        auto r = post(who, QStringLiteral("/v1/chat/rooms"), {{"kind", "channel"}, {"name", name}, {"communityId", communityId}});
        if (r.status != 201)
            qWarning() << "create channel" << r.status << r.body;
        return r.json().value("id").toString();
    }
    /// The caller's view of a room in its room list (empty when not listed).
    QJsonObject listed(const Member &who, const QString &room)
    {
        for (const QJsonValue &v : call("GET", QStringLiteral("/v1/chat/rooms"), who.account.token).json().value("items").toArray()) {
            if (v.toObject().value("id").toString() == room)
                return v.toObject();
        }
        return {};
    }
    /// The seq values of a history page's items.
    static QList<qint64> seqs(const QJsonObject &page)
    {
        QList<qint64> out;
        for (const QJsonValue &v : page.value("items").toArray())
            out.append(v.toObject().value("seq").toInteger());
        return out;
    }
    /// The number of rows in a chat table (to prove that nothing was written).
    qint64 rows(const QString &table)
    {
        pqxx::connection c(daemon.database()->conninfo());
        pqxx::nontransaction tx(c);
        return tx.exec("SELECT count(*) FROM chat." + table.toStdString())[0][0].as<qint64>();
    }
};

} // namespace Chat::Test
