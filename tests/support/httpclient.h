// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Synchronous HTTP for cross-process tests, on the shared client library
/// (Community::Client::BlockingClient and, for batches, the asynchronous ApiClient).
/// Each call uses its own connection, as a separate client would.

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QUrl>

namespace Community::Client {
struct ApiReply;
}

namespace Community::Test {

using Headers = QList<QPair<QByteArray, QByteArray>>;

struct HttpResult {
    int status = 0;                               ///< 0 when no answer
    Headers headers;                              ///< as received
    QByteArray body;
    QString error;                                ///< "timeout" or the transport error
    QByteArray header(const QByteArray &name) const;
    QJsonObject json() const;

    static HttpResult fromReply(const Client::ApiReply &reply);
};

/// One request; blocks (with a local event loop) up to timeoutMs. followRedirects false: a
/// 3xx is the answer (recorded as such for tst_responseschemas).
HttpResult httpRequest(const QUrl &url, const QByteArray &method = "GET", const QByteArray &body = {},
                       const Headers &headers = {}, int timeoutMs = 10'000, bool followRedirects = true);

/// One request of a parallel batch (parallelRequests).
struct BatchRequest {
    QByteArray method;
    QUrl url;
    QByteArray body;   ///< JSON; empty: no body
    Headers headers = {};
};

/// Sends all requests at once over separate connections; results in order.
QList<HttpResult> parallelRequests(const QList<BatchRequest> &requests, int timeoutMs = 60'000);

} // namespace Community::Test
