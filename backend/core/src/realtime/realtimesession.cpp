// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// One socket's side of the protocol: admission, authentication, subscribe/resume,
// limits and closing. docs/realtime.md describes the frames.
#include "realtime/hubprivate.h"

#include "community/database.h"
#include "community/host/pipeline.h"
#include "community/problem.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <QDateTime>
#include <QJsonDocument>
#include <QWebSocketServer>

namespace Community::Realtime {

namespace {

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('|') + QString::number(port);
}

// URLs end up in access logs, proxies and browser history: a credential there is refused.
bool credentialInUrl(const QUrlQuery &query)
{
    for (const char *name : {"token", "access_token", "accessToken", "bearer", "auth", "authorization", "jwt", "key"}) {
        if (query.hasQueryItem(QString::fromLatin1(name)))
            return true;
    }
    return false;
}

Http::HttpResponse refusal(int status, const char *slug, const char *title, const QString &detail)
{
    return Http::problem(status, QString::fromLatin1(slug), QString::fromLatin1(title), detail);
}

} // namespace

std::optional<Http::HttpResponse> RealtimeHub::admit(const Http::HttpRequest &req)
{
    if (credentialInUrl(req.query)) {
        d->refuse("token_in_url");
        return refusal(400, "token-in-url", "Bad Request",
                       QStringLiteral("Never put a credential in the URL: send it in the Authorization header or an auth frame."));
    }
    const QByteArray origin = req.header("origin");
    const bool originOk = origin.isEmpty() || d->cfg.allowedOrigins.contains(QStringLiteral("*"))
                          || d->cfg.allowedOrigins.contains(QString::fromUtf8(origin));
    if (!originOk) {
        d->refuse("origin");
        return refusal(403, "origin-not-allowed", "Forbidden", QStringLiteral("This origin may not open /v1/ws."));
    }
    const QString ip = Http::addressGroup(req.peerAddress);
    std::lock_guard l(d->admitMutex);
    if (d->cfg.maxConnectionsPerIp > 0 && d->perIp.value(ip) >= d->cfg.maxConnectionsPerIp) {
        d->refuse("per_ip");
        return refusal(429, "too-many-connections", "Too Many Requests", QStringLiteral("Too many sockets from this address."));
    }
    // The socket is counted under the client's address (behind a proxy, the one it names),
    // which accept() finds again by the connection's own address and port.
    const QString key = peerKey(req.socketAddress(), req.peerPort);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QByteArray auth = req.header("authorization");
    if (auth.isEmpty()) {
        d->admitted.insert(key, Private::Admitted{std::nullopt, ip, now, {}});
        return std::nullopt;   // the client authenticates with its first frame
    }
    if (!auth.startsWith("Bearer ") || auth.size() <= 7 || !d->pipeline) {
        d->refuse("unauthorized");
        return refusal(401, "unauthorized", "Unauthorized", QStringLiteral("Use the Bearer authentication scheme."));
    }
    const QByteArray credential = QByteArrayView(auth).sliced(7).trimmed().toByteArray();
    auto principal = d->pipeline->authenticateBearer(credential);
    if (!principal) {
        d->refuse("unauthorized");
        if (principal.error().code == ErrorCode::Forbidden)
            return refusal(403, "forbidden", "Forbidden", principal.error().message);
        return refusal(401, "unauthorized", "Unauthorized", QStringLiteral("Invalid or expired credentials."));
    }
    d->admitted.insert(key, Private::Admitted{*principal, ip, now, credential});
    return std::nullopt;
}

void RealtimeHub::Private::accept()
{
    while (QWebSocket *ws = server->nextPendingConnection()) {
        auto *s = new Session;
        s->id = nextId++;
        s->ws = ws;
        s->sincePong.start();
        s->bucketClock.start();
        s->tokens = cfg.frameBurst;
        ws->setMaxAllowedIncomingMessageSize(quint64(cfg.maxFrameBytes) * 4);
        sessions.insert(ws, s);
        byId.insert(s->id, s);
        std::optional<Admitted> pre;
        {
            std::lock_guard l(admitMutex);
            if (auto it = admitted.find(peerKey(ws->peerAddress(), ws->peerPort())); it != admitted.end()) {
                pre = *it;
                admitted.erase(it);
            }
            s->ip = pre ? pre->ip : Http::addressGroup(ws->peerAddress());
            ++perIp[s->ip];
        }
        if (connections)
            connections->Increment();
        QObject::connect(ws, &QWebSocket::textMessageReceived, q, [this, s](const QString &t) { onText(*s, t); });
        QObject::connect(ws, &QWebSocket::binaryMessageReceived, q, [this, s](const QByteArray &) {
            error(*s, {}, QStringLiteral("binary-frame"), QStringLiteral("Frames are JSON text."));
        });
        QObject::connect(ws, &QWebSocket::pong, q, [s](quint64, const QByteArray &) { s->sincePong.restart(); });
        QObject::connect(ws, &QWebSocket::disconnected, q, [this, s] { gone(s); });
        if (pre && pre->principal) {
            if (!authenticated(*s, *pre->principal, pre->credential))
                continue;
        } else {
            QTimer::singleShot(cfg.authTimeoutMs, q, [this, id = s->id] {
                Session *late = byId.value(id);
                if (late && !late->authenticated && !late->closing) {
                    refuse("auth_timeout");
                    close(*late, CloseCode::Unauthenticated, QStringLiteral("authentication timeout"));
                }
            });
        }
    }
}

bool RealtimeHub::Private::authenticated(Session &s, const Principal &p, const QByteArray &credential)
{
    if (cfg.maxConnectionsPerUser > 0 && p.kind == Principal::Kind::User && perUser.value(p.userId) >= cfg.maxConnectionsPerUser) {
        refuse("per_user");
        close(s, CloseCode::TooMany, QStringLiteral("too many connections"));
        return false;
    }
    s.principal = p;
    s.credential = credential;
    s.authenticated = true;
    if (p.kind == Principal::Kind::User)
        ++perUser[p.userId];
    QJsonObject ready{{QStringLiteral("type"), QStringLiteral("ready")}, {QStringLiteral("connection"), QString::number(s.id)},
                      {QStringLiteral("role"), roleName(p.role)}};
    if (p.userId)
        ready.insert(QStringLiteral("user"), QString::number(p.userId));
    send(s, ready, false);
    return true;
}

bool RealtimeHub::Private::rateAllowed(Session &s)
{
    const double elapsed = double(s.bucketClock.restart()) / 1000.0;
    s.tokens = qMin(cfg.frameBurst, s.tokens + elapsed * cfg.framesPerSecond);
    if (s.tokens < 1.0)
        return false;
    s.tokens -= 1.0;
    return true;
}

void RealtimeHub::Private::onText(Session &s, const QString &text)
{
    if (s.closing)
        return;
    if (framesIn)
        framesIn->Increment();
    const QByteArray bytes = text.toUtf8();
    if (bytes.size() > cfg.maxFrameBytes) {
        refuse("frame_too_large");
        close(s, CloseCode::TooBig, QStringLiteral("frame too large"));
        return;
    }
    if (!rateAllowed(s)) {
        refuse("rate_limited");
        error(s, {}, QStringLiteral("rate-limited"), QStringLiteral("Too many frames; this one was ignored."));
        return;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    const QJsonObject msg = doc.object();
    const QString type = msg.value(QStringLiteral("type")).toString();
    if (!doc.isObject() || type.isEmpty()) {
        error(s, msg, QStringLiteral("malformed"), QStringLiteral("A frame is a JSON object with a \"type\"."));
        return;
    }
    if (!s.authenticated) {
        if (type == QLatin1String("auth"))
            onAuth(s, msg);
        else
            close(s, CloseCode::Unauthenticated, QStringLiteral("authenticate first"));
        return;
    }
    if (type == QLatin1String("subscribe"))
        onSubscribe(s, msg);
    else if (type == QLatin1String("unsubscribe"))
        onUnsubscribe(s, msg);
    else if (type == QLatin1String("ping"))
        send(s, {{QStringLiteral("type"), QStringLiteral("pong")}, {QStringLiteral("id"), msg.value(QStringLiteral("id"))}}, false);
    else if (type == QLatin1String("auth"))
        onReauth(s, msg);
    else
        error(s, msg, QStringLiteral("unknown-type"), QStringLiteral("Unknown frame type \"%1\".").arg(type));
}

// The bearer of an `auth` frame; a refusal is counted.
Result<Principal> RealtimeHub::Private::frameCredential(const QJsonObject &msg, QByteArray *token)
{
    *token = msg.value(QStringLiteral("token")).toString().toUtf8();
    auto p = token->isEmpty() || !pipeline ? Result<Principal>(fail(ErrorCode::Unauthorized, QString()))
                                           : pipeline->authenticateBearer(*token);
    if (!p)
        refuse("unauthorized");
    return p;
}

void RealtimeHub::Private::onAuth(Session &s, const QJsonObject &msg)
{
    QByteArray token;
    auto p = frameCredential(msg, &token);
    if (!p) {
        close(s, CloseCode::Unauthenticated,
              p.error().code == ErrorCode::Forbidden ? QStringLiteral("forbidden") : QStringLiteral("invalid credentials"));
        return;
    }
    authenticated(s, *p, token);
}

// A fresh token for the same account (after a refresh) keeps the socket past the old
// token's expiry; subscriptions stay. A bad token changes nothing (the old one still
// holds until it expires); another account's token is refused: open a new socket.
void RealtimeHub::Private::onReauth(Session &s, const QJsonObject &msg)
{
    QByteArray token;
    auto p = frameCredential(msg, &token);
    if (!p) {
        error(s, msg, QStringLiteral("unauthorized"), QStringLiteral("Invalid or expired credentials; the current ones stay."));
        return;
    }
    if (p->kind != s.principal.kind || p->userId != s.principal.userId) {
        error(s, msg, QStringLiteral("other-principal"), QStringLiteral("A socket keeps its account: open a new socket for another."));
        return;
    }
    s.principal = *p;
    s.credential = token;
    refilter(s);   // the role may have changed with the new token
    if (s.closing)
        return;
    send(s, {{QStringLiteral("type"), QStringLiteral("reauthenticated")}, {QStringLiteral("id"), msg.value(QStringLiteral("id"))}}, false);
}

void RealtimeHub::Private::onSubscribe(Session &s, const QJsonObject &msg)
{
    const QString topic = msg.value(QStringLiteral("topic")).toString();
    const TopicSpec *spec = validTopic(topic) ? specFor(topic) : nullptr;
    if (!spec) {
        error(s, msg, QStringLiteral("unknown-topic"), QStringLiteral("No such topic."));
        return;
    }
    if (!spec->authorise(s.principal, topic)) {
        refuse("forbidden_topic");
        error(s, msg, QStringLiteral("forbidden"), QStringLiteral("You may not subscribe to %1.").arg(topic));
        return;
    }
    if (s.subs.contains(topic)) {
        error(s, msg, QStringLiteral("already-subscribed"), QStringLiteral("Already subscribed to %1.").arg(topic));
        return;
    }
    if (s.subs.size() >= cfg.maxSubscriptions) {
        refuse("subscriptions");
        error(s, msg, QStringLiteral("too-many-subscriptions"), QStringLiteral("Too many subscriptions on this socket."));
        return;
    }
    const QJsonValue sinceValue = msg.value(QStringLiteral("since"));
    const qint64 since = sinceValue.isDouble() ? qint64(sinceValue.toDouble()) : -1;
    Subscription &sub = s.subs[topic];
    subscribers[topic].insert(&s);
    ++subscriptionCount;
    if (subscriptionsGauge)
        subscriptionsGauge->Set(subscriptionCount);
    if (spec->delivery == Delivery::Ephemeral) {
        send(s, {{QStringLiteral("type"), QStringLiteral("subscribed")}, {QStringLiteral("topic"), topic},
                 {QStringLiteral("id"), msg.value(QStringLiteral("id"))}}, false);
        return;
    }
    sub.pending = true;
    replayRead(s, topic, since);
}

// The read runs on a database worker; live frames meanwhile wait in the subscription.
void RealtimeHub::Private::replayRead(Session &s, const QString &topic, qint64 since)
{
    QPointer<RealtimeHub> hub(q);
    Transport *t = &transport;
    const int cap = cfg.replayMaxFrames;
    const int age = cfg.replayMaxAgeSeconds;
    const quint64 id = s.id;
    const bool queued = db.trySubmit([hub, t, id, topic, since, cap, age] {
        Result<ReplayRead> read = t->since(topic, since, cap, age);
        if (hub)
            QMetaObject::invokeMethod(hub, [hub, id, topic, since, read] {
                if (hub)
                    hub->d->replayDone(id, topic, since, read);
            }, Qt::QueuedConnection);
    });
    if (!queued)
        replayDone(id, topic, since, fail(ErrorCode::Unavailable, QStringLiteral("worker queue full")));
}

void RealtimeHub::Private::replayDone(quint64 sessionId, const QString &topic, qint64 since, const Result<ReplayRead> &read)
{
    Session *s = byId.value(sessionId);
    if (!s || !s->subs.contains(topic))
        return;
    const qint64 last = read ? read->lastSeq : 0;
    QJsonObject ack{{QStringLiteral("type"), QStringLiteral("subscribed")}, {QStringLiteral("topic"), topic}};
    if (read)
        ack.insert(QStringLiteral("seq"), last);
    send(*s, ack, false);
    qint64 sent = since >= 0 ? since : last;
    if (since >= 0 && (!read || !read->complete)) {
        if (resyncs)
            resyncs->Increment();
        send(*s, {{QStringLiteral("type"), QStringLiteral("resync")}, {QStringLiteral("topic"), topic},
                  {QStringLiteral("seq"), last}}, false);
        sent = last;
    } else if (since >= 0 && !read->frames.isEmpty()) {
        if (resumes)
            resumes->Increment();
        for (const Frame &f : read->frames)
            deliverTo(*s, f, true);
        sent = read->frames.last().seq;
    }
    // Replayed frames may have ended the subscription (authoriser) or the socket (queue).
    auto sub = s->subs.find(topic);
    if (sub == s->subs.end() || s->closing)
        return;
    const QList<Frame> later = std::exchange(sub->buffered, {});
    sub->pending = false;
    sub->lastSeq = sent;
    for (const Frame &f : later) {
        if (f.seq > sent && s->subs.contains(topic)) {
            sent = f.seq;
            if (auto still = s->subs.find(topic); still != s->subs.end())
                still->lastSeq = sent;
            deliverTo(*s, f, false);
        }
    }
}

void RealtimeHub::Private::onUnsubscribe(Session &s, const QJsonObject &msg)
{
    const QString topic = msg.value(QStringLiteral("topic")).toString();
    if (!s.subs.contains(topic)) {
        error(s, msg, QStringLiteral("not-subscribed"), QStringLiteral("Not subscribed to that topic."));
        return;
    }
    unsubscribe(s, topic);
    send(s, {{QStringLiteral("type"), QStringLiteral("unsubscribed")}, {QStringLiteral("topic"), topic},
             {QStringLiteral("id"), msg.value(QStringLiteral("id"))}}, false);
}

void RealtimeHub::Private::unsubscribe(Session &s, const QString &topic)
{
    if (!s.subs.remove(topic))
        return;
    auto it = subscribers.find(topic);
    if (it != subscribers.end()) {
        it->remove(&s);
        if (it->isEmpty())
            subscribers.erase(it);
    }
    --subscriptionCount;
    if (subscriptionsGauge)
        subscriptionsGauge->Set(subscriptionCount);
}

void RealtimeHub::Private::error(Session &s, const QJsonObject &msg, const QString &code, const QString &message)
{
    QJsonObject e{{QStringLiteral("type"), QStringLiteral("error")}, {QStringLiteral("code"), code},
                  {QStringLiteral("message"), message}};
    if (msg.contains(QStringLiteral("id")))
        e.insert(QStringLiteral("id"), msg.value(QStringLiteral("id")));
    if (msg.contains(QStringLiteral("topic")))
        e.insert(QStringLiteral("topic"), msg.value(QStringLiteral("topic")));
    send(s, e, false);
}

void RealtimeHub::Private::close(Session &s, int code, const QString &reason)
{
    if (s.closing)
        return;
    s.closing = true;
    s.ws->close(QWebSocketProtocol::CloseCode(code), reason);
    // A peer that never answers the close handshake is cut off.
    QTimer::singleShot(2000, q, [this, id = s.id] {
        if (Session *late = byId.value(id))
            late->ws->abort();
    });
}

void RealtimeHub::Private::gone(Session *s)
{
    if (!sessions.remove(s->ws))
        return;
    byId.remove(s->id);
    const QStringList topicsNow = s->subs.keys();
    for (const QString &t : topicsNow)
        unsubscribe(*s, t);
    {
        std::lock_guard l(admitMutex);
        if (--perIp[s->ip] <= 0)
            perIp.remove(s->ip);
    }
    if (s->authenticated && s->principal.kind == Principal::Kind::User && --perUser[s->principal.userId] <= 0)
        perUser.remove(s->principal.userId);
    if (connections)
        connections->Decrement();
    s->ws->deleteLater();
    delete s;
}

} // namespace Community::Realtime
