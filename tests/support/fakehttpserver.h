// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// A canned-answer HTTP/1.1 server on 127.0.0.1 for testing the client library and
// communityctl without a daemon. Runs in the test's thread: the blocking client spins a
// local event loop, which also serves this server. One request per connection (answers with Connection: close).

#include <QHash>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>

struct FakeRequest
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

struct FakeResponse
{
    int status = 200;
    QByteArray reason = "OK";
    QByteArray body;
    QByteArray contentType = "application/json";
};

class FakeHttpServer : public QTcpServer
{
public:
    bool silent = false; ///< accept connections but never answer (timeout tests)
    QHash<QByteArray, FakeResponse> routes; ///< "GET /healthz" -> response
    QList<FakeRequest> requests;

    bool start() { return listen(QHostAddress::LocalHost, 0); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(serverPort()); }

    void route(const QByteArray &methodAndPath, int status, const QByteArray &body,
               const QByteArray &reason = "OK",
               const QByteArray &contentType = "application/json")
    {
        routes.insert(methodAndPath, FakeResponse{status, reason, body, contentType});
    }

protected:
    void incomingConnection(qintptr handle) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(handle);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0 || silent)
                return;
            FakeRequest request;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                           lines[i].mid(colon + 1).trimmed());
            }
            const qsizetype length = request.headers.value("content-length", "0").toLongLong();
            if (buffer->size() < end + 4 + length)
                return;
            request.body = buffer->mid(end + 4, length);
            requests.append(request);

            const FakeResponse response = routes.value(
                request.method + ' ' + request.path,
                FakeResponse{404, "Not Found",
                             R"({"title":"Not Found","status":404,"detail":"no such route"})",
                             "application/problem+json"});
            QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
                + response.reason + "\r\nContent-Type: " + response.contentType
                + "\r\nContent-Length: " + QByteArray::number(response.body.size())
                + "\r\nConnection: close\r\n\r\n" + response.body;
            socket->write(out);
            socket->disconnectFromHost();
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
};
