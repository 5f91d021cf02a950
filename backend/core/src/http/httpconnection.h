// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// One HTTP/1.1 connection of HttpServer (private to core).
/// Threading: lives on its io thread together with its socket; only deliver handles
/// (ConnectionHandle) are touched from other threads.

#include "community/host/httpserver.h"

#include <QBasicTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>

#include <http_parser.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

class QSocketNotifier;
class QThread;

namespace Community::Http::Internal {

class HttpConnection;

/// State shared by the server and all its connections, on every io thread.
struct ServerShared {
    HttpServerConfig config;
    Handler handler;
    std::function<void(const HttpRequest &, HttpResponse &)> errorObserver;   ///< may add headers
    std::function<QWebSocketServer *(const HttpRequest &)> wsRouter;
    std::function<std::optional<HttpResponse>(const HttpRequest &)> wsGate;
    std::function<void(Refusal)> refusalObserver;
    BodySpooler spooler;
    std::function<std::optional<HttpResponse>(const HttpRequest &)> bodyGate;

    std::atomic_int inFlight{0};
    std::atomic_int connections{0};
    /// Connections not yet closing: idle, receiving a request, or waiting for its answer.
    /// A drain is over when this and inFlight are both zero.
    std::atomic_int active{0};
    std::atomic_bool stopping{false};
    std::atomic_bool destroying{false};
    std::atomic_bool drainedEmitted{false};

    /// Receives the drained notification on the server's thread.
    QObject *serverContext = nullptr;
    std::function<void()> emitDrained;

    /// Every live connection, so stopListening() can reach them on their threads.
    std::mutex registryMutex;
    QSet<HttpConnection *> registry;

    /// Open connections per client address group (maxConnectionsPerIp; addressGroup()).
    std::mutex perIpMutex;
    QHash<QString, int> perIp;

    void requestFinished();   ///< inFlight--, drained check
    void connectionInactive(); ///< active--, drained check
    void checkDrained();
    void refused(Refusal why);
    /// Takes a connection slot for `address`; false if it holds maxConnectionsPerIp already.
    bool acquireAddress(const QHostAddress &address);
    void releaseAddress(const QHostAddress &address);
};

/// Lets a Responder reach its connection from any thread, also after it is gone.
struct ConnectionHandle {
    std::mutex mutex;
    HttpConnection *conn = nullptr;   ///< nulled by the connection's destructor
    QThread *thread = nullptr;        ///< the connection's thread (immutable)
};

class HttpConnection : public QObject {
    Q_OBJECT
public:
    /// Owns one slot of `peer` in the per-address count (given back on destruction).
    HttpConnection(std::shared_ptr<ServerShared> shared, const QHostAddress &peer, quint16 peerPort,
                   QObject *parent);
    ~HttpConnection() override;

    /// Takes over an accepted descriptor; false if the socket could not be set up.
    bool start(qintptr descriptor);

    /// Called (on this thread) when the server stops listening.
    void serverStopping();
    /// Called (on this thread) when the drain budget is spent: a request still being
    /// received is answered 503 with Connection: close.
    void abortIncomplete();

    /// Writes the response to request `generation` (on this thread).
    void deliver(quint64 generation, HttpResponse &&response);

    /// Hands a response to the connection behind `handle`, from any thread; dropped if
    /// the connection is gone.
    static void deliverTo(const std::shared_ptr<ConnectionHandle> &handle, quint64 generation,
                          HttpResponse &&response);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    enum class Phase { Idle, Head, Body, Pending, Closing, Gone };
    enum class Deadline { None, Idle, Header, Body, Linger, Send };

    static int onMessageBegin(http_parser *p);
    static int onUrl(http_parser *p, const char *at, size_t len);
    static int onHeaderField(http_parser *p, const char *at, size_t len);
    static int onHeaderValue(http_parser *p, const char *at, size_t len);
    static int onHeadersComplete(http_parser *p);
    static int onBody(http_parser *p, const char *at, size_t len);
    static int onMessageComplete(http_parser *p);
    static const http_parser_settings &settings();

    void onReadable();
    void onWritable();
    void sendRaw(const char *data, qsizetype size);
    void updateReadNotifier();
    void closeFd();
    void process();
    void handleParseError();
    void dispatch();
    void upgrade();
    void finishHeaderPair();
    void resetRequest();
    void writeResponse(HttpResponse &response, bool &close);
    /// After a response's bytes are handed over: the next request, or closing.
    void finishResponse(bool close);
    /// Writes the due part of a body sent in parts (a file, or HttpResponse::Shaping);
    /// ends it when all is out.
    void paceBody();
    /// Sends up to `due` bytes of the file body from where it stands; false when the
    /// connection ended (the peer went away or the file was short).
    bool sendFromFile(qint64 due);
    void endShapedBody();
    void answerError(int status, const char *slug, const char *title, const char *detail);
    /// Sends a gate's refusal (WebSocket or body gate) with Connection: close.
    void answerRefusal(HttpResponse &refusal);
    /// The body gate's answer for this request's head (null: read the body).
    std::optional<HttpResponse> checkBodyGate();
    void closeAfterWrite();
    void shutdownWrite();
    void arm(Deadline kind, qint64 deadlineMs);
    qint64 bodyDeadline() const;
    void bodyTimerFired();
    void teardown();
    void becomeInactive();
    bool validateHead(http_parser *p);
    bool openSpool();
    bool spoolWrite(const char *at, size_t len);
    void closeSpool();
    std::shared_ptr<ServerShared> m_shared;
    std::shared_ptr<ConnectionHandle> m_handle;
    int m_fd = -1;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_out;          ///< response bytes the kernel did not take yet
    qsizetype m_readLimit = 0; ///< most unparsed input buffered (pipelining bound)
    http_parser m_parser;

    QByteArray m_buf;           ///< bytes read from the socket, parsed up to m_off
    qsizetype m_off = 0;
    qsizetype m_reqStart = 0;   ///< start of the current request head within m_buf

    HttpRequest m_req;
    HttpRequest m_blankRequest;   ///< what m_req is reset to before each request
    QByteArray m_field;
    QByteArray m_value;
    bool m_lastWasValue = false;
    bool m_messageDone = false;
    bool m_upgrade = false;
    bool m_isHead = false;
    bool m_pending = false;     ///< counted in inFlight
    bool m_inProcess = false;
    int m_errorStatus = 0;      ///< set by a callback before returning -1
    std::optional<HttpResponse> m_gateRefusal;   ///< the body gate refused the request before its body
    const char *m_errorDetail = nullptr;   ///< with m_errorStatus 400/431/501
    bool m_badFieldName = false;   ///< whitespace in a field name (RFC 9112 5.1)
    bool m_active = true;       ///< counted in ServerShared::active
    qint64 m_bodyLimit = 0;     ///< this request's body limit (server's, or the spooler's)
    qint64 m_bodyReceived = 0;  ///< body bytes of this request so far (buffered or spooled)
    int m_spoolFd = -1;         ///< temporary file of a streamed body (m_req.spooled)
    quint64 m_generation = 0;

    Phase m_phase = Phase::Idle;
    qint64 m_headStartMs = 0;
    qint64 m_bodyStartMs = 0;

    QBasicTimer m_timer;
    Deadline m_deadlineKind = Deadline::None;
    qint64 m_deadlineMs = 0;
    qint64 m_timerFireMs = 0;

    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;

    /// A response body written in parts: a file (sendfile whenever the socket takes more),
    /// or the fault layer's shaping (paced by a timer, then completed, cut short (FIN) or
    /// cut by a reset (RST)).
    struct ShapedBody {
        enum class End { Complete, Truncate, Reset };
        QByteArray body;          ///< the bytes to send (already cut where the body ends)
        std::shared_ptr<const FileBody> file;   ///< or these, from the file's offset
        qint64 total = 0;         ///< bytes to send (where the body is cut)
        qint64 sent = 0;
        qint64 bytesPerSecond = 0;
        std::shared_ptr<const std::atomic_bool> pacing;
        qint64 startMs = 0;
        qint64 resetDeadlineMs = 0;   ///< 0 until the body is out; then the wait for acks ends
        End end = End::Complete;
        bool close = false;
    };
    std::unique_ptr<ShapedBody> m_shaped;
    QBasicTimer m_paceTimer;
};

} // namespace Community::Http::Internal
