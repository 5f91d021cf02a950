// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "wsclient.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QtTest>

namespace Community::Test {

QUrl wsUrl(const QUrl &base, const QString &pathAndQuery)
{
    QUrl u(base.toString(QUrl::RemovePath | QUrl::RemoveQuery) + pathAndQuery);
    u.setScheme(QStringLiteral("ws"));
    return u;
}

WsClient::WsClient(const QString &origin)
    : m_ws(origin)
{
    QObject::connect(&m_ws, &QWebSocket::textMessageReceived, [this](const QString &text) {
        m_frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    QObject::connect(&m_ws, &QWebSocket::disconnected, [this] {
        m_closed = true;
        m_closeCode = int(m_ws.closeCode());
    });
}

bool WsClient::open(const QUrl &url, const QByteArray &token, int timeoutMs)
{
    QNetworkRequest req(url);
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token);
    m_ws.open(req);
    QTest::qWaitFor([this] { return isOpen() || m_closed; }, timeoutMs);
    return isOpen();
}

void WsClient::send(const QJsonObject &frame)
{
    m_ws.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

std::optional<QJsonObject> WsClient::waitFor(const std::function<bool(const QJsonObject &)> &pred, int timeoutMs, int from)
{
    std::optional<QJsonObject> found;
    QTest::qWaitFor([&] {
        for (int i = from; i < m_frames.size(); ++i) {
            if (pred(m_frames[i])) {
                found = m_frames[i];
                return true;
            }
        }
        return false;
    }, timeoutMs);
    return found;
}

std::optional<QJsonObject> WsClient::waitType(const QString &type, const QString &topic, int timeoutMs)
{
    return waitFor([&](const QJsonObject &f) {
        return f.value(QStringLiteral("type")).toString() == type
               && (topic.isEmpty() || f.value(QStringLiteral("topic")).toString() == topic);
    }, timeoutMs);
}

bool WsClient::waitClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
}

std::optional<QJsonObject> WsClient::subscribe(const QString &topic, std::optional<qint64> since)
{
    const QString id = QString::number(QRandomGenerator::global()->generate());
    QJsonObject f{{QStringLiteral("type"), QStringLiteral("subscribe")}, {QStringLiteral("topic"), topic},
                  {QStringLiteral("id"), id}};
    if (since)
        f.insert(QStringLiteral("since"), *since);
    const int from = m_frames.size();
    send(f);
    return waitFor([&](const QJsonObject &r) {
        const QString type = r.value(QStringLiteral("type")).toString();
        return r.value(QStringLiteral("topic")).toString() == topic
               && (type == QLatin1String("subscribed") || type == QLatin1String("error"));
    }, 5000, from);
}

QByteArray RawWs::upgrade(const QUrl &base, const QList<QPair<QByteArray, QByteArray>> &headers,
                          const QString &pathAndQuery, int timeoutMs)
{
    m_socket.connectToHost(base.host(), quint16(base.port()));
    if (!m_socket.waitForConnected(timeoutMs))
        return {};
    QByteArray req = "GET " + pathAndQuery.toUtf8() + " HTTP/1.1\r\nHost: " + base.host().toUtf8() + "\r\n"
                     "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    for (const auto &[name, value] : headers)
        req += name + ": " + value + "\r\n";
    m_socket.write(req + "\r\n");
    QByteArray head;
    QTest::qWaitFor([&] {
        while (m_socket.canReadLine() && !head.endsWith("\r\n\r\n"))
            head += m_socket.readLine();
        return head.endsWith("\r\n\r\n") || m_socket.state() != QAbstractSocket::ConnectedState;
    }, timeoutMs);
    return head;
}

int RawWs::status(const QByteArray &head)
{
    return head.startsWith("HTTP/1.1 ") ? head.mid(9, 3).toInt() : 0;
}

void RawWs::sendText(const QByteArray &payload)
{
    QByteArray frame;
    frame.append(char(0x81));
    if (payload.size() < 126) {
        frame.append(char(0x80 | payload.size()));
    } else {
        frame.append(char(0x80 | 126));
        frame.append(char((payload.size() >> 8) & 0xff));
        frame.append(char(payload.size() & 0xff));
    }
    frame.append(QByteArray(4, '\0'));   // mask key 0: the payload goes as it is
    frame.append(payload);
    m_socket.write(frame);
    m_socket.flush();
}

bool RawWs::waitDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

double metricValue(const QByteArray &exposition, const QByteArray &sample)
{
    for (const QByteArray &line : exposition.split('\n')) {
        if (line.startsWith(sample + ' '))
            return line.mid(sample.size() + 1).toDouble();
    }
    return 0;
}

} // namespace Community::Test
