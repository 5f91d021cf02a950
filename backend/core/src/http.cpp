// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/http.h"

#include <QByteArrayList>
#include <QFile>
#include <QJsonObject>

#include <atomic>
#include <mutex>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Community::Http {

namespace {

/// "192.0.2.1", "192.0.2.1:4711", "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:4711";
/// a null address for anything else (names, "unknown", obfuscated identifiers).
QHostAddress parseForwardedEntry(QByteArrayView entry)
{
    entry = entry.trimmed();
    if (entry.startsWith('[')) {
        const qsizetype close = entry.indexOf(']');
        if (close < 0)
            return {};
        const QByteArrayView rest = entry.sliced(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(':'))
            return {};
        entry = entry.sliced(1, close - 1);
    } else if (entry.count(':') == 1) {
        entry = entry.first(entry.indexOf(':'));   // IPv4 with a port
    }
    QHostAddress a;
    if (entry.isEmpty() || entry.size() > 45 || !a.setAddress(QString::fromLatin1(entry)))
        return {};
    if (bool v4 = false; a.protocol() == QAbstractSocket::IPv6Protocol) {
        const quint32 ip4 = a.toIPv4Address(&v4);
        if (v4)
            a = QHostAddress(ip4);
    }
    return a;
}

} // namespace

bool inNetworks(const QHostAddress &address, const QList<Subnet> &networks)
{
    if (networks.isEmpty())
        return false;
    QHostAddress a = address;
    bool v4 = false;
    const quint32 ip4 = address.toIPv4Address(&v4);
    if (v4 && address.protocol() == QAbstractSocket::IPv6Protocol)
        a = QHostAddress(ip4);
    for (const Subnet &n : networks) {
        if (a.isInSubnet(n))
            return true;
    }
    return false;
}

QString addressGroup(const QHostAddress &address)
{
    bool v4 = false;
    const quint32 ip4 = address.toIPv4Address(&v4);
    if (v4)
        return QHostAddress(ip4).toString();
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return address.toString();
    Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        bytes[i] = 0;
    return QHostAddress(bytes).toString() + QStringLiteral("/64");
}

QHostAddress forwardedClient(const QHostAddress &peer, const HttpRequest &request, const QList<Subnet> &trusted)
{
    QByteArrayList hops;
    for (const auto &[name, value] : request.headers) {
        if (name == "x-forwarded-for")
            hops += value.split(',');
    }
    QHostAddress client = peer;
    constexpr int maxHops = 32;   // a longer chain is not believed past this many proxies
    for (qsizetype i = hops.size() - 1, seen = 0; i >= 0 && seen < maxHops; --i, ++seen) {
        const QHostAddress hop = parseForwardedEntry(hops[i]);
        if (hop.isNull())
            break;
        client = hop;
        if (!inNetworks(hop, trusted))
            break;
    }
    return client;
}

SpooledBody::~SpooledBody()
{
    if (!m_released && !m_path.isEmpty())
        QFile::remove(m_path);
}

std::shared_ptr<FileBody> FileBody::open(const QString &path, qint64 offset, qint64 length)
{
    if (offset < 0 || length < 0)
        return {};
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || offset > st.st_size || length > st.st_size - offset) {
        ::close(fd);
        return {};
    }
    return std::make_shared<FileBody>(fd, offset, length);
}

FileBody::~FileBody()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QByteArray HttpRequest::header(QByteArrayView lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.emplaceBack(name, value);
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

HttpResponse HttpResponse::json(int status, const QJsonDocument &doc)
{
    HttpResponse r;
    r.status = status;
    r.headers.emplaceBack("Content-Type", "application/json");
    r.body = doc.toJson(QJsonDocument::Compact);
    return r;
}

HttpResponse HttpResponse::json(int status, const QJsonObject &obj)
{
    return json(status, QJsonDocument(obj));
}

HttpResponse HttpResponse::text(int status, const QByteArray &body, const QByteArray &contentType)
{
    HttpResponse r;
    r.status = status;
    r.headers.emplaceBack("Content-Type", contentType);
    r.body = body;
    return r;
}

HttpResponse HttpResponse::empty(int status)
{
    HttpResponse r;
    r.status = status;
    return r;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

struct Responder::State {
    Deliver deliver;
    std::atomic_bool answered{false};
    std::mutex mutex;
    std::vector<Finalizer> finalizers;
};

Responder::Responder(Deliver deliver)
    : d(std::make_shared<State>())
{
    d->deliver = std::move(deliver);
}

bool Responder::send(HttpResponse response) const
{
    if (!d || d->answered.exchange(true))
        return false;
    std::vector<Finalizer> finalizers;
    {
        std::lock_guard lock(d->mutex);
        finalizers.swap(d->finalizers);
    }
    for (auto it = finalizers.rbegin(); it != finalizers.rend(); ++it)
        (*it)(response);
    if (d->deliver)
        d->deliver(std::move(response));
    return true;
}

bool Responder::isAnswered() const
{
    return d && d->answered.load();
}

void Responder::addFinalizer(Finalizer f) const
{
    if (!d)
        return;
    std::lock_guard lock(d->mutex);
    d->finalizers.push_back(std::move(f));
}

} // namespace Community::Http
