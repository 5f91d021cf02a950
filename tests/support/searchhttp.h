// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Shared setup for the search HTTP tests: the content harness (contenthttp.h: real auth,
// users, content and search plugins over real HTTP) plus helpers to search, suggest and
// wait until the search.index consumer has caught up with the outbox.

#include "contenthttp.h"

#include <QElapsedTimer>
#include <QUrl>

namespace Search::Test {

using Community::Test::HttpResult;
using Content::Test::Account;
using Content::Test::ContentHttp;
using Content::Test::isProblem;

class SearchHttp : public ContentHttp {
public:
    static QString enc(const QString &s) { return QString::fromLatin1(QUrl::toPercentEncoding(s)); }

    /// GET /v1/search?q=...&extra (extra: "&type=post&..." already encoded).
    HttpResult search(const QString &q, const QString &extra = {}, const QByteArray &token = {})
    {
        return call("GET", QStringLiteral("/v1/search?q=") + enc(q) + extra, token);
    }

    HttpResult suggest(const QString &q, const QString &extra = {})
    {
        return call("GET", QStringLiteral("/v1/search/suggest?q=") + enc(q) + extra);
    }

    /// The ids of a search answer's items, in order ("post:12", "comment:3", ...).
    static QStringList keys(const HttpResult &r)
    {
        QStringList out;
        for (const QJsonValue &v : r.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject o = v.toObject();
            out << o.value(QStringLiteral("kind")).toString() + QLatin1Char(':') + o.value(QStringLiteral("id")).toString();
        }
        return out;
    }

    /// The newest outbox id (what the index has to reach).
    qint64 outboxHead() { return scalar("SELECT coalesce(max(id), 0) FROM events.outbox"); }

    QJsonObject status() { return daemon.operatorRequest("GET", QStringLiteral("/v1/search/status")).json(); }

    /// Waits until the search.index consumer's offset reaches `eventId` (default: the
    /// outbox head now). False on timeout.
    bool waitIndexed(qint64 eventId = -1, int timeoutMs = 15'000)
    {
        const qint64 target = eventId >= 0 ? eventId : outboxHead();
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (qint64(status().value(QStringLiteral("lastId")).toDouble()) >= target)
                return true;
            QTest::qWait(20);
        }
        qWarning() << "search index did not reach event" << target << status();
        return false;
    }
};

} // namespace Search::Test
