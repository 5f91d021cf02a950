// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// One request to communityd's HTTP API and its answer, as plain values.
/// Threading: plain values, safe to copy between threads.

#include "community/client/problem.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <chrono>
#include <optional>

namespace Community::Client {

using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

struct ApiRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    /// Percent-encoded path relative to the base URL ("/v1/users/a%2Fb"); build variable
    /// segments with ApiClient::pathSegment(). A "?..." suffix is taken as an encoded query.
    QString path;
    QUrlQuery query;
    QByteArray body;          ///< sent as is; non-empty without a Content-Type header: JSON
    RawHeaders headers;       ///< extra headers; they replace the defaults of the same name
    std::optional<std::chrono::milliseconds> timeout; ///< default: the client's
    /// Follow same-or-safer redirects (Qt's NoLessSafeRedirectPolicy); false: a 3xx is the answer.
    bool followRedirects = true;

    /// A request with @p body as compact JSON.
    static ApiRequest withJson(QByteArray method, QString path, const QJsonObject &body);
};

struct ApiReply
{
    enum class Outcome {
        Ok,          ///< the server answered 2xx
        HttpError,   ///< the server answered with another status
        Unreachable, ///< no HTTP answer: refused, DNS, TLS, timeout, ...
        Cancelled,   ///< the caller cancelled the request
    };

    Outcome outcome = Outcome::Unreachable;
    int status = 0;
    QString reasonPhrase;
    QByteArray body;
    RawHeaders headers;     ///< as received
    QString transportError; ///< set when Unreachable or Cancelled
    bool timedOut = false;  ///< Unreachable because the per-request timeout expired
    QUrl url;               ///< the URL that was requested

    bool ok() const { return outcome == Outcome::Ok; }
    /// The body as a JSON object, or nullopt when it is not one.
    std::optional<QJsonObject> jsonObject() const;
    /// The first header named @p name (case-insensitive), empty if absent.
    QByteArray header(const QByteArray &name) const;
    /// The body as a problem document, when it is one.
    std::optional<Problem> problem() const { return parseProblem(body); }
    /// Why the call failed, as an error value (only meaningful when !ok()).
    ApiError error() const;
};

} // namespace Community::Client
