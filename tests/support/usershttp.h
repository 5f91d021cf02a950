// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Shared setup for the users HTTP tests (and, through ContentHttp and SearchHttp, the
// content and search ones): a real communityd with the real plugins (build/plugins), cheap
// password hashing and lifted rate limits (these tests are not about auth's brute-force
// protection), the first-start admin signed in, and helpers to register accounts and call
// routes with their tokens.

#include "daemonprocess.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>
#include <QtTest>

#include <tuple>

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
    /// More command-line arguments (`--config file`) and environment variables
    /// (COMMUNITY_A__B=...) for the daemon (before start(); kept by restart()).
    QStringList extraArgs;
    QHash<QString, QString> extraEnv;
    /// The daemon runs its own embedded cluster in `dataDir` (before start(); backup tests).
    bool embeddedPostgres = false;
    QString dataDir;

    /// The options start() uses: real plugins, cheap hashing, lifted limits, `sets`.
    static DaemonProcess::Options daemonOptions(const QStringList &sets);

    /// Starts the daemon and signs the admin in; false with `error` set on failure.
    bool start(QString *error);
    /// Starts `peer` as a second node on this daemon's database (same settings plus `sets`).
    bool startPeer(DaemonProcess &peer, const QStringList &sets, QString *error);

    static QByteArray json(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

    HttpResult call(const QByteArray &method, const QString &pathAndQuery, const QByteArray &token = {},
                    const QByteArray &body = {}, QList<QPair<QByteArray, QByteArray>> headers = {});

    QUrl url(const QString &pathAndQuery) const { return daemon.url(pathAndQuery); }

    /// /v1/users/search?q=... with q percent-encoded.
    static QString searchPath(const QString &q, const QString &extra = {})
    {
        return QStringLiteral("/v1/users/search?q=") + QString::fromLatin1(QUrl::toPercentEncoding(q)) + extra;
    }

    QByteArray login(const QString &login, const QString &password);

    /// Registers and signs in a new account; empty token on failure.
    Account registerUser(const QString &username);

    bool setRole(Account &a, const QString &role);

    /// One request of a parallel batch.
    struct Request {
        QByteArray method;
        QString path;
        QByteArray token;
        QByteArray body;                                   ///< JSON; empty: no body
        QList<QPair<QByteArray, QByteArray>> headers = {};
    };

    /// Sends all requests at once over separate connections; results in order.
    QList<HttpResult> parallelRequests(const QList<Request> &requests, int timeoutMs = 60'000);

    /// Bodiless requests (method, path, token) at once.
    QList<HttpResult> parallel(const QList<std::tuple<QByteArray, QString, QByteArray>> &requests);
};

/// The problem+json checks every error answer must pass.
bool isProblem(const HttpResult &r, int status, const QString &slug);

} // namespace Users::Test
