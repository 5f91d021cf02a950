// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "http/httpconnection.h"

#include "community/problem.h"

#include <QDir>
#include <QFile>
#include <QMetaObject>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QThread>
#include <QTimerEvent>
#include <QUrl>
#include <QWebSocketServer>

#include <charconv>
#include <chrono>
#include <climits>
#include <utility>

#include <cerrno>

#include <fcntl.h>
#include <linux/sockios.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Community::Http::Internal {

namespace {

qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void appendNumber(QByteArray &out, qint64 value)
{
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr - buf);
}

bool equalsLower(const QByteArray &name, QByteArrayView lower)
{
    return QByteArrayView(name).compare(lower, Qt::CaseInsensitive) == 0;
}

// Time given to a closing connection to take our last bytes and hang up.
constexpr int kMaxLingerMs = 5000;

// A paced body is written in slices this far apart (the rate decides their size).
constexpr int kPaceIntervalMs = 50;
// Before a reset, what was sent gets this long to be acknowledged (the RST would drop it).
constexpr int kResetFlushMs = 2000;
/// The most one sendfile(2) call is asked for (the socket's buffer takes less anyway).
constexpr qint64 kFileSliceBytes = qint64(1) << 20;
constexpr int kResetPollMs = 5;

// Obsolete line folding (RFC 9112 5.2): a header line that starts with a space or a tab.
// `head` starts at the request line; the scan stops at the empty line that ends the head.
bool hasObsFold(QByteArrayView head)
{
    while (!head.isEmpty() && (head.front() == '\r' || head.front() == '\n'))
        head = head.sliced(1);   // empty lines before the request line are tolerated
    qsizetype i = head.indexOf('\n');
    while (i >= 0 && i + 1 < head.size()) {
        const char c = head.at(i + 1);
        if (c == ' ' || c == '\t')
            return true;
        if (c == '\r' || c == '\n')
            return false;
        i = head.indexOf('\n', i + 1);
    }
    return false;
}

} // namespace

// ---------------------------------------------------------------------------------------
// ServerShared

void ServerShared::requestFinished()
{
    if (inFlight.fetch_sub(1) == 1 && stopping.load())
        checkDrained();
}

void ServerShared::connectionInactive()
{
    if (active.fetch_sub(1) == 1 && stopping.load())
        checkDrained();
}

void ServerShared::refused(Refusal why)
{
    if (refusalObserver) {
        try {
            refusalObserver(why);
        } catch (...) {
        }
    }
}

bool ServerShared::acquireAddress(const QHostAddress &address)
{
    if (inNetworks(address, config.trustedProxies))
        return true;   // a proxy carries many clients; they are counted by the limits behind it
    const QString group = addressGroup(address);
    std::lock_guard lock(perIpMutex);
    int &count = perIp[group];
    if (config.maxConnectionsPerIp > 0 && count >= config.maxConnectionsPerIp) {
        if (count == 0)
            perIp.remove(group);
        return false;
    }
    ++count;
    return true;
}

void ServerShared::releaseAddress(const QHostAddress &address)
{
    if (inNetworks(address, config.trustedProxies))
        return;
    const QString group = addressGroup(address);
    std::lock_guard lock(perIpMutex);
    auto it = perIp.find(group);
    if (it == perIp.end())
        return;
    if (--*it <= 0)
        perIp.erase(it);
}

void ServerShared::checkDrained()
{
    if (destroying.load() || !stopping.load() || inFlight.load() != 0 || active.load() != 0)
        return;
    if (drainedEmitted.exchange(true))
        return;
    // Always queued: a slot on drained() may well delete the server, which must not
    // happen under a connection's feet.
    QMetaObject::invokeMethod(serverContext, [f = emitDrained] { f(); }, Qt::QueuedConnection);
}

// ---------------------------------------------------------------------------------------
// HttpConnection

HttpConnection::HttpConnection(std::shared_ptr<ServerShared> shared, const QHostAddress &peer,
                               quint16 peerPort, QObject *parent)
    : QObject(parent)
    , m_shared(std::move(shared))
    , m_handle(std::make_shared<ConnectionHandle>())
    , m_peerAddress(peer)
    , m_peerPort(peerPort)
{
    m_handle->conn = this;
    m_handle->thread = thread();
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    std::lock_guard lock(m_shared->registryMutex);
    m_shared->registry.insert(this);
}

HttpConnection::~HttpConnection()
{
    {
        std::lock_guard lock(m_handle->mutex);
        m_handle->conn = nullptr;
    }
    {
        std::lock_guard lock(m_shared->registryMutex);
        m_shared->registry.remove(this);
    }
    if (m_pending) {
        m_pending = false;
        m_shared->requestFinished();
    }
    becomeInactive();
    m_shared->releaseAddress(m_peerAddress);
    m_shared->connections.fetch_sub(1);
    closeFd();
}

void HttpConnection::becomeInactive()
{
    if (!m_active)
        return;
    m_active = false;
    m_shared->connectionInactive();
}

void HttpConnection::closeFd()
{
    closeSpool();
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

bool HttpConnection::start(qintptr descriptor)
{
    // Plain HTTP works on the descriptor directly (one recv per readiness, one send per
    // response); a QTcpSocket is only made for a WebSocket hand-over.
    const int fd = int(descriptor);
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return false;
    m_fd = fd;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const auto &cfg = m_shared->config;
    // Bounds what a client can pile up (pipelining) while a response is pending.
    m_readLimit = qsizetype(cfg.maxHeaderBytes + cfg.maxBodyBytes + 64 * 1024);
    m_blankRequest.peerAddress = m_peerAddress;
    m_blankRequest.peerPort = m_peerPort;
    m_readNotifier = new QSocketNotifier(qintptr(fd), QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &HttpConnection::onReadable);
    // Until the first byte arrives, a new connection gets the shorter of both timeouts.
    arm(Deadline::Idle, nowMs() + qMin(cfg.idleTimeoutMs, cfg.headerTimeoutMs));
    if (m_shared->stopping.load())
        serverStopping();   // accepted just before the listener closed
    return true;
}

const http_parser_settings &HttpConnection::settings()
{
    static const http_parser_settings s = [] {
        http_parser_settings st;
        http_parser_settings_init(&st);
        st.on_message_begin = &HttpConnection::onMessageBegin;
        st.on_url = &HttpConnection::onUrl;
        st.on_header_field = &HttpConnection::onHeaderField;
        st.on_header_value = &HttpConnection::onHeaderValue;
        st.on_headers_complete = &HttpConnection::onHeadersComplete;
        st.on_body = &HttpConnection::onBody;
        st.on_message_complete = &HttpConnection::onMessageComplete;
        return st;
    }();
    return s;
}

// --- parser callbacks: 0 = go on, -1 = error (never other values, see DESIGN.md) ---

int HttpConnection::onMessageBegin(http_parser *)
{
    return 0;
}

int HttpConnection::onUrl(http_parser *p, const char *at, size_t len)
{
    auto *self = static_cast<HttpConnection *>(p->data);
    self->m_req.target.append(at, qsizetype(len));
    return 0;
}

int HttpConnection::onHeaderField(http_parser *p, const char *at, size_t len)
{
    auto *self = static_cast<HttpConnection *>(p->data);
    if (self->m_lastWasValue)
        self->finishHeaderPair();
    if (self->m_field.isEmpty() && self->m_req.headers.size() >= self->m_shared->config.maxHeaderCount) {
        self->m_errorStatus = 431;
        self->m_errorDetail = "The request has more header fields than the configured limit.";
        return -1;
    }
    self->m_field.append(at, qsizetype(len));
    return 0;
}

int HttpConnection::onHeaderValue(http_parser *p, const char *at, size_t len)
{
    auto *self = static_cast<HttpConnection *>(p->data);
    self->m_value.append(at, qsizetype(len));
    self->m_lastWasValue = true;
    return 0;
}

void HttpConnection::finishHeaderPair()
{
    if (m_field.isEmpty() && !m_lastWasValue)
        return;
    char *c = m_field.data();
    for (qsizetype i = 0, n = m_field.size(); i < n; ++i) {
        if (c[i] >= 'A' && c[i] <= 'Z')
            c[i] = char(c[i] + ('a' - 'A'));
        else if (c[i] == ' ' || c[i] == '\t')
            m_badFieldName = true;   // the lenient parser lets spaces into names
    }
    m_req.headers.append({std::move(m_field), std::move(m_value)});
    m_field = QByteArray();
    m_value = QByteArray();
    m_lastWasValue = false;
}

int HttpConnection::onHeadersComplete(http_parser *p)
{
    auto *self = static_cast<HttpConnection *>(p->data);
    self->finishHeaderPair();
    self->m_phase = Phase::Body;
    HttpRequest &r = self->m_req;
    const char *method = http_method_str(http_method(p->method));
    r.method = QByteArray::fromRawData(method, qsizetype(qstrlen(method)));
    r.httpMajor = p->http_major;
    r.httpMinor = p->http_minor;
    r.keepAlive = http_should_keep_alive(p) != 0;
    r.peerAddress = self->m_peerAddress;
    r.peerPort = self->m_peerPort;
    self->m_isHead = p->method == HTTP_HEAD;
    self->m_bodyStartMs = nowMs();
    if (r.httpMajor != 1) {
        self->m_errorStatus = 505;
        return -1;
    }
    if (!self->validateHead(p))
        return -1;
    if (const auto &proxies = self->m_shared->config.trustedProxies; inNetworks(r.peerAddress, proxies)) {
        const QHostAddress client = forwardedClient(r.peerAddress, r, proxies);
        if (client != r.peerAddress) {
            r.proxyAddress = r.peerAddress;
            r.peerAddress = client;
        }
    }

    // Path (percent-decoded) and query from the target; absolute-form is tolerated.
    QByteArrayView pathPart;
    QByteArrayView queryPart;
    const QByteArrayView target(r.target);
    if (target.startsWith('/')) {
        const qsizetype q = r.target.indexOf('?');
        pathPart = q < 0 ? target : target.first(q);
        if (q >= 0)
            queryPart = target.sliced(q + 1);
    } else {
        http_parser_url u;
        http_parser_url_init(&u);
        if (http_parser_parse_url(target.data(), size_t(target.size()), 0, &u) == 0) {
            if (u.field_set & (1 << UF_PATH))
                pathPart = target.sliced(u.field_data[UF_PATH].off, u.field_data[UF_PATH].len);
            if (u.field_set & (1 << UF_QUERY))
                queryPart = target.sliced(u.field_data[UF_QUERY].off, u.field_data[UF_QUERY].len);
        } else {
            pathPart = target;   // "*" and friends; the router will not match them
        }
    }
    r.path = pathPart.contains('%') ? QUrl::fromPercentEncoding(pathPart.toByteArray())
                                    : QString::fromUtf8(pathPart);
    if (!queryPart.isEmpty())
        r.query = QUrlQuery(QString::fromUtf8(queryPart));

    const auto &cfg = self->m_shared->config;
    if (r.headers.size() > cfg.maxHeaderCount) {
        self->m_errorStatus = 431;
        self->m_errorDetail = "The request has more header fields than the configured limit.";
        return -1;
    }
    const bool chunked = p->flags & F_CHUNKED;
    const bool hasLength = (p->flags & F_CONTENTLENGTH) && p->content_length != ULLONG_MAX;
    const qint64 spoolLimit = self->m_shared->spooler ? self->m_shared->spooler(r) : -1;
    self->m_bodyLimit = spoolLimit >= 0 ? spoolLimit : cfg.maxBodyBytes;
    self->m_bodyReceived = 0;
    if (!chunked && hasLength && p->content_length > quint64(self->m_bodyLimit)) {
        // Answered before reading (or asking for) the body.
        self->m_errorStatus = 413;
        return -1;
    }
    const bool hasBody = chunked || (hasLength && p->content_length > 0);
    if (hasBody && spoolLimit >= 0 && (self->m_gateRefusal = self->checkBodyGate()))
        return -1;   // refused from its head: nothing of the body is read or stored
    if (hasBody && spoolLimit >= 0) {
        if (!self->openSpool())
            return -1;
    } else if (hasLength && p->content_length > 0) {
        r.body.reserve(qsizetype(p->content_length));
    }

    if (p->method == HTTP_GET) {
        const QByteArray up = r.header("upgrade");
        if (!up.isEmpty() && up.toLower().contains("websocket"))
            self->m_upgrade = true;
    }

    if (hasBody && (r.httpMajor > 1 || r.httpMinor >= 1)) {
        const QByteArray expect = r.header("expect");
        if (!expect.isNull() && equalsLower(expect.trimmed(), "100-continue")) {
            static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
            self->sendRaw(cont, qsizetype(sizeof cont - 1));
        }
    }
    return 0;
}

// What RFC 9112 asks a server to refuse and the lenient http-parser lets through.
bool HttpConnection::validateHead(http_parser *p)
{
    auto bad = [this](int status, const char *detail) {
        m_errorStatus = status;
        m_errorDetail = detail;
        return false;
    };
    if (m_badFieldName)
        return bad(400, "Whitespace is not allowed in a header field name or before its colon.");
    if (hasObsFold(QByteArrayView(m_buf).sliced(m_reqStart)))
        return bad(400, "Obsolete line folding is not allowed in request headers.");
    int hosts = 0;
    QByteArrayList codings;
    for (const auto &h : std::as_const(m_req.headers)) {
        if (h.first == "host") {
            ++hosts;
        } else if (h.first == "transfer-encoding") {
            for (const QByteArray &c : h.second.split(',')) {
                const QByteArray t = c.trimmed().toLower();
                if (!t.isEmpty())
                    codings.append(t);
            }
        }
    }
    if (hosts > 1)
        return bad(400, "A request must not carry more than one Host header.");
    if (hosts == 0 && p->http_major == 1 && p->http_minor >= 1)
        return bad(400, "An HTTP/1.1 request must carry a Host header.");
    if (!codings.isEmpty()) {
        if (p->http_major == 1 && p->http_minor == 0)
            return bad(400, "Transfer-Encoding is not allowed in an HTTP/1.0 request.");
        for (const QByteArray &c : std::as_const(codings)) {
            if (c != "chunked")
                return bad(501, "Only the chunked transfer coding is supported.");
        }
        if (codings.size() > 1)
            return bad(400, "The chunked transfer coding must be applied only once.");
    }
    return true;
}

int HttpConnection::onBody(http_parser *p, const char *at, size_t len)
{
    auto *self = static_cast<HttpConnection *>(p->data);
    if (self->m_bodyReceived + qint64(len) > self->m_bodyLimit) {
        self->m_errorStatus = 413;
        return -1;
    }
    self->m_bodyReceived += qint64(len);
    if (self->m_spoolFd >= 0)
        return self->spoolWrite(at, len) ? 0 : -1;
    self->m_req.body.append(at, qsizetype(len));
    return 0;
}

// A streamed body goes to a file of its own in the spool directory (mode 0600), owned by
// m_req.spooled from the start, so that it is removed whatever ends the request.
bool HttpConnection::openSpool()
{
    QString dir = m_shared->config.spoolDirectory;
    if (dir.isEmpty())
        dir = QDir::tempPath();
    QByteArray name = QFile::encodeName(dir) + "/body-XXXXXX";
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) {
        m_errorStatus = 507;
        return false;
    }
    m_spoolFd = fd;
    m_req.spooled = std::make_shared<SpooledBody>(QFile::decodeName(name), 0);
    return true;
}

bool HttpConnection::spoolWrite(const char *at, size_t len)
{
    while (len > 0) {
        const ssize_t n = ::write(m_spoolFd, at, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            m_errorStatus = 507;   // disk full or failing: the file goes with the request
            return false;
        }
        at += n;
        len -= size_t(n);
    }
    return true;
}

void HttpConnection::closeSpool()
{
    if (m_spoolFd >= 0) {
        ::close(m_spoolFd);
        m_spoolFd = -1;
    }
}

int HttpConnection::onMessageComplete(http_parser *p)
{
    auto *self = static_cast<HttpConnection *>(p->data);
    self->m_req.timer.start();
    self->m_messageDone = true;
    if (self->m_spoolFd >= 0) {
        self->closeSpool();
        self->m_req.spooled->setSize(self->m_bodyReceived);
    }
    // One request at a time: the rest stays buffered until this one is answered.
    http_parser_pause(p, 1);
    return 0;
}

// --- I/O ---

void HttpConnection::onReadable()
{
    if (m_fd < 0 || m_phase == Phase::Gone)
        return;
    constexpr qsizetype kChunk = 16 * 1024;
    if (m_phase == Phase::Closing) {
        // Drain so that closing does not turn into a reset that loses our response.
        char sink[4096];
        const ssize_t n = ::recv(m_fd, sink, sizeof sink, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            teardown();
        return;
    }
    if (m_off >= m_buf.size() && m_phase != Phase::Head) {
        m_buf.resize(0);   // keeps the capacity: no allocation per request
        m_off = 0;
        m_reqStart = 0;
    }
    const qsizetype old = m_buf.size();
    const qsizetype room = qMin<qsizetype>(kChunk, m_readLimit - (old - m_off));
    if (room <= 0) {
        updateReadNotifier();
        return;
    }
    m_buf.resize(old + room);
    const ssize_t n = ::recv(m_fd, m_buf.data() + old, size_t(room), 0);
    if (n <= 0) {
        m_buf.resize(old);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        teardown();   // EOF or error: the peer is gone (a pending response is dropped)
        return;
    }
    m_buf.resize(old + qsizetype(n));
    if (m_phase == Phase::Pending) {
        updateReadNotifier();   // stays buffered until the pending response is written
        return;
    }
    process();
}

void HttpConnection::updateReadNotifier()
{
    if (!m_readNotifier)
        return;
    const bool want = m_phase == Phase::Closing || (m_buf.size() - m_off) < m_readLimit;
    if (m_readNotifier->isEnabled() != want)
        m_readNotifier->setEnabled(want);
}

void HttpConnection::sendRaw(const char *data, qsizetype size)
{
    if (m_fd < 0 || size <= 0)
        return;
    if (m_out.isEmpty()) {
        for (;;) {
            const ssize_t n = ::send(m_fd, data, size_t(size), MSG_NOSIGNAL);
            if (n >= 0) {
                data += n;
                size -= qsizetype(n);
                if (size == 0)
                    return;
                continue;
            }
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            // Peer gone: like a socket error, the connection ends (asynchronously, so
            // that callers up the stack keep a valid object).
            m_out.clear();
            m_phase = Phase::Gone;
            becomeInactive();
            m_timer.stop();
            if (m_readNotifier)
                m_readNotifier->setEnabled(false);
            deleteLater();
            return;
        }
    }
    m_out.append(data, size);
    if (!m_writeNotifier) {
        m_writeNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Write, this);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &HttpConnection::onWritable);
    }
    m_writeNotifier->setEnabled(true);
}

void HttpConnection::onWritable()
{
    if (m_fd < 0)
        return;
    while (!m_out.isEmpty()) {
        const ssize_t n = ::send(m_fd, m_out.constData(), size_t(m_out.size()), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            m_out.clear();
            teardown();
            return;
        }
        m_out.remove(0, qsizetype(n));
    }
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    if (m_phase == Phase::Closing)
        shutdownWrite();
    else if (m_shaped && m_shaped->file && m_shaped->sent < m_shaped->total)
        paceBody();   // a file body waits for the socket, not for the pace timer
}

void HttpConnection::teardown()
{
    if (m_phase == Phase::Gone)
        return;
    m_phase = Phase::Gone;
    becomeInactive();
    m_timer.stop();
    m_paceTimer.stop();
    closeFd();
    deleteLater();
}

void HttpConnection::resetRequest()
{
    // Whole-value reset from a per-connection blank, so that fields added to HttpRequest
    // later (e.g. the authenticated principal) never leak into the next request on a
    // keep-alive connection. Copying the blank shares its peer address: no allocation.
    closeSpool();
    m_req = m_blankRequest;   // drops a streamed body's file unless a handler kept it
    m_bodyReceived = 0;
    m_field.clear();
    m_value.clear();
    m_lastWasValue = false;
    m_messageDone = false;
    m_upgrade = false;
    m_isHead = false;
    m_errorStatus = 0;
    m_errorDetail = nullptr;
    m_gateRefusal.reset();
    m_badFieldName = false;
}

void HttpConnection::process()
{
    if (m_inProcess || m_fd < 0)
        return;
    m_inProcess = true;
    const qint64 maxHead = m_shared->config.maxHeaderBytes;

    for (;;) {
        if (m_phase != Phase::Idle && m_phase != Phase::Head && m_phase != Phase::Body)
            break;
        if (m_off >= m_buf.size()) {
            if (m_phase == Phase::Head && m_reqStart > 0) {
                m_buf.remove(0, m_reqStart);   // keep the raw head (WebSocket hand-over)
                m_off -= m_reqStart;
                m_reqStart = 0;
            } else if (m_phase != Phase::Head) {
                m_buf.resize(0);
                m_off = 0;
                m_reqStart = 0;
            }
            break;   // more arrives through onReadable()
        }
        if (m_phase == Phase::Idle) {
            resetRequest();
            m_phase = Phase::Head;
            m_reqStart = m_off;
            m_headStartMs = nowMs();
        }
        qsizetype len = m_buf.size() - m_off;
        if (m_phase == Phase::Head) {
            const qint64 allowed = maxHead - (m_off - m_reqStart);
            if (allowed <= 0) {
                answerError(431, "header-fields-too-large", "Request Header Fields Too Large",
                            "The request line and headers exceed the configured limit.");
                break;
            }
            len = qsizetype(qMin<qint64>(len, allowed));
        }
        const size_t n = http_parser_execute(&m_parser, &settings(), m_buf.constData() + m_off,
                                             size_t(len));
        m_off += qsizetype(n);
        const auto err = HTTP_PARSER_ERRNO(&m_parser);
        if (err == HPE_PAUSED && m_messageDone) {
            if (m_upgrade) {
                upgrade();
                break;
            }
            dispatch();   // may answer synchronously; then the loop goes on with the next one
            continue;
        }
        if (err != HPE_OK) {
            handleParseError();
            break;
        }
        if (m_phase == Phase::Head && (m_off - m_reqStart) >= maxHead) {
            answerError(431, "header-fields-too-large", "Request Header Fields Too Large",
                        "The request line and headers exceed the configured limit.");
            break;
        }
    }
    m_inProcess = false;
    updateReadNotifier();

    const auto &cfg = m_shared->config;
    switch (m_phase) {
    case Phase::Idle:
        if (m_shared->stopping.load()) {
            closeAfterWrite();
        } else {
            arm(Deadline::Idle, nowMs() + cfg.idleTimeoutMs);
        }
        break;
    case Phase::Head:
        arm(Deadline::Header, m_headStartMs + cfg.headerTimeoutMs);
        break;
    case Phase::Body:
        // Overall and rate deadlines from the end of the head: a trickle of bytes moves
        // the rate deadline a little, never past bodyTimeoutMs.
        arm(Deadline::Body, bodyDeadline());
        break;
    case Phase::Pending:
        // A body going out in parts keeps its send deadline (a handler may have answered
        // synchronously inside the loop above).
        if (m_deadlineKind != Deadline::Send)
            arm(Deadline::None, 0);
        break;
    case Phase::Closing:
    case Phase::Gone:
        break;
    }
}

void HttpConnection::handleParseError()
{
    const auto err = HTTP_PARSER_ERRNO(&m_parser);
    if (m_gateRefusal) {
        HttpResponse refusal = *std::exchange(m_gateRefusal, std::nullopt);
        answerRefusal(refusal);
    } else if (m_errorStatus == 431 && m_errorDetail) {
        m_shared->refused(Refusal::TooManyHeaders);
        answerError(431, "header-fields-too-large", "Request Header Fields Too Large", m_errorDetail);
    } else if (m_errorStatus == 400 && m_errorDetail) {
        answerError(400, "bad-request", "Bad Request", m_errorDetail);
    } else if (m_errorStatus == 501) {
        answerError(501, "not-implemented", "Not Implemented",
                    m_errorDetail ? m_errorDetail : "The request needs a feature this server does not implement.");
    } else if (m_errorStatus == 413) {
        answerError(413, "payload-too-large", "Content Too Large",
                    "The request body exceeds the configured limit.");
    } else if (m_errorStatus == 507) {
        answerError(507, "insufficient-storage", "Insufficient Storage",
                    "The server could not store the request body.");
    } else if (m_errorStatus == 505) {
        answerError(505, "http-version-not-supported", "HTTP Version Not Supported",
                    "Only HTTP/1.0 and HTTP/1.1 are supported.");
    } else if (err == HPE_HEADER_OVERFLOW) {
        answerError(431, "header-fields-too-large", "Request Header Fields Too Large",
                    "The request line and headers exceed the configured limit.");
    } else if (QByteArrayView(m_buf).sliced(m_reqStart).startsWith("PRI * HTTP/2")) {
        answerError(505, "http-version-not-supported", "HTTP Version Not Supported",
                    "HTTP/2 is not supported on this port; use HTTP/1.1.");
    } else {
        answerError(400, "bad-request", "Bad Request", http_errno_description(err));
    }
}

void HttpConnection::dispatch()
{
    m_phase = Phase::Pending;
    m_pending = true;
    m_shared->inFlight.fetch_add(1);
    const quint64 generation = ++m_generation;

    // Answers 500 should every copy of the Responder be dropped unanswered, so that a
    // buggy handler cannot wedge the connection (and inFlight) forever.
    struct Guard {
        std::shared_ptr<ConnectionHandle> handle;
        quint64 generation = 0;
        bool delivered = false;
        ~Guard()
        {
            if (!delivered) {
                qWarning("HttpServer: a handler dropped its Responder without answering");
                deliverTo(handle, generation,
                          problem(500, QStringLiteral("internal-error"),
                                  QStringLiteral("Internal Server Error")));
            }
        }
    };
    auto guard = std::make_shared<Guard>();
    guard->handle = m_handle;
    guard->generation = generation;
    Responder responder([guard](HttpResponse &&response) {
        guard->delivered = true;   // Responder::send runs this at most once
        deliverTo(guard->handle, guard->generation, std::move(response));
    });
    if (!m_shared->handler) {
        responder.send(problem(404, QStringLiteral("not-found"), QStringLiteral("Not Found")));
        return;
    }
    try {
        m_shared->handler(m_req, responder);
    } catch (...) {
        responder.send(problem(500, QStringLiteral("internal-error"),
                               QStringLiteral("Internal Server Error")));
    }
}

void HttpConnection::deliverTo(const std::shared_ptr<ConnectionHandle> &handle, quint64 generation,
                               HttpResponse &&response)
{
    if (QThread::currentThread() == handle->thread) {
        // Only this thread destroys the connection, so no lock is needed here.
        if (HttpConnection *conn = handle->conn)
            conn->deliver(generation, std::move(response));
        return;
    }
    std::lock_guard lock(handle->mutex);
    if (!handle->conn)
        return;   // client gone: drop
    // Posting under the lock: the connection cannot finish destruction meanwhile, and
    // ~QObject discards the event should it go away before the event runs.
    QMetaObject::invokeMethod(
        handle->conn,
        [handle, generation, response = std::move(response)]() mutable {
            if (HttpConnection *conn = handle->conn)
                conn->deliver(generation, std::move(response));
        },
        Qt::QueuedConnection);
}

void HttpConnection::deliver(quint64 generation, HttpResponse &&response)
{
    if (generation != m_generation || m_phase != Phase::Pending || m_fd < 0 || m_shaped)
        return;
    bool close = !m_req.keepAlive || m_shared->stopping.load();
    m_req.spooled.reset();   // gone before the client sees the answer, not at the next request
    writeResponse(response, close);
    if (m_shaped) {
        // The request stays in flight (and the parser paused) until its body is out.
        m_shaped->close = close;
        paceBody();
        return;
    }
    finishResponse(close);
}

void HttpConnection::finishResponse(bool close)
{
    m_pending = false;
    m_shared->requestFinished();
    if (m_phase == Phase::Gone)
        return;
    if (close) {
        closeAfterWrite();
        return;
    }
    m_phase = Phase::Idle;
    http_parser_pause(&m_parser, 0);
    if (!m_inProcess)
        process();
}

void HttpConnection::writeResponse(HttpResponse &response, bool &close)
{
    const int status = response.status;
    const bool noBody = status < 200 || status == 204 || status == 304;

    qsizetype size = 96;
    for (const auto &h : response.headers) {
        size += h.first.size() + h.second.size() + 4;
        if (equalsLower(h.first, "connection") && h.second.toLower().contains("close"))
            close = true;
    }
    const bool sendBody = !noBody && !m_isHead;

    // Shaping (fault injection): the head announces the whole body; the connection then
    // sends what the shaping lets through, paced or not, and ends as it says. A file body
    // always goes in parts, as the socket takes it.
    const HttpResponse::Shaping &shape = response.shaping;
    const qint64 length = response.bodyLength();
    auto end = ShapedBody::End::Complete;
    qint64 cut = sendBody ? length : 0;
    if (shape.resetAfterBodyBytes >= 0) {
        end = ShapedBody::End::Reset;
        cut = qMin<qint64>(cut, shape.resetAfterBodyBytes);
    } else if (sendBody && shape.truncateAfterBodyBytes >= 0 && shape.truncateAfterBodyBytes < cut) {
        end = ShapedBody::End::Truncate;
        cut = shape.truncateAfterBodyBytes;
    }
    const bool fromFile = sendBody && response.file && cut > 0;
    const bool shaped = end != ShapedBody::End::Complete || fromFile
        || (sendBody && shape.bytesPerSecond > 0 && cut > 0);
    if (sendBody && !shaped)
        size += response.body.size();

    QByteArray out;
    out.reserve(size);
    out.append("HTTP/1.1 ");
    appendNumber(out, status);
    out.append(' ');
    out.append(reasonPhrase(status));
    out.append("\r\n");
    for (const auto &h : response.headers) {
        if (equalsLower(h.first, "content-length") || equalsLower(h.first, "connection")
            || equalsLower(h.first, "transfer-encoding"))
            continue;
        out.append(h.first);
        out.append(": ");
        out.append(h.second);
        out.append("\r\n");
    }
    if (!noBody) {
        out.append("Content-Length: ");
        appendNumber(out, length);
        out.append("\r\n");
    }
    if (close)
        out.append("Connection: close\r\n");
    else if (m_req.httpMajor == 1 && m_req.httpMinor == 0)
        out.append("Connection: keep-alive\r\n");
    out.append("\r\n");
    if (sendBody && !shaped)
        out.append(response.body);
    sendRaw(out.constData(), out.size());
    if (shaped) {
        m_shaped = std::make_unique<ShapedBody>();
        if (fromFile)
            m_shaped->file = response.file;
        else
            m_shaped->body = response.body.first(qsizetype(cut));
        m_shaped->total = cut;
        m_shaped->bytesPerSecond = shape.bytesPerSecond;
        m_shaped->pacing = shape.pacing;
        m_shaped->startMs = nowMs();
        m_shaped->end = end;
    }
}

void HttpConnection::paceBody()
{
    if (!m_shaped || m_fd < 0 || m_phase == Phase::Gone)
        return;
    ShapedBody &s = *m_shaped;
    const qint64 total = s.total;
    const bool paced = s.bytesPerSecond > 0 && (!s.pacing || s.pacing->load(std::memory_order_relaxed));
    // Only when the kernel took everything so far: a client that does not read gets no
    // pile-up in m_out, and the pace follows what actually left.
    if (s.sent < total && m_out.isEmpty()) {
        qint64 due = total - s.sent;
        if (paced) {
            const qint64 allowed = qMin<qint64>(total, s.bytesPerSecond * (nowMs() - s.startMs) / 1000);
            due = qMax<qint64>(0, allowed - s.sent);
        }
        if (due > 0) {
            if (s.file) {
                if (!sendFromFile(due))
                    return;
            } else {
                const qint64 from = s.sent;
                s.sent += due;
                sendRaw(s.body.constData() + from, qsizetype(due));
                if (m_phase == Phase::Gone)
                    return;   // the peer went away; the connection is being deleted
            }
        }
    }
    if (s.sent < total) {
        // Paced, or bytes waiting for m_out to drain: the timer comes back. A file body
        // waits for the socket: onWritable() comes back, and a client that stops reading
        // meets the send deadline.
        if (paced || !s.file) {
            if (!m_paceTimer.isActive())
                m_paceTimer.start(kPaceIntervalMs, Qt::PreciseTimer, this);
        } else {
            arm(Deadline::Send, nowMs() + m_shared->config.idleTimeoutMs);
        }
        return;
    }
    m_paceTimer.stop();
    if (m_deadlineKind == Deadline::Send)
        m_deadlineKind = Deadline::None;
    endShapedBody();
}

bool HttpConnection::sendFromFile(qint64 due)
{
    ShapedBody &s = *m_shaped;
    const int in = s.file->descriptor();
    while (due > 0) {
        off_t at = off_t(s.file->offset() + s.sent);
        const ssize_t n = ::sendfile(m_fd, in, &at, size_t(qMin<qint64>(due, kFileSliceBytes)));
        if (n > 0) {
            s.sent += n;
            due -= n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!m_writeNotifier) {
                m_writeNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Write, this);
                connect(m_writeNotifier, &QSocketNotifier::activated, this, &HttpConnection::onWritable);
            }
            m_writeNotifier->setEnabled(true);
            return true;
        }
        // The peer went away (EPIPE, ECONNRESET), a read error, or the file is shorter
        // than announced (n == 0): the connection can only end.
        m_shaped.reset();
        teardown();
        return false;
    }
    return true;
}

void HttpConnection::endShapedBody()
{
    ShapedBody &s = *m_shaped;
    switch (s.end) {
    case ShapedBody::End::Complete: {
        const bool close = s.close;
        m_shaped.reset();
        finishResponse(close);
        return;
    }
    case ShapedBody::End::Truncate:
        // A body shorter than its Content-Length: the connection can only end.
        m_shaped.reset();
        finishResponse(true);
        return;
    case ShapedBody::End::Reset: {
        // What was sent must reach the peer first: a reset drops unsent and unacknowledged
        // bytes, and the client is to see part of the body, then the reset.
        if (s.resetDeadlineMs == 0)
            s.resetDeadlineMs = nowMs() + kResetFlushMs;
        int unacked = 0;
        const bool inFlight = !m_out.isEmpty() || (::ioctl(m_fd, SIOCOUTQ, &unacked) == 0 && unacked > 0);
        if (inFlight && nowMs() < s.resetDeadlineMs) {
            m_paceTimer.start(kResetPollMs, Qt::PreciseTimer, this);
            return;
        }
        const linger hard{1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        m_shaped.reset();
        m_out.clear();
        m_pending = false;
        m_shared->requestFinished();
        teardown();   // close() with SO_LINGER 0: the peer gets an RST
        return;
    }
    }
}

void HttpConnection::answerError(int status, const char *slug, const char *title, const char *detail)
{
    HttpResponse r = problem(status, QString::fromLatin1(slug), QString::fromLatin1(title),
                             QString::fromLatin1(detail));
    if (m_req.peerAddress.isNull()) {
        m_req.peerAddress = m_peerAddress;
        m_req.peerPort = m_peerPort;
    }
    if (m_shared->errorObserver) {
        try {
            m_shared->errorObserver(m_req, r);
        } catch (...) {
        }
    }
    bool close = true;
    m_isHead = false;
    closeSpool();
    m_req.spooled.reset();   // a body cut off (limit, timeout, disk) leaves no file behind
    writeResponse(r, close);
    closeAfterWrite();
}

void HttpConnection::answerRefusal(HttpResponse &refusal)
{
    if (m_shared->errorObserver) {
        try {
            m_shared->errorObserver(m_req, refusal);
        } catch (...) {
        }
    }
    bool close = true;
    m_isHead = false;
    writeResponse(refusal, close);
    closeAfterWrite();
}

std::optional<HttpResponse> HttpConnection::checkBodyGate()
{
    if (!m_shared->bodyGate)
        return std::nullopt;
    try {
        return m_shared->bodyGate(m_req);
    } catch (...) {
        return problem(500, QStringLiteral("internal"), QStringLiteral("Internal Server Error"),
                       QStringLiteral("The request could not be checked."));
    }
}

void HttpConnection::closeAfterWrite()
{
    if (m_phase == Phase::Closing || m_phase == Phase::Gone || m_fd < 0)
        return;
    m_phase = Phase::Closing;
    becomeInactive();
    m_buf.clear();
    m_off = m_reqStart = 0;
    if (m_readNotifier)
        m_readNotifier->setEnabled(true);
    arm(Deadline::Linger, nowMs() + qMin(m_shared->config.idleTimeoutMs, kMaxLingerMs));
    if (m_out.isEmpty())
        shutdownWrite();   // otherwise onWritable() does it once the queue is out
}

void HttpConnection::shutdownWrite()
{
    // Half-close and wait for the peer's EOF (or the linger deadline): closing with
    // unread input would send a reset that can destroy the response in flight.
    if (m_fd >= 0)
        ::shutdown(m_fd, SHUT_WR);
}

void HttpConnection::serverStopping()
{
    if (m_phase != Phase::Idle || m_off < m_buf.size() || m_fd < 0)
        return;
    int pending = 0;
    if (::ioctl(m_fd, FIONREAD, &pending) == 0 && pending == 0)
        closeAfterWrite();
}

void HttpConnection::abortIncomplete()
{
    if (m_fd < 0)
        return;
    bool answer = m_phase == Phase::Head || m_phase == Phase::Body;
    if (m_phase == Phase::Idle) {
        int pending = 0;
        answer = m_off < m_buf.size() || (::ioctl(m_fd, FIONREAD, &pending) == 0 && pending > 0);
        if (!answer) {
            closeAfterWrite();
            return;
        }
        resetRequest();
    }
    if (!answer)
        return;   // with its handler (Pending), or already closing
    m_shared->refused(Refusal::Draining);
    answerError(503, "shutting-down", "Service Unavailable",
                "The server is shutting down and did not receive the whole request in time; retry it.");
}

// --- timeouts: one lazily re-armed timer per connection ---

void HttpConnection::arm(Deadline kind, qint64 deadlineMs)
{
    m_deadlineKind = kind;
    m_deadlineMs = deadlineMs;
    if (kind == Deadline::None)
        return;   // a running timer finds nothing to do and stops
    if (!m_timer.isActive() || deadlineMs < m_timerFireMs) {
        const qint64 delay = qMax<qint64>(0, deadlineMs - nowMs());
        m_timer.start(int(qMin<qint64>(delay, INT_MAX)), Qt::CoarseTimer, this);
        m_timerFireMs = deadlineMs;
    }
}

void HttpConnection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_paceTimer.timerId()) {
        if (m_shaped && m_shaped->sent >= m_shaped->total) {
            m_paceTimer.stop();
            endShapedBody();   // a reset waiting for its bytes to be acknowledged
        } else {
            paceBody();
        }
        return;
    }
    if (event->timerId() != m_timer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    if (m_deadlineKind == Deadline::None) {
        m_timer.stop();
        return;
    }
    const qint64 now = nowMs();
    if (now < m_deadlineMs) {
        m_timer.start(int(m_deadlineMs - now), Qt::CoarseTimer, this);
        m_timerFireMs = m_deadlineMs;
        return;
    }
    m_timer.stop();
    const Deadline kind = m_deadlineKind;
    m_deadlineKind = Deadline::None;
    switch (kind) {
    case Deadline::Idle:
        if (m_phase == Phase::Idle && m_fd >= 0) {
            m_phase = Phase::Closing;
            teardown();
        }
        break;
    case Deadline::Header:
        if (m_phase == Phase::Head) {
            m_shared->refused(Refusal::HeaderTimeout);
            answerError(408, "request-timeout", "Request Timeout",
                        "The request head was not received in time.");
        }
        break;
    case Deadline::Body:
        if (m_phase == Phase::Body)
            bodyTimerFired();
        break;
    case Deadline::Linger:
        teardown();
        break;
    case Deadline::Send:
        // A client that took nothing of a body for the idle timeout: it is not reading.
        if (m_shaped && m_phase != Phase::Gone) {
            m_shaped.reset();
            teardown();
        }
        break;
    case Deadline::None:
        break;
    }
}

qint64 HttpConnection::bodyDeadline() const
{
    const auto &cfg = m_shared->config;
    const qint64 overall = m_bodyStartMs + cfg.bodyTimeoutMs;
    if (cfg.minBodyBytesPerSecond <= 0)
        return overall;
    // When the average since the head falls to the minimum should nothing more arrive.
    const qint64 received = m_bodyReceived;
    const qint64 slowAt = (received * 1000 + cfg.minBodyBytesPerSecond - 1) / cfg.minBodyBytesPerSecond;
    return qMin(overall, m_bodyStartMs + qMax<qint64>(cfg.bodyRateGraceMs, slowAt));
}

void HttpConnection::bodyTimerFired()
{
    const auto &cfg = m_shared->config;
    const qint64 now = nowMs();
    const qint64 elapsed = now - m_bodyStartMs;
    if (elapsed >= cfg.bodyTimeoutMs) {
        m_shared->refused(Refusal::BodyTimeout);
        answerError(408, "request-timeout", "Request Timeout",
                    "The request body was not received in time.");
        return;
    }
    if (cfg.minBodyBytesPerSecond > 0 && elapsed >= cfg.bodyRateGraceMs
        && m_bodyReceived * 1000 <= cfg.minBodyBytesPerSecond * elapsed) {
        m_shared->refused(Refusal::BodyTooSlow);
        answerError(408, "request-timeout", "Request Timeout",
                    "The request body arrived too slowly.");
        return;
    }
    arm(Deadline::Body, qMax(bodyDeadline(), now + 1));
}

// --- WebSocket hand-over ---

void HttpConnection::upgrade()
{
    QWebSocketServer *ws = nullptr;
    if (m_shared->wsRouter) {
        try {
            ws = m_shared->wsRouter(m_req);
        } catch (...) {
            ws = nullptr;
        }
    }
    if (!ws) {
        answerError(404, "not-found", "Not Found", "No WebSocket service at this path.");
        return;
    }
    if (m_shared->wsGate) {
        std::optional<HttpResponse> refusal;
        try {
            refusal = m_shared->wsGate(m_req);
        } catch (...) {
            refusal = problem(500, QStringLiteral("internal"), QStringLiteral("Internal Server Error"),
                              QStringLiteral("The upgrade could not be checked."));
        }
        if (refusal) {
            answerRefusal(*refusal);
            return;
        }
    }
    // QWebSocketServer re-reads the handshake from the socket: give back every byte of
    // this request (and whatever followed it) in front of what the socket still holds.
    const QByteArray raw = m_buf.sliced(m_reqStart);
    m_buf.clear();
    m_off = m_reqStart = 0;
    // The descriptor goes to a QTcpSocket (our notifiers first, so that the socket's own
    // are the only ones on it); bytes not yet sent are queued in front of anything else.
    const int fd = m_fd;
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    m_fd = -1;
    m_phase = Phase::Gone;
    becomeInactive();
    m_timer.stop();
    auto *socket = new QTcpSocket;
    if (!socket->setSocketDescriptor(fd)) {
        delete socket;
        ::close(fd);
        deleteLater();
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (!m_out.isEmpty()) {
        socket->write(m_out);
        m_out.clear();
    }
    for (qsizetype i = raw.size(); i-- > 0;)
        socket->ungetChar(raw.at(i));

    // Parented to the WebSocket server like the sockets of its own listener, so that a
    // socket still in its handshake dies with the server instead of leaking.
    QThread *target = ws->thread();
    if (target == QThread::currentThread()) {
        socket->setParent(ws);
        ws->handleConnection(socket);
    } else {
        socket->moveToThread(target);
        QMetaObject::invokeMethod(
            ws,
            [ws, socket] {
                socket->setParent(ws);
                ws->handleConnection(socket);
            },
            Qt::QueuedConnection);
    }
    deleteLater();
}

} // namespace Community::Http::Internal
