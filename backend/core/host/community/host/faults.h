// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The in-process fault layer (chaos): a registry of active faults that the HTTP pipeline,
/// the database facade, the event bus and the realtime hub consult at their injection
/// points. Faults live in memory only (they die with the process), each carries a time
/// limit, and a fault set by a session (CLI, console) may be bound to a lease that the
/// client renews; a lapsed lease clears its faults (dead-man switch). See
/// docs/adr/0019-chaos-faults-and-drills.md.
///
/// Threading: every method is thread-safe. The hot-path check (anyActive) is one relaxed
/// atomic load; pick() takes a shared lock only while faults exist. The sweep timer runs on
/// the thread that called start() (the daemon's main thread).

#include "community/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QThread;
class QTimer;
namespace prometheus { class Registry; }
namespace Community::Db { class Database; }

namespace Community::Chaos {

enum class FaultKind {
    HttpDelay,          ///< hold the response delayMs ± jitterMs
    HttpAbort,          ///< answer `status` at once, the handler does not run
    HttpReset,          ///< send part of the response body, then reset the TCP connection
    HttpThrottle,       ///< trickle the response body at bytesPerSecond
    HttpTruncate,       ///< send part of the response body, then close the connection
    DbLatency,          ///< each transaction / connection use waits delayMs ± jitterMs
    DbRefuse,           ///< no connection is handed out (Unavailable → 503)
    DbDrop,             ///< the leased connection is cut after BEGIN (mid-transaction)
    DbSerialization,    ///< the transaction fails with SQLSTATE 40001 before commit
    DbHold,             ///< `count` pooled connections are leased and held until the fault goes
    EventDelay,         ///< each delivery to a consumer waits delayMs
    EventDuplicate,     ///< each event is handed to the consumer twice
    EventPause,         ///< the consumer does not dispatch (lag grows)
    WsDrop,             ///< close a share of WebSocket sessions
    WsDelay,            ///< hold outgoing WebSocket frames delayMs
    OutboundTimeout,    ///< an outbound call (selector.route: smtp, push, sms, s3) waits delayMs, then fails
    OutboundError,      ///< an outbound call fails at once (Unavailable)
    OutboundLatency,    ///< an outbound call waits delayMs ± jitterMs, then proceeds
    ClockOffset,        ///< Community::Clock runs offsetSeconds ahead (or behind) for the plugin
};

/// Stable names used in the API, metrics and drill files ("http.delay", ...).
QString kindName(FaultKind kind);
std::optional<FaultKind> kindFromName(const QString &name);
QStringList kindNames();

/// Which requests / deliveries a fault applies to. Empty fields match everything.
struct Selector {
    QString route;        ///< route pattern ("/v1/posts/{id}/comments"), or a prefix ending in '*'
    QString plugin;       ///< route owner (HTTP), consumer name prefix (events)
    double percent = 100; ///< share of users (stable per user, by hash), 0..100
    QString node;         ///< node name; empty or "*" = every node
};

struct Fault {
    QString id;
    FaultKind kind = FaultKind::HttpDelay;
    Selector selector;
    double probability = 1.0;   ///< per request / delivery, 0..1
    int delayMs = 0;
    int jitterMs = 0;
    int status = 503;           ///< HttpAbort
    int bytesPerSecond = 1024;  ///< HttpThrottle
    qint64 bodyBytes = -1;      ///< HttpReset, HttpTruncate: body bytes that get through (-1: half)
    int count = 1;              ///< DbHold: connections held
    qint64 offsetSeconds = 0;   ///< ClockOffset
    QDateTime createdAt;
    QDateTime expiresAt;        ///< the time limit: always set
    QString leaseId;            ///< bound to a session lease; empty = time limit only
    int leaseTtlMs = 0;         ///< that lease's TTL (copies on other nodes follow it, ADR 0025)
    QString createdBy;          ///< principal that set it
    qint64 hits = 0;            ///< times it fired
    bool allNodes = false;      ///< set on every daemon of the database (over the event bus)
    QString origin;             ///< instance id of the daemon it was injected on (all-nodes faults)
    /// True while the fault is active; false once it is cleared by any path (work started
    /// under it, such as a paced response, stops following it). Not part of the JSON.
    std::shared_ptr<std::atomic_bool> live;

    QJsonObject toJson() const;
    /// The fault as toJson() wrote it (another node's all-nodes fault); nullopt when malformed.
    static std::optional<Fault> fromJson(const QJsonObject &json);
};

/// What an injection point knows about the work at hand.
struct Target {
    QString route;        ///< matched route pattern
    QString plugin;       ///< route owner, or consumer name
    QString subject;      ///< user id or peer address, for the percent-of-users selector
};

/// The work on this thread is exempt from faults (the chaos API's own audit transactions,
/// so that stop-all still works while the database is faulted). RAII, thread-local.
class ExemptScope {
public:
    ExemptScope();
    ~ExemptScope();
    ExemptScope(const ExemptScope &) = delete;
    ExemptScope &operator=(const ExemptScope &) = delete;
    static bool active();

private:
    bool m_previous;
};

/// The request a database worker is serving, for route and user selectors. RAII, thread-local.
class TargetScope {
public:
    explicit TargetScope(Target target);
    ~TargetScope();
    TargetScope(const TargetScope &) = delete;
    TargetScope &operator=(const TargetScope &) = delete;
    static const Target *current();

private:
    Target m_target;
    const Target *m_previous;
};

class FaultRegistry : public QObject {
    Q_OBJECT
public:
    struct Options {
        bool enabled = false;
        QString nodeName;
        int maxTtlSeconds = 3600;
        int maxFaults = 64;
    };
    /// Why a fault went away (for the audit log and the event log).
    enum class ClearReason { Cleared, StopAll, Expired, LeaseLapsed };

    explicit FaultRegistry(Options options, prometheus::Registry *metrics = nullptr, QObject *parent = nullptr);
    ~FaultRegistry() override;

    bool enabled() const { return m_options.enabled; }
    QString nodeName() const { return m_options.nodeName; }
    /// Random per process: tells this daemon's all-nodes events from other daemons'.
    QString instanceId() const { return m_instanceId; }

    /// Starts the sweep timer (expired faults, lapsed leases) on the calling thread.
    void start();

    /// A session lease: faults bound to it clear when it is not renewed within ttlMs.
    struct Lease { QString id; int ttlMs = 0; QDateTime expiresAt; };

    /// Validates and activates a fault; `ttlSeconds` is its time limit. Fills id and times.
    /// Errors: Validation (bad fields), Conflict (too many faults, unknown lease).
    Result<Fault> inject(Fault fault, int ttlSeconds);
    /// Activates another node's all-nodes fault as it is (id, times). A fault bound to a
    /// lease on its origin is bound here to a copy of that lease, which lives while the
    /// origin says the lease is alive (renewCopyLease) and lapses after twice its TTL
    /// without word. Returns the copy; nothing when chaos is off here, it has expired, or it
    /// is present already.
    std::optional<Fault> adopt(Fault fault);
    /// The origin says lease `id` is alive: the copy lease of its adopted faults is renewed.
    /// False when there is no such copy lease here (nothing adopted, or it lapsed).
    bool renewCopyLease(const QString &id);
    /// This node's own leases that have all-nodes faults bound (the origin's side of
    /// renewCopyLease: these are announced to the other nodes).
    QList<Lease> sharedLeases() const;
    bool clear(const QString &id, ClearReason reason = ClearReason::Cleared);
    /// Clears every fault (and lease); returns how many faults there were.
    int stopAll();
    QList<Fault> faults() const;

    Lease openLease(int ttlMs);
    Result<Lease> renewLease(const QString &id);
    /// Ends the lease and clears its faults; returns how many.
    int closeLease(const QString &id);

    /// Called after a fault went away by any path other than inject (any thread).
    void setClearedObserver(std::function<void(const Fault &, ClearReason)> observer);

    /// Hot path: any fault at all?
    bool anyActive() const { return m_count.load(std::memory_order_relaxed) > 0; }
    /// The first active fault of `kind` whose selector matches `target` and whose dice
    /// roll fires; counts the hit. Nothing while an ExemptScope is active.
    std::optional<Fault> pick(FaultKind kind, const Target &target);
    /// Same, for the database: uses TargetScope::current() when there is one.
    std::optional<Fault> pickForDatabase(FaultKind kind);

    /// Removes expired faults and lapsed leases now (the timer does it every 250 ms).
    void sweep();

    /// Runs `job` after `ms` on the registry's timer thread (held responses). Jobs still
    /// pending when the registry goes are dropped.
    void runLater(int ms, std::function<void()> job);

    static QString reasonName(ClearReason reason);

private:
    struct Private;
    const Options m_options;
    const QString m_instanceId;
    std::unique_ptr<Private> d;
    std::atomic<int> m_count{0};
    QTimer *m_timer = nullptr;
    QThread *m_timerThread = nullptr;
    QObject *m_timerContext = nullptr;
};

/// Makes `db`'s transactions and connection uses consult `faults` (null detaches). One
/// database per process carries faults: the daemon's. Call before serving; `faults` must
/// outlive the database's use.
void attachToDatabase(const Db::Database *db, FaultRegistry *faults);

/// Makes community/outbound.h and community/clock.h consult `faults` (null detaches).
void attachToPlugins(FaultRegistry *faults);

/// Sleeps delayMs ± jitterMs (worker threads only).
void sleepFor(const Fault &fault);

} // namespace Community::Chaos
