// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// WebSocket clients for the realtime hub tests: WsClient (QWebSocket, answers pings,
/// collects JSON frames) and RawWs (a bare TCP socket that does the handshake by hand and
/// then only does what the test says: it never answers a ping and, with a small read
/// buffer, stops reading — a mute or slow peer).

#include <QJsonObject>
#include <QList>
#include <QTcpSocket>
#include <QUrl>
#include <QWebSocket>

#include <functional>
#include <optional>

namespace Community::Test {

/// ws://host:port/v1/ws for a daemon's http:// base URL.
QUrl wsUrl(const QUrl &base, const QString &pathAndQuery = QStringLiteral("/v1/ws"));

class WsClient {
public:
    explicit WsClient(const QString &origin = {});

    /// Opens the socket (token: Authorization header; empty = none); true once connected.
    bool open(const QUrl &url, const QByteArray &token = {}, int timeoutMs = 5000);
    void send(const QJsonObject &frame);
    void sendRaw(const QString &text) { m_ws.sendTextMessage(text); }
    /// The first received frame (from `from` on) matching `pred`, waiting up to timeoutMs.
    std::optional<QJsonObject> waitFor(const std::function<bool(const QJsonObject &)> &pred, int timeoutMs = 5000,
                                       int from = 0);
    /// A frame of that type (and topic, if given).
    std::optional<QJsonObject> waitType(const QString &type, const QString &topic = {}, int timeoutMs = 5000);
    bool waitClosed(int timeoutMs = 5000);
    int closeCode() const { return m_closeCode; }
    bool isOpen() const { return m_ws.state() == QAbstractSocket::ConnectedState; }
    const QList<QJsonObject> &frames() const { return m_frames; }
    void close() { m_ws.close(); }
    /// Subscribes and waits for the answer (subscribed or error).
    std::optional<QJsonObject> subscribe(const QString &topic, std::optional<qint64> since = std::nullopt);

private:
    QWebSocket m_ws;
    QList<QJsonObject> m_frames;
    int m_closeCode = -1;
    bool m_closed = false;
};

class RawWs {
public:
    /// Sends the upgrade request with `headers` and reads the response head.
    QByteArray upgrade(const QUrl &base, const QList<QPair<QByteArray, QByteArray>> &headers,
                       const QString &pathAndQuery = QStringLiteral("/v1/ws"), int timeoutMs = 5000);
    /// The status code of the response head (0 if none).
    static int status(const QByteArray &head);
    /// Sends a masked text frame.
    void sendText(const QByteArray &payload);
    /// Stop reading: the socket takes at most `bytes` more from the kernel.
    void stopReading(qint64 bytes = 1024) { m_socket.setReadBufferSize(bytes); }
    bool waitDisconnected(int timeoutMs);
    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
};

/// The value of one sample in a Prometheus text exposition ("name{labels}"), 0 if absent.
double metricValue(const QByteArray &exposition, const QByteArray &sample);

} // namespace Community::Test
