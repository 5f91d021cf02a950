// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// A blocking raw HTTP/1.1 client for the HTTP server tests: bytes exactly as written,
// responses parsed just enough to check them. Runs on a helper thread (runClient) while
// the test's thread serves.

#include "community/http.h"

#include <QDeadlineTimer>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <future>
#include <optional>

namespace Community::Http::Test {

using namespace std::chrono_literals;

struct Response {
    int status = 0;
    HeaderList headers;   // names lower-cased
    QByteArray body;
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers)
            if (h.first == name)
                return h.second;
        return {};
    }
};

/// Blocking raw HTTP client for a helper thread (the server runs on the test's thread).
class Client {
public:
    /// `source`: a loopback address to connect from (127.0.0.x), 0 = any.
    explicit Client(quint16 port, quint32 source = 0)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (source) {
            sockaddr_in s{};
            s.sin_family = AF_INET;
            s.sin_addr.s_addr = htonl(source);
            ::bind(m_fd, reinterpret_cast<sockaddr *>(&s), sizeof s);
        }
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
        setTimeout(5000);
    }
    ~Client()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    bool connected() const { return m_connected; }
    int descriptor() const { return m_fd; }
    void setTimeout(int ms)
    {
        timeval tv{ms / 1000, (ms % 1000) * 1000};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    bool send(QByteArrayView data)
    {
        qsizetype off = 0;
        while (off < data.size()) {
            const ssize_t n = ::send(m_fd, data.data() + off, size_t(data.size() - off), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            off += n;
        }
        return true;
    }
    /// > 0 bytes read, 0 EOF, < 0 error or timeout
    ssize_t fill()
    {
        char tmp[65536];
        const ssize_t n = ::recv(m_fd, tmp, sizeof tmp, 0);
        if (n > 0)
            buf.append(tmp, n);
        return n;
    }
    std::optional<Response> read(bool head = false)
    {
        qsizetype end;
        while ((end = buf.indexOf("\r\n\r\n")) < 0) {
            if (fill() <= 0)
                return std::nullopt;
        }
        Response r;
        const QList<QByteArray> lines = buf.left(end).split('\n');
        const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
        r.status = statusLine.value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                r.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
        }
        buf.remove(0, end + 4);
        if (!head && r.status >= 200 && r.status != 204 && r.status != 304) {
            const qsizetype len = r.header("content-length").toLongLong();
            while (buf.size() < len) {
                if (fill() <= 0)
                    return std::nullopt;
            }
            r.body = buf.left(len);
            buf.remove(0, len);
        }
        return r;
    }
    /// True if the server closed (EOF or reset) within the timeout with no further data.
    bool waitClosed(int ms = 3000)
    {
        setTimeout(ms);
        for (;;) {
            const ssize_t n = fill();
            if (n == 0)
                return buf.isEmpty();
            if (n < 0)
                return errno == ECONNRESET && buf.isEmpty();
        }
    }
    void shutdownWrite() { ::shutdown(m_fd, SHUT_WR); }
    void close()
    {
        ::close(m_fd);
        m_fd = -1;
    }

    QByteArray buf;

private:
    int m_fd = -1;
    bool m_connected = false;
};

/// Runs blocking client code on a helper thread while this thread's event loop serves.
template<typename F>
auto runClient(F &&f)
{
    auto fut = std::async(std::launch::async, std::forward<F>(f));
    QDeadlineTimer deadline(15000);
    while (fut.wait_for(0ms) != std::future_status::ready && !deadline.hasExpired())
        QTest::qWait(2);
    return fut.get();
}

} // namespace Community::Http::Test
