// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// A communityd with the auth plugin, fast test hashing, generous rate limits and the
// first-start admin already past its forced password change. Shared by the auth tests;
// HTTP goes through the shared client library (tests/support/httpclient.h).

#include "daemonprocess.h"

#include "community/client/problem.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QTcpSocket>
#include <QtTest>

namespace AuthTest {

using Community::Test::DaemonProcess;
using Community::Test::HttpResult;
using Community::Test::httpRequest;

inline QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

struct Client {
    DaemonProcess *daemon = nullptr;
    QString adminPassword;      ///< the printed one-time password
    QString adminToken;         ///< after the forced change
    QString adminRefresh;
    static inline const QString adminNewPassword = QStringLiteral("Admin-Secret-4711!");

    HttpResult call(const QByteArray &method, const QString &path, const QByteArray &body = {},
                    const QString &bearer = {}, QList<QPair<QByteArray, QByteArray>> headers = {}) const
    {
        if (!bearer.isEmpty())
            headers.append({"Authorization", "Bearer " + bearer.toLatin1()});
        return httpRequest(daemon->url(path), method, body, headers);
    }
    HttpResult post(const QString &path, const QJsonObject &body, const QString &bearer = {}) const
    {
        return call("POST", path, json(body), bearer);
    }
    HttpResult get(const QString &path, const QString &bearer = {}) const { return call("GET", path, {}, bearer); }

    HttpResult registerUser(const QString &name, const QString &password = QStringLiteral("long enough pass 1"))
    {
        return post(QStringLiteral("/v1/auth/register"),
                    {{"username", name}, {"email", name + QStringLiteral("@example.org")}, {"password", password}});
    }
    HttpResult login(const QString &login, const QString &password = QStringLiteral("long enough pass 1"))
    {
        return post(QStringLiteral("/v1/auth/login"), {{"login", login}, {"password", password}});
    }
    /// Registers and logs in; returns the access token (empty on failure).
    QString userToken(const QString &name, QString *refresh = nullptr)
    {
        registerUser(name);
        const HttpResult r = login(name);
        if (refresh)
            *refresh = r.json().value(QStringLiteral("refreshToken")).toString();
        return r.json().value(QStringLiteral("accessToken")).toString();
    }
};

/// One HTTP/1.1 request from a chosen loopback source address (127.0.0.2, 127.0.1.9 …: the
/// whole of 127/8 reaches the daemon on 127.0.0.1), for limits kept per client address.
/// Connection: close; the answer is read to the end.
inline HttpResult requestFrom(const QString &source, const QUrl &url, const QByteArray &method,
                              const QByteArray &body = {}, const QByteArray &bearer = {})
{
    HttpResult r;
    QTcpSocket socket;
    if (!socket.bind(QHostAddress(source))) {
        r.error = QStringLiteral("bind ") + source + QStringLiteral(": ") + socket.errorString();
        return r;
    }
    socket.connectToHost(url.host(), quint16(url.port()));
    if (!socket.waitForConnected(5000)) {
        r.error = socket.errorString();
        return r;
    }
    QByteArray req = method + ' ' + url.path(QUrl::FullyEncoded).toLatin1()
                     + (url.hasQuery() ? '?' + url.query(QUrl::FullyEncoded).toLatin1() : QByteArray())
                     + " HTTP/1.1\r\nHost: " + url.authority().toLatin1() + "\r\nConnection: close\r\n";
    if (!bearer.isEmpty())
        req += "Authorization: Bearer " + bearer + "\r\n";
    if (!body.isEmpty() || method == "POST")
        req += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    req += "\r\n" + body;
    socket.write(req);
    QByteArray raw;
    QDeadlineTimer deadline(10'000);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        socket.waitForReadyRead(100);
        raw += socket.readAll();
    }
    raw += socket.readAll();
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0) {
        r.error = QStringLiteral("no complete answer");
        return r;
    }
    const QList<QByteArray> lines = raw.left(end).split('\n');
    r.status = lines.value(0).split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            r.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    r.body = raw.mid(end + 4);
    return r;
}

/// Default daemon arguments for the auth tests.
inline QStringList daemonArgs(const QStringList &more = {})
{
    QStringList a{QStringLiteral("--set"), QStringLiteral("plugins.auth.passwordHash.opsLimit=1"),
                  QStringLiteral("--set"), QStringLiteral("plugins.auth.passwordHash.memLimitBytes=65536"),
                  QStringLiteral("--set"), QStringLiteral("plugins.auth.stateRefreshMs=500"),
                  QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.auth.perIp.rate=10000"),
                  QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.auth.perIp.burst=10000"),
                  QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.default.perIp.rate=10000"),
                  QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.default.perIp.burst=10000"),
                  QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.default.perPrincipal.rate=10000"),
                  QStringLiteral("--set"), QStringLiteral("gateway.rateLimits.default.perPrincipal.burst=10000")};
    return a + more;
}

/// Starts the daemon, reads the printed admin password and changes it.
inline bool startWithAdmin(DaemonProcess &d, Client &c, const QStringList &extra = {})
{
    DaemonProcess::Options o;
    o.pluginDirs = {QStringLiteral(COMMUNITY_PLUGIN_DIR)};
    o.extraArgs = daemonArgs(extra);
    if (!d.start(o)) {
        qWarning("%s", qPrintable(d.errorString()));
        return false;
    }
    c.daemon = &d;
    c.adminPassword = d.initialAdminPassword();
    if (c.adminPassword.isEmpty())
        return false;
    const HttpResult l = c.login(QStringLiteral("admin"), c.adminPassword);
    const QString token = l.json().value(QStringLiteral("accessToken")).toString();
    const HttpResult ch = c.post(QStringLiteral("/v1/auth/password"),
                                 {{"currentPassword", c.adminPassword}, {"newPassword", Client::adminNewPassword}}, token);
    if (ch.status != 204)
        return false;
    c.adminToken = token;
    c.adminRefresh = l.json().value(QStringLiteral("refreshToken")).toString();
    return true;
}

/// The last segment of the problem type ("https://.../problems/not-found" -> "not-found").
inline QString slug(const HttpResult &r)
{
    const auto problem = Community::Client::parseProblem(r.body);
    return problem && problem->raw.contains(QStringLiteral("type")) ? problem->slug() : QString();
}

/// "field:code" of each field error of a problem answer.
inline QStringList fieldCodes(const HttpResult &r)
{
    QStringList out;
    if (const auto problem = Community::Client::parseProblem(r.body)) {
        for (const Community::FieldError &e : problem->errors)
            out << e.field + QLatin1Char(':') + e.code;
    }
    return out;
}

} // namespace AuthTest
