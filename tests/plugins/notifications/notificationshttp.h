// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Shared setup for the notifications HTTP tests: the content harness (real auth, users,
// content and notifications plugins over real HTTP) plus inbox helpers that wait for the
// asynchronous projection.

#include "contenthttp.h"

#include <QElapsedTimer>
#include <QThread>

namespace Notifications::Test {

using Content::Test::Account;
using Content::Test::ContentHttp;
using Content::Test::HttpResult;
using Content::Test::isProblem;

class NotificationsHttp : public ContentHttp {
public:
    /// The account's user id (GET /v1/users/me).
    QString userId(const Account &a)
    {
        return call("GET", QStringLiteral("/v1/users/me"), a.token).json().value("id").toString();
    }
    QJsonObject unread(const Account &a)
    {
        return call("GET", QStringLiteral("/v1/notifications/unread"), a.token).json();
    }
    QJsonArray inbox(const Account &a, const QString &query = {})
    {
        auto r = call("GET", QStringLiteral("/v1/notifications") + query, a.token);
        if (r.status != 200)
            qWarning() << "inbox" << r.status << r.body;
        return r.json().value("items").toArray();
    }
    /// Polls until `pred` holds for the account's inbox (the projection is asynchronous).
    bool waitInbox(const Account &a, const std::function<bool(const QJsonArray &)> &pred, int timeoutMs = 10'000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (pred(inbox(a)))
                return true;
            QThread::msleep(50);
        }
        qWarning() << "inbox now" << inbox(a);
        return false;
    }
    /// Waits until the bus consumer has caught up (lag 0), so "nothing happened" is checkable.
    bool waitIdle(int timeoutMs = 10'000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            const auto r = daemon.operatorRequest("GET", QStringLiteral("/v1/system/events/consumers"));
            for (const QJsonValue &v : r.json().value("consumers").toArray())
                if (v.toObject().value("consumer").toString() == QLatin1String("notifications.inbox")
                    && v.toObject().value("lag").toInteger() == 0)
                    return true;
            QThread::msleep(50);
        }
        return false;
    }
    /// A community "talk" of `owner` with one post "Hello"; the post's id (empty on failure).
    QString talkPost(const Account &owner)
    {
        if (createCommunity(owner, QStringLiteral("talk")).isEmpty())
            return {};
        return createPost(owner, QStringLiteral("talk"), QStringLiteral("Hello")).value("id").toString();
    }
    /// Starts the daemon with `sets` and a worker that polls every 100 ms.
    bool startWith(const QStringList &sets, QString *error)
    {
        extraSets << sets << QStringLiteral("plugins.notifications.delivery.pollMs=100");
        return start(error);
    }
    /// Email through a loopback SMTP server without TLS (tests only). These tests count
    /// notification mails: registration sends no verification mail here (auth's mails
    /// through this mailer: tst_notificationsauthmail).
    static QStringList emailSets(const QString &smtpUrl)
    {
        return {QStringLiteral("plugins.notifications.email.smtpUrl=") + smtpUrl, QStringLiteral("plugins.notifications.email.tls=none"),
                QStringLiteral("plugins.auth.verifyEmailOnRegister=false"),
                QStringLiteral("plugins.notifications.email.from=notify@forum.test"),
                QStringLiteral("plugins.notifications.email.publicBaseUrl=https://forum.test")};
    }
    static QJsonObject byKind(const QJsonArray &items, const QString &kind)
    {
        for (const QJsonValue &v : items)
            if (v.toObject().value("kind").toString() == kind)
                return v.toObject();
        return {};
    }
};

} // namespace Notifications::Test
