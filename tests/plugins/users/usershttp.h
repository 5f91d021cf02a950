// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Shared setup for the users HTTP tests: a real communityd with the real auth and users
// plugins (build/plugins), cheap password hashing and lifted rate limits (these tests are
// about users, not about auth's brute-force protection), the first-start admin signed in,
// and helpers to register accounts and call routes with their tokens.

#include "daemonprocess.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>
#include <QtTest>

#include <memory>

namespace Users::Test {

using Community::Test::DaemonProcess;
using Community::Test::HttpResult;

struct Account {
    QString username;
    QString password;
    QByteArray token;
};

class UsersHttp {
public:
    DaemonProcess daemon;
    Account admin;
    /// More `--set key=value` options for the daemon (before start()).
    QStringList extraSets;

    /// Starts the daemon and signs the admin in; false with `error` set on failure.
    bool start(QString *error)
    {
        DaemonProcess::Options o;
        o.pluginDirs = {QStringLiteral(COMMUNITY_PLUGIN_DIR)};
        const QStringList sets{
            QStringLiteral("plugins.auth.passwordHash.opsLimit=1"),
            QStringLiteral("plugins.auth.passwordHash.memLimitBytes=8192"),
        };
        for (const QString &s : sets + extraSets)
            o.extraArgs << QStringLiteral("--set") << s;
        for (const char *cls : {"auth", "write", "default"}) {
            for (const char *kind : {"perIp", "perPrincipal"}) {
                for (const char *k : {"rate", "burst"})
                    o.extraArgs << QStringLiteral("--set")
                                << QStringLiteral("gateway.rateLimits.%1.%2.%3=1000000").arg(QLatin1String(cls), QLatin1String(kind), QLatin1String(k));
            }
        }
        if (!daemon.start(o)) {
            *error = daemon.errorString() + QString::fromUtf8(daemon.output().right(3000));
            return false;
        }
        QString initial;
        QElapsedTimer t;
        t.start();
        static const QRegularExpression re(QStringLiteral("initial admin: admin / (\\S+)"));
        while (t.elapsed() < 10'000) {
            const auto m = re.match(QString::fromUtf8(daemon.output()));
            if (m.hasMatch()) {
                initial = m.captured(1);
                break;
            }
            QTest::qWait(50);
        }
        if (initial.isEmpty()) {
            *error = QStringLiteral("no initial admin line in: ") + QString::fromUtf8(daemon.output().right(3000));
            return false;
        }
        admin = {QStringLiteral("admin"), initial, login(QStringLiteral("admin"), initial)};
        const QString newPassword = QStringLiteral("Admin-Passw0rd-For-Tests!");
        auto changed = call("POST", QStringLiteral("/v1/auth/password"), admin.token,
                            json({{"currentPassword", initial}, {"newPassword", newPassword}}));
        if (changed.status / 100 != 2) {
            *error = QStringLiteral("admin password change: %1 %2").arg(changed.status).arg(QString::fromUtf8(changed.body));
            return false;
        }
        admin.password = newPassword;
        admin.token = login(QStringLiteral("admin"), newPassword);
        if (admin.token.isEmpty()) {
            *error = QStringLiteral("admin login failed");
            return false;
        }
        return true;
    }

    static QByteArray json(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

    HttpResult call(const QByteArray &method, const QString &pathAndQuery, const QByteArray &token = {},
                    const QByteArray &body = {}, QList<QPair<QByteArray, QByteArray>> headers = {})
    {
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + token});
        return Community::Test::httpRequest(url(pathAndQuery), method, body, headers);
    }

    QUrl url(const QString &pathAndQuery) const
    {
        const int q = pathAndQuery.indexOf(QLatin1Char('?'));
        QUrl u = daemon.url(q < 0 ? pathAndQuery : pathAndQuery.left(q));
        if (q >= 0)
            u.setQuery(pathAndQuery.mid(q + 1));
        return u;
    }

    /// /v1/users/search?q=... with q percent-encoded.
    static QString searchPath(const QString &q, const QString &extra = {})
    {
        return QStringLiteral("/v1/users/search?q=") + QString::fromLatin1(QUrl::toPercentEncoding(q)) + extra;
    }

    QByteArray login(const QString &login, const QString &password)
    {
        auto r = call("POST", QStringLiteral("/v1/auth/login"), {}, json({{"login", login}, {"password", password}}));
        return r.json().value(QStringLiteral("accessToken")).toString().toLatin1();
    }

    /// Registers and signs in a new account; empty token on failure.
    Account registerUser(const QString &username)
    {
        Account a{username, QStringLiteral("Correct-Horse-%1-Battery!").arg(username), {}};
        auto r = call("POST", QStringLiteral("/v1/auth/register"), {},
                      json({{"username", username}, {"email", username + QStringLiteral("@example.com")},
                            {"password", a.password}}));
        if (r.status != 201)
            qWarning() << "register" << username << r.status << r.body;
        a.token = login(username, a.password);
        return a;
    }

    bool setRole(Account &a, const QString &role)
    {
        auto r = call("PUT", QStringLiteral("/v1/admin/users/%1/role").arg(a.username), admin.token, json({{"role", role}}));
        if (r.status / 100 != 2) {
            qWarning() << "set role" << r.status << r.body;
            return false;
        }
        a.token = login(a.username, a.password);   // a fresh token carries the new role
        return !a.token.isEmpty();
    }

    /// One request of a parallel batch.
    struct Request {
        QByteArray method;
        QString path;
        QByteArray token;
        QByteArray body;                                   ///< JSON; empty: no body
        QList<QPair<QByteArray, QByteArray>> headers = {};
    };

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

    /// Bodiless requests (method, path, token) at once.
    QList<HttpResult> parallel(const QList<std::tuple<QByteArray, QString, QByteArray>> &requests)
    {
        QList<Request> reqs;
        for (const auto &[method, path, token] : requests)
            reqs.append({method, path, token, {}});
        return parallelRequests(reqs, 30'000);
    }
};

/// The problem+json checks every error answer must pass.
inline bool isProblem(const HttpResult &r, int status, const QString &slug)
{
    const QJsonObject o = r.json();
    return r.status == status && r.header("content-type") == "application/problem+json"
           && o.value(QStringLiteral("type")).toString() == QStringLiteral("https://community.example/problems/") + slug;
}

} // namespace Users::Test
