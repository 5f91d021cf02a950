// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// HTTP request/response values and the Responder handle that answers a request
/// asynchronously. Threading: HttpRequest/HttpResponse are values. A Responder may be
/// copied to and used from any thread; the first send() wins, later ones are ignored.
/// If the client has gone when send() runs, the response is dropped safely.

#include "community/principal.h"
#include "community/result.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <atomic>
#include <functional>
#include <memory>

namespace Community::Http {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/// A client network (address, prefix length), as QHostAddress::parseSubnet() gives it.
using Subnet = QPair<QHostAddress, int>;

/// True if `address` lies in one of `networks` (an IPv4-mapped IPv6 address counts as
/// its IPv4 form).
bool inNetworks(const QHostAddress &address, const QList<Subnet> &networks);

/// The key that per-address limits count a client under (connections, rate limits, login
/// lockout): an IPv4 address (IPv4-mapped included) as itself, an IPv6 address by its /64
/// network ("2001:db8:1:2::/64") — the smallest allocation one subscriber gets, so a host
/// cannot step around a limit by rotating through its own /64.
QString addressGroup(const QHostAddress &address);

/// A request body the server streamed to a temporary file while it arrived (routes that
/// declare RouteOptions::streamBody). The file is removed when the last reference goes,
/// unless release() was called after the handler moved it elsewhere (e.g. rename()).
/// Threading: a value shared between threads; release() once, by whoever keeps the file.
class SpooledBody {
public:
    SpooledBody(QString path, qint64 size) : m_path(std::move(path)), m_size(size) {}
    ~SpooledBody();
    SpooledBody(const SpooledBody &) = delete;
    SpooledBody &operator=(const SpooledBody &) = delete;

    QString path() const { return m_path; }
    qint64 size() const { return m_size; }
    /// The file is no longer ours to remove (it was renamed or removed by the caller).
    void release() { m_released = true; }
    /// Set by the server once the whole body is in the file.
    void setSize(qint64 size) { m_size = size; }

private:
    QString m_path;
    qint64 m_size = 0;
    bool m_released = false;
};

/// A response body sent from an open file (downloads): the connection writes `length`
/// bytes from `offset` with sendfile(2), a slice whenever the socket takes more, so the
/// file is never read into memory. Owns the descriptor (closed with the last reference).
/// Opening happens on a worker; the I/O thread only sends. The file should not change
/// while it is sent (content-addressed blobs never do); a file that turns out shorter
/// than `length` ends the connection (the client sees a short body, never wrong bytes).
class FileBody {
public:
    /// Opens `path` read-only; null when it cannot be opened or [offset, offset+length)
    /// is not inside the file.
    static std::shared_ptr<FileBody> open(const QString &path, qint64 offset, qint64 length);
    FileBody(int fd, qint64 offset, qint64 length) : m_fd(fd), m_offset(offset), m_length(length) {}
    ~FileBody();
    FileBody(const FileBody &) = delete;
    FileBody &operator=(const FileBody &) = delete;

    int descriptor() const { return m_fd; }
    qint64 offset() const { return m_offset; }
    qint64 length() const { return m_length; }

private:
    int m_fd = -1;
    qint64 m_offset = 0;
    qint64 m_length = 0;
};

struct HttpRequest {
    QByteArray method;            ///< upper case: GET, POST, ...
    QByteArray target;            ///< raw request target: /v1/x?y=1
    QString path;                 ///< decoded path without query
    QUrlQuery query;
    HeaderList headers;           ///< names lower-cased, in arrival order
    QByteArray body;
    /// Set instead of `body` for routes that stream their body to a file (body stays empty).
    std::shared_ptr<SpooledBody> spooled;
    int httpMajor = 1;
    int httpMinor = 1;
    bool keepAlive = true;        ///< after Connection header and HTTP version rules
    /// The client: the TCP peer, or, when that peer is a trusted proxy
    /// (http.trustedProxies), the client X-Forwarded-For names (see forwardedClient()).
    QHostAddress peerAddress;
    quint16 peerPort = 0;         ///< the TCP peer's port
    /// The trusted proxy the request came through (null for a direct connection).
    QHostAddress proxyAddress;

    // Filled in by the pipeline:
    QString requestId;            ///< X-Request-Id (accepted or generated)
    QString traceParent;          ///< W3C traceparent to propagate
    QString route;                ///< matched route pattern, e.g. /v1/users/{name}
    QHash<QString, QString> pathParams;
    QElapsedTimer timer;          ///< started when the request was complete
    Principal principal;          ///< set by the gateway's authentication step

    /// First header value with that (lower-case) name, or a null QByteArray.
    QByteArray header(QByteArrayView lowerName) const;
    bool hasHeader(QByteArrayView lowerName) const { return !header(lowerName).isNull(); }
    /// The address of the TCP connection (the proxy's when there is one).
    QHostAddress socketAddress() const { return proxyAddress.isNull() ? peerAddress : proxyAddress; }
};

/// The client of a request whose TCP peer is a trusted proxy: the X-Forwarded-For lists
/// (every such header, in order) read from the right, skipping the addresses in `trusted`;
/// the first other address is the client. A malformed entry ends the walk and the hop
/// that appended it is taken (nothing to the left of it can be believed). `peer` when the
/// header is absent. Entries may carry a port ("192.0.2.1:4711", "[2001:db8::1]:4711").
QHostAddress forwardedClient(const QHostAddress &peer, const HttpRequest &request, const QList<Subnet> &trusted);

struct HttpResponse {
    int status = 200;
    HeaderList headers;           ///< names as they should be written
    QByteArray body;
    /// Set instead of `body` for a body sent from a file (`body` stays empty).
    std::shared_ptr<const FileBody> file;

    /// How the connection writes the body: the fault layer's hook (docs/chaos.md); handlers
    /// leave it alone. Content-Length always announces the whole body.
    struct Shaping {
        /// > 0: the body leaves in timer-paced slices at this rate (the event loop never
        /// waits). When `pacing` is set and turns false, the rest goes at once.
        qint64 bytesPerSecond = 0;
        std::shared_ptr<const std::atomic_bool> pacing;
        /// >= 0: after this many body bytes the connection is reset (RST, SO_LINGER 0).
        qint64 resetAfterBodyBytes = -1;
        /// >= 0: after this many body bytes the connection is closed (FIN): a short body.
        qint64 truncateAfterBodyBytes = -1;
    } shaping;

    void setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;  ///< case-insensitive
    /// The body's length, whichever form it has.
    qint64 bodyLength() const { return file ? file->length() : qint64(body.size()); }

    static HttpResponse json(int status, const QJsonDocument &doc);
    static HttpResponse json(int status, const QJsonObject &obj);
    static HttpResponse text(int status, const QByteArray &body,
                             const QByteArray &contentType = "text/plain; charset=utf-8");
    static HttpResponse empty(int status);
};

/// Standard reason phrase for a status code ("Not Found").
QByteArray reasonPhrase(int status);

/// Answers one request, exactly once, from any thread.
class Responder {
public:
    using Deliver = std::function<void(HttpResponse &&)>;
    using Finalizer = std::function<void(HttpResponse &)>;

    Responder() = default;
    /// `deliver` hands the finished response to the connection; the connection
    /// side must make it safe to call from any thread and after the client left.
    explicit Responder(Deliver deliver);

    /// Runs the finalizers (last added first) and delivers. Returns false if
    /// this request was already answered.
    bool send(HttpResponse response) const;
    bool isAnswered() const;

    /// Adds a step that sees (and may change) the response before it is delivered,
    /// e.g. access logging, metrics, CORS headers. Call before handing the Responder on.
    void addFinalizer(Finalizer f) const;

    bool isValid() const { return bool(d); }

private:
    struct State;
    std::shared_ptr<State> d;
};

using Handler = std::function<void(HttpRequest &, const Responder &)>;

} // namespace Community::Http
