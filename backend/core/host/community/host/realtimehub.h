// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The realtime hub (host side): the `/v1/ws` WebSocket endpoint, the topic registry
/// plugins fill through `Realtime::Hub` (community/realtime.h), subscriptions, resume,
/// backpressure, liveness, limits, revocation and the `admin:metrics` feed.
/// See docs/adr/0010-realtime-hub.md and docs/realtime.md.
///
/// Threading: the hub and every WebSocket live on the thread that built the hub (the main
/// thread). publish() runs on workers (it only writes in the caller's transaction);
/// frames come back from the transport on its own thread and are queued to the hub.
/// Nothing on the hub's thread blocks: replays are read on the database workers.

#include "community/realtime.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QWebSocketServer;
namespace prometheus { class Registry; }

namespace Community::Http {
struct HttpRequest;
struct HttpResponse;
class Pipeline;
}
namespace Community::Db { class Database; }
namespace Community::Chaos { class FaultRegistry; }

namespace Community::Realtime {

struct HubConfig {
    QStringList allowedOrigins;          ///< browser origins allowed to open /v1/ws ("*" = any); no Origin header = not a browser: allowed
    int authTimeoutMs = 5000;            ///< an unauthenticated socket must send `auth` within this
    int pingIntervalMs = 25'000;         ///< server ping; no pong for two intervals closes the socket
    qint64 maxFrameBytes = 64 * 1024;    ///< larger client frames close the socket (1009)
    double framesPerSecond = 20;         ///< client frames per second per connection (token bucket)
    double frameBurst = 40;
    int maxConnectionsPerUser = 16;      ///< 0 = no limit
    int maxConnectionsPerIp = 256;       ///< 0 = no limit
    int maxSubscriptions = 256;          ///< topics per connection
    qint64 sendQueueBytes = 1024 * 1024; ///< bytes waiting per socket: half = ephemeral dropped, full = closed 4009
    int replayMaxFrames = 500;           ///< resume cap per topic, beyond: resync
    int replayMaxAgeSeconds = 600;       ///< frames older than this are not replayed (and pruned)
    int metricsIntervalMs = 1000;        ///< admin:metrics period (0 = off)
    int pruneIntervalMs = 60'000;        ///< how often stored frames past the age are deleted
    /// How often each socket's credential is checked again: an expired access token, a
    /// revoked API key or a changed operator token closes the socket (4001). 0 = never.
    int credentialCheckMs = 15'000;
};

/// A frame on its way to subscribers (what the transport carries between nodes).
struct Frame {
    QString topic;
    qint64 seq = 0;          ///< 0 for ephemeral frames
    QJsonObject data;
};

/// What a resume read found for one topic.
struct ReplayRead {
    QList<Frame> frames;     ///< seq > since, oldest first, at most cap + 1
    qint64 lastSeq = 0;      ///< the topic's newest sequence
    bool complete = false;   ///< frames hold every seq in (since, lastSeq] within the age limit
};

/// Storage of durable frames and fan-out between nodes. The PostgreSQL implementation
/// writes to schema `realtime` and the event bus outbox and receives through the bus's
/// broadcast subscription; a NATS JetStream one would map a topic to a subject and the
/// sequence to the stream sequence.
class Transport {
public:
    virtual ~Transport() = default;
    /// Stores (durable) and enqueues a frame in the caller's transaction; returns its seq.
    virtual Result<qint64> append(pqxx::transaction_base &tx, const QString &topic, bool durable,
                                  const QJsonObject &data) = 0;
    /// Frames of `topic` after `since` (blocking: workers only).
    virtual Result<ReplayRead> since(const QString &topic, qint64 since, int cap, int maxAgeSeconds) = 0;
    /// Deletes stored frames older than the age (blocking). Returns how many.
    virtual Result<qint64> prune(int maxAgeSeconds) = 0;
    /// Sends an ephemeral frame to the other nodes, now and without storing it (lossy by
    /// design: a node that is down or reconnecting misses it). Any thread; never blocks.
    /// This node does not receive it back.
    virtual void broadcast(const Frame &frame) = 0;
    /// Receives every frame appended on any node after commit, and other nodes'
    /// broadcasts. Before start; called on the transport's own threads.
    virtual void onFrame(std::function<void(const Frame &)> sink) = 0;
};

/// Account changes that close or re-filter sockets (from the auth events).
struct AccountSignal {
    enum class Kind { SessionRevoked, Suspended, RoleChanged };
    Kind kind;
    qint64 userId = 0;
    QList<qint64> sessionIds;   ///< SessionRevoked
    QString role;               ///< RoleChanged: the new role
};

class RealtimeHub final : public QObject, public Hub {
    Q_OBJECT
public:
    /// `db` runs replay reads and pruning; `registry` may be null. Registers the core
    /// topics `user:` (own user only) and `admin:` (admins only).
    RealtimeHub(HubConfig config, Transport &transport, Db::Database &db, const Http::Pipeline *pipeline,
                prometheus::Registry *registry, QObject *parent = nullptr);
    ~RealtimeHub() override;

    Result<void> registerTopic(const TopicSpec &spec) override;
    Result<qint64> publish(pqxx::transaction_base &tx, const QString &topic, const QJsonObject &data) override;
    Result<void> publishEphemeral(const QString &topic, const QJsonObject &data) override;

    /// The pipeline that authenticates upgrades and `auth` frames (set before serving).
    void setPipeline(const Http::Pipeline *pipeline);
    /// Injected faults (chaos: ws.drop, ws.delay); null = none. Main thread, before start().
    void setFaults(Chaos::FaultRegistry *faults);
    /// The server the HTTP layer hands `/v1/ws` upgrades to.
    QWebSocketServer *server() const;
    /// The upgrade check (HttpServer::setWebSocketGate): token in the URL, Origin, a bad
    /// bearer header, per-IP limit. Any thread.
    std::optional<Http::HttpResponse> admit(const Http::HttpRequest &request);
    /// Closes or re-filters the affected sockets. Any thread.
    void accountChanged(const AccountSignal &signal);
    /// Supplier of the figures in `admin:metrics` frames (set before start()).
    void setMetricsSource(std::function<QJsonObject()> source);

    /// Starts timers (ping, metrics feed, pruning).
    void start();
    /// Closes every socket (1001 going away) and stops the timers.
    void stop();

    /// Open sockets (hub thread).
    int connectionCount() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Community::Realtime
