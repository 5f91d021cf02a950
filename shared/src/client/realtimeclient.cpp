// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/client/realtimeclient.h"

#include <QJsonDocument>
#include <QWebSocket>

#include <algorithm>

namespace Community::Client {

namespace {
constexpr int kCloseUnauthenticated = 4001;
constexpr int kCloseRevoked = 4003;
} // namespace

RealtimeClient::RealtimeClient(QUrl baseUrl, QString token, QObject *parent)
    : QObject(parent), m_baseUrl(std::move(baseUrl)), m_token(std::move(token)), m_socket(new QWebSocket)
{
    m_socket->setParent(this);
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, [this] {
        if (m_wanted && m_state == State::Closed)
            open();
    });
    connect(m_socket, &QWebSocket::connected, this, &RealtimeClient::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &RealtimeClient::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &RealtimeClient::onText);
}

RealtimeClient::~RealtimeClient()
{
    m_wanted = false;
    m_socket->disconnect(this);
    m_socket->abort();
}

QUrl RealtimeClient::socketUrl(const QUrl &baseUrl)
{
    QUrl url = baseUrl;
    url.setScheme(baseUrl.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/v1/ws"));
    url.setQuery(QString());
    return url;
}

void RealtimeClient::open()
{
    m_wanted = true;
    if (m_state != State::Closed)
        return;
    m_lastN = 0;
    setState(State::Connecting);
    m_socket->open(socketUrl(m_baseUrl));
}

void RealtimeClient::close()
{
    m_wanted = false;
    m_reconnect.stop();
    if (m_state != State::Closed)
        m_socket->close();
}

void RealtimeClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void RealtimeClient::subscribe(const QString &topic)
{
    if (m_topics.contains(topic))
        return;
    m_topics.insert(topic);
    if (m_state == State::Ready)
        sendSubscribe(topic);
}

void RealtimeClient::unsubscribe(const QString &topic)
{
    if (!m_topics.remove(topic))
        return;
    m_seq.remove(topic);
    m_confirmed.remove(topic);
    if (m_state == State::Ready)
        sendFrame({{QStringLiteral("type"), QStringLiteral("unsubscribe")}, {QStringLiteral("topic"), topic}});
}

void RealtimeClient::setToken(QString token)
{
    m_token = std::move(token);
    if (m_state == State::Ready)
        sendFrame({{QStringLiteral("type"), QStringLiteral("auth")}, {QStringLiteral("token"), m_token}});
}

void RealtimeClient::sendSubscribe(const QString &topic)
{
    QJsonObject frame{{QStringLiteral("type"), QStringLiteral("subscribe")}, {QStringLiteral("topic"), topic}};
    if (const qint64 since = m_seq.value(topic); since > 0)
        frame.insert(QStringLiteral("since"), since);
    sendFrame(frame);
}

void RealtimeClient::sendFrame(const QJsonObject &frame)
{
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void RealtimeClient::onConnected()
{
    setState(State::Authenticating);
    sendFrame({{QStringLiteral("type"), QStringLiteral("auth")}, {QStringLiteral("token"), m_token}});
}

void RealtimeClient::onDisconnected()
{
    const int code = m_socket->closeCode();
    const QString reason = m_socket->closeReason();
    m_confirmed.clear();
    setState(State::Closed);
    emit disconnected(code, reason);
    if (code == kCloseUnauthenticated || code == kCloseRevoked)
        m_wanted = false;   // the same token would be refused again
    if (m_wanted)
        scheduleReconnect();
}

void RealtimeClient::scheduleReconnect()
{
    m_reconnect.start(m_delayMs);
    m_delayMs = std::min(m_delayMs * 2, m_maxDelayMs);
}

void RealtimeClient::onText(const QString &text)
{
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const qint64 n = frame.value(QStringLiteral("n")).toInteger();
    if (n > 0) {
        if (m_lastN > 0 && n != m_lastN + 1) {
            // A lost frame: start over and resume from the sequences kept.
            m_socket->abort();
            return;
        }
        m_lastN = n;
    }
    handleFrame(frame);
}

void RealtimeClient::handleFrame(const QJsonObject &frame)
{
    const QString type = frame.value(QStringLiteral("type")).toString();
    const QString topic = frame.value(QStringLiteral("topic")).toString();
    const qint64 seq = frame.value(QStringLiteral("seq")).toInteger();
    // The cursor follows the frames received. A `subscribed` answering a resume names the
    // newest sequence before the replay arrives: taking it then would skip the replayed
    // frames for good if the socket dropped mid-replay (the drill's mass disconnect did).
    const bool resumeAck = type == QLatin1String("subscribed") && m_seq.value(topic) > 0;
    if (seq > 0 && !topic.isEmpty() && !resumeAck
        && (type == QLatin1String("event") || type == QLatin1String("subscribed") || type == QLatin1String("resync")))
        m_seq.insert(topic, std::max(m_seq.value(topic), seq));
    if (type == QLatin1String("ready")) {
        m_delayMs = m_firstDelayMs;
        setState(State::Ready);
        for (const QString &t : std::as_const(m_topics))
            sendSubscribe(t);
        emit ready();
    } else if (type == QLatin1String("event")) {
        emit event(topic, frame.value(QStringLiteral("data")).toObject(), seq, frame.value(QStringLiteral("replay")).toBool());
    } else if (type == QLatin1String("subscribed")) {
        m_confirmed.insert(topic);
        emit subscribed(topic, seq);
    } else if (type == QLatin1String("resync")) {
        emit resync(topic, seq);
    } else if (type == QLatin1String("unsubscribed")) {
        m_topics.remove(topic);
        m_confirmed.remove(topic);
        emit unsubscribed(topic, frame.value(QStringLiteral("reason")).toString());
    } else if (type == QLatin1String("reauthenticated")) {
        emit reauthenticated();
    } else if (type == QLatin1String("error")) {
        emit errorFrame(frame.value(QStringLiteral("code")).toString(), frame.value(QStringLiteral("message")).toString(), topic);
    }
}

} // namespace Community::Client
