// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "realtime/hubprivate.h"

#include "community/database.h"
#include "community/host/faults.h"
#include "community/host/pipeline.h"
#include "community/problem.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QWebSocketServer>

Q_LOGGING_CATEGORY(lcRealtime, "community.realtime")

namespace Community::Realtime {

bool validTopic(const QString &topic)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_.\\-]*:[A-Za-z0-9_.:\\-]{1,190}$"));
    return re.match(topic).hasMatch();
}

namespace {

bool validPrefix(const QString &prefix)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_.\\-]{0,40}:$"));
    return re.match(prefix).hasMatch();
}

} // namespace

RealtimeHub::RealtimeHub(HubConfig config, Transport &transport, Db::Database &db, const Http::Pipeline *pipeline,
                         prometheus::Registry *registry, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(std::move(config), transport, db))
{
    d->q = this;
    d->pipeline = pipeline;
    d->server = new QWebSocketServer(QStringLiteral("communityd"), QWebSocketServer::NonSecureMode, this);
    connect(d->server, &QWebSocketServer::newConnection, this, [this] { d->accept(); });
    if (registry)
        d->registerMetrics(*registry);
    transport.onFrame([this](const Frame &f) {
        QMetaObject::invokeMethod(this, [this, f] { d->deliver(f); }, Qt::QueuedConnection);
    });
    // Core topics: a user's own feed and the operators' live figures.
    registerTopic({QStringLiteral("user:"), Delivery::Durable, [](const Principal &p, const QString &topic) {
                       return p.kind == Principal::Kind::User && topic == QStringLiteral("user:%1").arg(p.userId);
                   }});
    // Moderators work the review queue, so they may follow its changes; every other
    // admin: topic (metrics, ...) is for administrators.
    registerTopic({QStringLiteral("admin:"), Delivery::Ephemeral, [](const Principal &p, const QString &topic) {
                       return p.hasRole(topic == QLatin1String("admin:queue") ? Role::Moderator : Role::Admin);
                   }});
    connect(&d->pingTimer, &QTimer::timeout, this, [this] { d->ping(); });
    connect(&d->metricsTimer, &QTimer::timeout, this, [this] { d->feedMetrics(); });
    connect(&d->credentialTimer, &QTimer::timeout, this, [this] { d->checkCredentials(); });
    connect(&d->pruneTimer, &QTimer::timeout, this, [this] {
        Transport *t = &d->transport;
        const int age = d->cfg.replayMaxAgeSeconds;
        d->db.trySubmit([t, age] { (void)t->prune(age); });
    });
}

RealtimeHub::~RealtimeHub()
{
    stop();
    delete d->server;   // its sockets go now, while their disconnect handlers can still run
    d->server = nullptr;
}

void RealtimeHub::Private::registerMetrics(prometheus::Registry &r)
{
    connections = &prometheus::BuildGauge().Name("community_realtime_connections")
                       .Help("Open WebSocket connections on /v1/ws").Register(r).Add({});
    subscriptionsGauge = &prometheus::BuildGauge().Name("community_realtime_subscriptions")
                              .Help("Topic subscriptions of the open connections").Register(r).Add({});
    auto &frames = prometheus::BuildCounter().Name("community_realtime_frames_total")
                       .Help("WebSocket frames by direction (in: from clients, out: to clients)").Register(r);
    framesIn = &frames.Add({{"direction", "in"}});
    framesOut = &frames.Add({{"direction", "out"}});
    dropped = &prometheus::BuildCounter().Name("community_realtime_dropped_frames_total")
                   .Help("Frames not sent, by reason (backpressure, queue_full, forbidden)").Register(r);
    refusals = &prometheus::BuildCounter().Name("community_realtime_refusals_total")
                    .Help("Upgrades, sockets and client frames refused or closed by a rule, by reason").Register(r);
    resumes = &prometheus::BuildCounter().Name("community_realtime_resumes_total")
                   .Help("Subscriptions resumed with replayed frames").Register(r).Add({});
    resyncs = &prometheus::BuildCounter().Name("community_realtime_resyncs_total")
                   .Help("Resumes answered with resync (beyond the replay cap or age)").Register(r).Add({});
    highWater = &prometheus::BuildGauge().Name("community_realtime_send_queue_high_water_bytes")
                     .Help("Largest send queue seen on any socket since start").Register(r).Add({});
}

Result<void> RealtimeHub::registerTopic(const TopicSpec &spec)
{
    if (!validPrefix(spec.prefix) || !spec.authorise)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("topic prefix \"%1\": lower-case name ending in ':' and an authoriser").arg(spec.prefix));
    for (const TopicSpec &t : std::as_const(d->topics)) {
        if (t.prefix == spec.prefix)
            return fail(ErrorCode::Conflict, QStringLiteral("topic prefix \"%1\" is already registered").arg(spec.prefix));
    }
    d->topics.append(spec);
    return {};
}

const TopicSpec *RealtimeHub::Private::specFor(const QString &topic) const
{
    for (const TopicSpec &t : topics) {
        if (topic.startsWith(t.prefix))
            return &t;
    }
    return nullptr;
}

Result<qint64> RealtimeHub::publish(pqxx::transaction_base &tx, const QString &topic, const QJsonObject &data)
{
    const TopicSpec *spec = validTopic(topic) ? d->specFor(topic) : nullptr;
    if (!spec)
        return fail(ErrorCode::NotFound, QStringLiteral("no registered topic covers \"%1\"").arg(topic));
    return d->transport.append(tx, topic, spec->delivery == Delivery::Durable, data);
}

Result<void> RealtimeHub::publishEphemeral(const QString &topic, const QJsonObject &data)
{
    const TopicSpec *spec = validTopic(topic) ? d->specFor(topic) : nullptr;
    if (!spec)
        return fail(ErrorCode::NotFound, QStringLiteral("no registered topic covers \"%1\"").arg(topic));
    if (spec->delivery == Delivery::Durable)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("\"%1\" is a durable topic: publish it in a transaction").arg(topic));
    const Frame frame{topic, 0, data};
    QMetaObject::invokeMethod(this, [this, frame] { d->deliver(frame); }, Qt::QueuedConnection);
    d->transport.broadcast(frame);   // the other nodes' subscribers
    return {};
}

void RealtimeHub::Private::deliver(const Frame &frame)
{
    // Injected faults (chaos): frames held back, and a share of the connections cut as a
    // crashed proxy would (no close handshake: clients see an abnormal closure and resume).
    if (faults && faults->anyActive()) {
        if (auto f = faults->pick(Chaos::FaultKind::WsDelay, Chaos::Target{QStringLiteral("/v1/ws"), QStringLiteral("realtime"), {}})) {
            QTimer::singleShot(std::max(0, f->delayMs), q, [this, frame] { deliverNow(frame); });
            return;
        }
        dropShare();
    }
    deliverNow(frame);
}

void RealtimeHub::Private::dropShare()
{
    const QList<Session *> all = sessions.values();
    for (Session *s : all) {
        if (s->closing)
            continue;
        const Chaos::Target target{QStringLiteral("/v1/ws"), QStringLiteral("realtime"),
                                   s->principal.userId ? QString::number(s->principal.userId) : QString::number(s->id)};
        if (faults->pick(Chaos::FaultKind::WsDrop, target)) {
            s->closing = true;
            s->ws->abort();
        }
    }
}

void RealtimeHub::Private::deliverNow(const Frame &frame)
{
    const auto it = subscribers.constFind(frame.topic);
    if (it == subscribers.constEnd())
        return;
    const QList<Session *> targets(it->begin(), it->end());   // delivery may unsubscribe
    for (Session *s : targets) {
        auto sub = s->subs.find(frame.topic);
        if (sub == s->subs.end())
            continue;
        if (sub->pending) {
            sub->buffered.append(frame);
            continue;
        }
        if (frame.seq) {
            if (frame.seq <= sub->lastSeq)
                continue;   // replayed already
            sub->lastSeq = frame.seq;
        }
        deliverTo(*s, frame, false);
    }
}

// Membership is checked again at delivery: a role or membership change applies at once.
void RealtimeHub::Private::deliverTo(Session &s, const Frame &frame, bool replay)
{
    const TopicSpec *spec = specFor(frame.topic);
    if (!spec || !spec->authorise(s.principal, frame.topic)) {
        drop("forbidden");
        unsubscribe(s, frame.topic);
        send(s, {{QStringLiteral("type"), QStringLiteral("unsubscribed")}, {QStringLiteral("topic"), frame.topic},
                 {QStringLiteral("reason"), QStringLiteral("forbidden")}}, false);
        return;
    }
    QJsonObject out{{QStringLiteral("type"), QStringLiteral("event")}, {QStringLiteral("topic"), frame.topic},
                    {QStringLiteral("data"), frame.data}};
    if (frame.seq)
        out.insert(QStringLiteral("seq"), frame.seq);
    if (replay)
        out.insert(QStringLiteral("replay"), true);
    send(s, out, spec->delivery == Delivery::Ephemeral);
}

// Never blocks: the socket's queue is watched, not waited on. Half full drops ephemeral
// frames; full closes the socket with the resync code (the client resumes).
bool RealtimeHub::Private::send(Session &s, QJsonObject frame, bool ephemeral)
{
    if (s.closing)
        return false;
    const qint64 queued = s.ws->bytesToWrite();
    if (ephemeral && queued >= cfg.sendQueueBytes / 2) {
        drop("backpressure");
        return false;
    }
    frame.insert(QStringLiteral("n"), qint64(s.sent + 1));
    const QByteArray text = QJsonDocument(frame).toJson(QJsonDocument::Compact);
    if (queued + text.size() > cfg.sendQueueBytes) {
        drop("queue_full");
        refuse("queue_full");
        close(s, CloseCode::Resync, QStringLiteral("resync"));
        return false;
    }
    ++s.sent;
    s.ws->sendTextMessage(QString::fromUtf8(text));
    if (framesOut)
        framesOut->Increment();
    const qint64 now = s.ws->bytesToWrite();
    if (now > highWaterBytes) {
        highWaterBytes = now;
        if (highWater)
            highWater->Set(double(now));
    }
    return true;
}

void RealtimeHub::Private::refuse(const char *reason)
{
    if (refusals)
        refusals->Add({{"reason", reason}}).Increment();
}

void RealtimeHub::Private::drop(const char *reason)
{
    if (dropped)
        dropped->Add({{"reason", reason}}).Increment();
}

void RealtimeHub::Private::ping()
{
    if (faults && faults->anyActive())
        dropShare();
    const QList<Session *> all = sessions.values();
    for (Session *s : all) {
        if (s->closing)
            continue;
        if (s->sincePong.elapsed() > 2 * cfg.pingIntervalMs) {
            refuse("ping_timeout");
            s->closing = true;
            s->ws->abort();   // the peer is gone or mute: no close handshake to wait for
            continue;
        }
        s->ws->ping();
    }
    std::lock_guard l(admitMutex);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto it = admitted.begin(); it != admitted.end();)
        it = now - it->atMs > 60'000 ? admitted.erase(it) : std::next(it);
}

// A socket outlives no credential: an access token that expired, a session or API key
// revoked where no event told this node, a changed operator token. The check runs in
// memory (the authenticator's state), so thousands of sockets cost little.
void RealtimeHub::Private::checkCredentials()
{
    if (!pipeline)
        return;
    const QList<Session *> all = sessions.values();
    for (Session *s : all) {
        if (s->closing || !s->authenticated || s->credential.isEmpty())
            continue;
        if (!pipeline->authenticateBearer(s->credential)) {
            refuse("credential_expired");
            close(*s, CloseCode::Unauthenticated, QStringLiteral("credentials expired"));
        }
    }
}

void RealtimeHub::Private::feedMetrics()
{
    if (!metricsSource)
        return;
    // Sampled every period, watched or not: a sample covers the time since the previous
    // one, so the first frame a new subscriber gets is one period's figures, not a spike
    // of everything since the daemon started (or since the last watcher left).
    const QJsonObject sample = metricsSource();
    const auto it = subscribers.constFind(QStringLiteral("admin:metrics"));
    if (it == subscribers.constEnd() || it->isEmpty())
        return;
    deliver(Frame{QStringLiteral("admin:metrics"), 0, sample});
}

void RealtimeHub::Private::refilter(Session &s)
{
    const QStringList topicsNow = s.subs.keys();
    for (const QString &topic : topicsNow) {
        const TopicSpec *spec = specFor(topic);
        if (spec && spec->authorise(s.principal, topic))
            continue;
        drop("forbidden");
        unsubscribe(s, topic);
        send(s, {{QStringLiteral("type"), QStringLiteral("unsubscribed")}, {QStringLiteral("topic"), topic},
                 {QStringLiteral("reason"), QStringLiteral("forbidden")}}, false);
    }
}

void RealtimeHub::accountChanged(const AccountSignal &signal)
{
    QMetaObject::invokeMethod(this, [this, signal] {
        const QList<Session *> all = d->sessions.values();
        for (Session *s : all) {
            if (!s->authenticated || s->principal.userId != signal.userId || s->closing)
                continue;
            if (signal.kind == AccountSignal::Kind::Suspended) {
                d->close(*s, CloseCode::Revoked, QStringLiteral("suspended"));
            } else if (signal.kind == AccountSignal::Kind::SessionRevoked) {
                if (signal.sessionIds.contains(s->principal.sessionId.toLongLong()))
                    d->close(*s, CloseCode::Revoked, QStringLiteral("revoked"));
            } else if (s->principal.kind == Principal::Kind::User) {
                Role role;
                if (parseRole(signal.role, &role))
                    s->principal.role = role;
                d->refilter(*s);
            }
        }
    }, Qt::QueuedConnection);
}

void RealtimeHub::setFaults(Chaos::FaultRegistry *faults)
{
    d->faults = faults;
}

void RealtimeHub::setPipeline(const Http::Pipeline *pipeline)
{
    d->pipeline = pipeline;
}

QWebSocketServer *RealtimeHub::server() const
{
    return d->server;
}

void RealtimeHub::setMetricsSource(std::function<QJsonObject()> source)
{
    d->metricsSource = std::move(source);
}

void RealtimeHub::start()
{
    d->pingTimer.start(d->cfg.pingIntervalMs);
    if (d->cfg.metricsIntervalMs > 0)
        d->metricsTimer.start(d->cfg.metricsIntervalMs);
    d->pruneTimer.start(d->cfg.pruneIntervalMs);
    if (d->cfg.credentialCheckMs > 0)
        d->credentialTimer.start(d->cfg.credentialCheckMs);
}

void RealtimeHub::stop()
{
    d->pingTimer.stop();
    d->metricsTimer.stop();
    d->pruneTimer.stop();
    d->credentialTimer.stop();
    const QList<Session *> all = d->sessions.values();
    for (Session *s : all)
        d->close(*s, CloseCode::GoingAway, QStringLiteral("shutting down"));
}

int RealtimeHub::connectionCount() const
{
    return d->sessions.size();
}

} // namespace Community::Realtime
