// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "usershttp.h"

#include "community/client/problem.h"

namespace Users::Test {

namespace {

const QString kAdminPassword = QStringLiteral("Admin-Passw0rd-For-Tests!");

} // namespace

DaemonProcess::Options UsersHttp::daemonOptions(const QStringList &extraSets)
{
    DaemonProcess::Options o;
    o.pluginDirs = {QStringLiteral(COMMUNITY_PLUGIN_DIR)};
    const QStringList sets{
        QStringLiteral("plugins.auth.passwordHash.opsLimit=1"),
        QStringLiteral("plugins.auth.passwordHash.memLimitBytes=8192"),
    };
    // Every test client comes from 127.0.0.1: parallel rounds (up to 400 requests, one
    // connection each) must not meet the per-address connection cap.
    o.extraArgs << QStringLiteral("--set") << QStringLiteral("http.maxConnectionsPerIp=0");
    for (const QString &s : sets + extraSets)
        o.extraArgs << QStringLiteral("--set") << s;
    for (const char *cls : {"auth", "write", "default"}) {
        for (const char *kind : {"perIp", "perPrincipal"}) {
            for (const char *k : {"rate", "burst"})
                o.extraArgs << QStringLiteral("--set")
                            << QStringLiteral("gateway.rateLimits.%1.%2.%3=1000000")
                                   .arg(QLatin1String(cls), QLatin1String(kind), QLatin1String(k));
        }
    }
    return o;
}

bool UsersHttp::startPeer(DaemonProcess &peer, const QStringList &sets, QString *error)
{
    DaemonProcess::Options o = daemonOptions(extraSets + sets);
    o.extraArgs << QStringLiteral("--set")
                << QStringLiteral("database.url=") + QString::fromStdString(daemon.database()->conninfo());
    if (peer.start(o))
        return true;
    *error = peer.errorString() + QString::fromUtf8(peer.output().right(3000));
    return false;
}

bool UsersHttp::start(QString *error)
{
    DaemonProcess::Options o = daemonOptions(extraSets);
    o.extraArgs << extraArgs;
    for (auto it = extraEnv.cbegin(); it != extraEnv.cend(); ++it)
        o.env.insert(it.key(), it.value());
    o.embeddedPostgres = embeddedPostgres;
    o.dataDir = dataDir;
    if (embeddedPostgres)
        o.startTimeoutMs = 120'000;
    if (!daemon.start(o)) {
        *error = daemon.errorString() + QString::fromUtf8(daemon.output().right(3000));
        return false;
    }
    const QString initial = daemon.initialAdminPassword();
    if (initial.isEmpty()) {
        *error = QStringLiteral("no initial admin line in: ") + QString::fromUtf8(daemon.output().right(3000));
        return false;
    }
    admin = {QStringLiteral("admin"), initial, login(QStringLiteral("admin"), initial)};
    auto changed = call("POST", QStringLiteral("/v1/auth/password"), admin.token,
                        json({{"currentPassword", initial}, {"newPassword", kAdminPassword}}));
    if (changed.status / 100 != 2) {
        *error = QStringLiteral("admin password change: %1 %2").arg(changed.status).arg(QString::fromUtf8(changed.body));
        return false;
    }
    admin.password = kAdminPassword;
    admin.token = login(QStringLiteral("admin"), kAdminPassword);
    if (admin.token.isEmpty()) {
        *error = QStringLiteral("admin login failed");
        return false;
    }
    return true;
}

HttpResult UsersHttp::call(const QByteArray &method, const QString &pathAndQuery, const QByteArray &token,
                           const QByteArray &body, QList<QPair<QByteArray, QByteArray>> headers)
{
    if (!token.isEmpty())
        headers.append({"Authorization", "Bearer " + token});
    return Community::Test::httpRequest(url(pathAndQuery), method, body, headers);
}

QByteArray UsersHttp::login(const QString &login, const QString &password)
{
    auto r = call("POST", QStringLiteral("/v1/auth/login"), {}, json({{"login", login}, {"password", password}}));
    return r.json().value(QStringLiteral("accessToken")).toString().toLatin1();
}

Account UsersHttp::registerUser(const QString &username)
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

bool UsersHttp::setRole(Account &a, const QString &role)
{
    auto r = call("PUT", QStringLiteral("/v1/admin/users/%1/role").arg(a.username), admin.token, json({{"role", role}}));
    if (r.status / 100 != 2) {
        qWarning() << "set role" << r.status << r.body;
        return false;
    }
    a.token = login(a.username, a.password);   // a fresh token carries the new role
    return !a.token.isEmpty();
}

QList<HttpResult> UsersHttp::parallelRequests(const QList<Request> &requests, int timeoutMs)
{
    QList<Community::Test::BatchRequest> batch;
    for (const Request &q : requests) {
        Community::Test::Headers headers = q.headers;
        if (!q.token.isEmpty())
            headers.prepend({"Authorization", "Bearer " + q.token});
        batch.append({q.method, url(q.path), q.body, headers});
    }
    return Community::Test::parallelRequests(batch, timeoutMs);
}

QList<HttpResult> UsersHttp::parallel(const QList<std::tuple<QByteArray, QString, QByteArray>> &requests)
{
    QList<Request> reqs;
    for (const auto &[method, path, token] : requests)
        reqs.append({method, path, token, {}});
    return parallelRequests(reqs, 30'000);
}

bool isProblem(const HttpResult &r, int status, const QString &slug)
{
    const auto problem = Community::Client::parseProblem(r.body);
    return r.status == status && r.header("content-type") == "application/problem+json" && problem
           && problem->type == QStringLiteral("https://community.example/problems/") + slug;
}

} // namespace Users::Test
