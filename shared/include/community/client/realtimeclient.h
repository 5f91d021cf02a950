// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The WebSocket half of the client library: one socket to communityd's `/v1/ws`
/// (protocol: docs/realtime.md). Opens the socket, authenticates with an `auth` frame
/// (the token never goes in the URL), (re)subscribes its topics, and after a drop
/// reconnects with back-off and resumes each durable topic from the last `seq` it saw.
/// Threading: lives in one thread with an event loop; signals are emitted there.
/// Ownership: owns its socket. Failure: never throws; refusals arrive as `errorFrame`,
/// closes as `disconnected` (4001/4003 stop the reconnecting: the token is no good).

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace Community::Client {

class RealtimeClient : public QObject
{
    Q_OBJECT

public:
    enum class State { Closed, Connecting, Authenticating, Ready };
    Q_ENUM(State)

    /// @p baseUrl is the API's base (http[s]://host:port[/prefix]); the socket goes to
    /// ws[s]://…/v1/ws. @p token: an access token, API key or operator token.
    RealtimeClient(QUrl baseUrl, QString token, QObject *parent = nullptr);
    ~RealtimeClient() override;

    /// ws[s]:// URL of the endpoint for @p baseUrl.
    static QUrl socketUrl(const QUrl &baseUrl);

    void open();
    /// Closes for good (no reconnect) until open() again.
    void close();
    State state() const { return m_state; }
    /// A fresh token (after a refresh): sent at once as an `auth` frame when the socket is
    /// ready (the server keeps the socket past the old token's expiry), else used by the
    /// next connection.
    void setToken(QString token);

    /// Subscribes now when ready, else at the next ready; kept across reconnects.
    void subscribe(const QString &topic);
    void unsubscribe(const QString &topic);
    QStringList topics() const { return m_topics.values(); }
    /// The server confirmed the subscription on the current socket.
    bool isSubscribed(const QString &topic) const { return m_confirmed.contains(topic); }
    /// The last sequence seen on a durable topic (0: none).
    qint64 lastSeq(const QString &topic) const { return m_seq.value(topic); }
    /// Frames received since the socket opened (the server's `n`).
    qint64 framesReceived() const { return m_lastN; }

    /// Reconnect back-off: first delay, doubled up to @p max.
    void setReconnectDelay(int firstMs, int maxMs) { m_firstDelayMs = firstMs; m_maxDelayMs = maxMs; }

signals:
    void stateChanged(Community::Client::RealtimeClient::State state);
    void ready();
    /// The server took the token of setToken() on the open socket.
    void reauthenticated();
    void subscribed(const QString &topic, qint64 seq);
    void unsubscribed(const QString &topic, const QString &reason);
    /// A frame of @p topic; @p seq 0 on ephemeral topics; @p replay on resumed frames.
    void event(const QString &topic, const QJsonObject &data, qint64 seq, bool replay);
    /// Refetch @p topic's state over REST, then continue from @p seq.
    void resync(const QString &topic, qint64 seq);
    void errorFrame(const QString &code, const QString &message, const QString &topic);
    void disconnected(int closeCode, const QString &reason);

private:
    void setState(State state);
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void handleFrame(const QJsonObject &frame);
    void sendFrame(const QJsonObject &frame);
    void sendSubscribe(const QString &topic);
    void scheduleReconnect();

    QUrl m_baseUrl;
    QString m_token;
    QWebSocket *m_socket;
    QSet<QString> m_topics;
    QSet<QString> m_confirmed;
    QHash<QString, qint64> m_seq;
    QTimer m_reconnect;
    State m_state = State::Closed;
    qint64 m_lastN = 0;
    int m_firstDelayMs = 500;
    int m_maxDelayMs = 15'000;
    int m_delayMs = 500;
    bool m_wanted = false;   // open() called and not close(): reconnect after a drop
};

} // namespace Community::Client
