// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Shared setup for the content HTTP tests: the users tests' daemon harness (real auth,
// users and content plugins over real HTTP, lifted rate limits) plus helpers to create
// communities, posts and comments and to fire many requests with bodies at once.

#include "usershttp.h"

#include <QJsonArray>

#include <tuple>

namespace Content::Test {

using Community::Test::HttpResult;
using Users::Test::Account;
using Users::Test::isProblem;

struct Request {
    QByteArray method;
    QString path;
    QByteArray token;
    QByteArray body;                                   ///< JSON; empty: no body
    QList<QPair<QByteArray, QByteArray>> headers = {};
};

class ContentHttp : public Users::Test::UsersHttp {
public:
    using UsersHttp::json;

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

    /// Sends all requests at once over separate connections; results in order.
    QList<HttpResult> parallelRequests(const QList<Request> &requests, int timeoutMs = 60'000)
    {
        std::vector<std::unique_ptr<QNetworkAccessManager>> nams;
        QList<QNetworkReply *> replies;
        for (const Request &q : requests) {
            nams.push_back(std::make_unique<QNetworkAccessManager>());
            QNetworkRequest req(url(q.path));
            req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
            if (!q.token.isEmpty())
                req.setRawHeader("Authorization", "Bearer " + q.token);
            for (const auto &[name, value] : q.headers)
                req.setRawHeader(name, value);
            if (!q.body.isEmpty())
                req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            replies.append(nams.back()->sendCustomRequest(req, q.method, q.body));
        }
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs
               && std::any_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return !r->isFinished(); }))
            QTest::qWait(10);
        QList<HttpResult> out;
        for (QNetworkReply *reply : replies) {
            HttpResult r;
            r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            r.body = reply->readAll();
            r.headers = reply->rawHeaderPairs();
            out.append(r);
            reply->deleteLater();
        }
        return out;
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
