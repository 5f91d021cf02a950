// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Shared setup for the content HTTP tests: the users harness (usershttp.h: real auth,
// users and content plugins over real HTTP, lifted rate limits) plus helpers to create
// communities, posts and comments and to fire many requests with bodies at once.

#include "usershttp.h"

#include <QJsonArray>

#include <tuple>

namespace Content::Test {

using Community::Test::HttpResult;
using Users::Test::Account;
using Users::Test::isProblem;

using Request = Users::Test::UsersHttp::Request;

class ContentHttp : public Users::Test::UsersHttp {
public:
    using UsersHttp::json;

    /// Anonymous reads are not micro-cached in these tests (they read right after writing);
    /// tst_contentcache turns the cache on.
    ContentHttp() { extraSets << QStringLiteral("plugins.content.anonymousCacheMs=0"); }

    /// POST /v1/communities; returns the created community (empty object on failure).
    QJsonObject createCommunity(const Account &owner, const QString &slug, const QString &title = {})
    {
        auto r = call("POST", QStringLiteral("/v1/communities"), owner.token,
                      json({{"slug", slug}, {"title", title.isEmpty() ? slug : title}, {"description", "About " + slug}}));
        if (r.status != 201)
            qWarning() << "create community" << slug << r.status << r.body;
        return r.json();
    }

    /// POST /v1/communities/{slug}/posts; returns the created post (empty on failure).
    QJsonObject createPost(const Account &author, const QString &slug, const QString &title, const QString &body = {},
                           const QStringList &tags = {})
    {
        auto r = call("POST", QStringLiteral("/v1/communities/%1/posts").arg(slug), author.token,
                      json({{"title", title}, {"body", body}, {"tags", QJsonArray::fromStringList(tags)}}));
        if (r.status != 201)
            qWarning() << "create post" << title << r.status << r.body;
        return r.json();
    }

    /// POST /v1/posts/{id}/comments; parentId empty for a top-level comment.
    QJsonObject createComment(const Account &author, const QString &postId, const QString &body,
                              const QString &parentId = {})
    {
        QJsonObject o{{"body", body}};
        if (!parentId.isEmpty())
            o.insert("parentId", parentId);
        auto r = call("POST", QStringLiteral("/v1/posts/%1/comments").arg(postId), author.token, json(o));
        if (r.status != 201)
            qWarning() << "create comment" << r.status << r.body;
        return r.json();
    }

    /// The first column of the first row of `sql` on the daemon's database (e.g. a count for
    /// "nothing was written" checks); -1 on error.
    qint64 scalar(const std::string &sql)
    {
        auto *db = daemon.database();
        if (!db)
            return -1;
        try {
            pqxx::connection c(db->conninfo());
            pqxx::nontransaction tx(c);
            const auto r = tx.exec(sql);
            return r.empty() || r[0][0].is_null() ? 0 : r[0][0].as<qint64>();
        } catch (const std::exception &e) {
            qWarning() << "scalar" << sql.c_str() << e.what();
            return -1;
        }
    }
};

/// The items of a list answer.
inline QJsonArray items(const HttpResult &r)
{
    return r.json().value(QStringLiteral("items")).toArray();
}

} // namespace Content::Test
