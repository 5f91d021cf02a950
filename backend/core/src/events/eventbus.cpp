// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/postgreseventbus.h"
#include "community/host/faults.h"

#include "community/database.h"
#include "community/requestcontext.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <pqxx/pqxx>

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

Q_LOGGING_CATEGORY(lcEvents, "community.events")

namespace Community::Events {

namespace {

constexpr const char *notifyChannel = "community_events";
constexpr int horizonChunk = 5000;
// Every publishing transaction holds this advisory lock (shared, until it ends) from before
// it takes an id: pg_locks then names the transactions that may still hold a missing id.
constexpr int publishLockClass = 0x436f6d6d;   // "Comm"
constexpr int publishLockObject = 0x4f757462;  // "Outb"

bool validName(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.:\\-]{1,200}$"));
    return re.match(s).hasMatch();
}

std::string textArray(const QStringList &items)
{
    // Items are validName()s: no quoting beyond the double quotes is needed.
    std::string out = "{";
    for (int i = 0; i < items.size(); ++i) {
        if (i)
            out += ',';
        out += '"' + items[i].toStdString() + '"';
    }
    return out + "}";
}

std::string actorKindName(Principal::Kind kind)
{
    switch (kind) {
    case Principal::Kind::User: return "user";
    case Principal::Kind::ApiKey: return "api_key";
    case Principal::Kind::Operator: return "operator";
    case Principal::Kind::Anonymous: break;
    }
    return "anonymous";
}

Event eventFromRow(const pqxx::row &r)
{
    Event e;
    e.id = r[0].as<qint64>();
    e.type = QString::fromStdString(r[1].as<std::string>());
    e.aggregate = QString::fromStdString(r[2].as<std::string>());
    e.payload = QJsonDocument::fromJson(QByteArray::fromStdString(r[3].as<std::string>())).object();
    e.createdAt = QDateTime::fromMSecsSinceEpoch(qint64(r[4].as<double>() * 1000.0), Qt::UTC);
    e.requestId = QString::fromStdString(r[5].as<std::string>(std::string()));
    e.actorId = r[6].as<qint64>(0);
    e.actorKind = QString::fromStdString(r[7].as<std::string>(std::string()));
    return e;
}

constexpr const char *eventColumns =
    "o.id, o.type, o.aggregate, o.payload::text, extract(epoch FROM o.created_at)::float8,"
    " o.request_id, o.actor_id, o.actor_kind";
constexpr int kEventColumnCount = 8;

class Receiver final : public pqxx::notification_receiver {
public:
    explicit Receiver(pqxx::connection_base &c) : pqxx::notification_receiver(c, notifyChannel) {}
    void operator()(const std::string &, int) override {}
};

template<typename Pred>
void interruptibleSleep(std::mutex &m, std::condition_variable &cv, std::chrono::milliseconds d, Pred stop)
{
    std::unique_lock l(m);
    cv.wait_for(l, d, stop);
}

} // namespace

struct Consumer {
    QString name;
    QStringList types;
    Handler handler;
    BatchHandler batch;   ///< set by subscribeBatch(); `handler` then hands it one event
    std::string typesArray;
    std::string nameStd;
    prometheus::Counter *delivered = nullptr;
    prometheus::Counter *failed = nullptr;
    prometheus::Gauge *dead = nullptr;
    prometheus::Gauge *lag = nullptr;
    std::thread thread;
    /// The horizon at which the last dispatch found nothing to do (or the consumer was
    /// claimed elsewhere); -1 when there may be work. Consumer thread only.
    qint64 idleAt = -1;
    std::atomic_bool forced{false};  ///< wake(): dispatch even when idle
};

struct Broadcast {
    QStringList types;
    Handler handler;
};

struct PostgresEventBus::Private {
    Db::Database &db;
    EventBusConfig cfg;
    prometheus::Registry *registry;
    std::vector<std::unique_ptr<Consumer>> consumers;
    std::vector<Broadcast> broadcasts;
    std::thread broadcaster;

    std::atomic_bool running{false};
    std::atomic<qint64> horizon{0};

    // Wakes the consumer threads (the listener bumps the generation).
    std::mutex wakeMutex;
    std::condition_variable wakeCv;
    quint64 generation = 0;
    std::atomic_bool localWake{false};
    // The newest id this process published and when (steady clock, ms): until the horizon
    // passes it, the listener looks often instead of waiting for a NOTIFY that may have
    // been sent before the publisher committed.
    std::atomic<qint64> localPublished{0};
    std::atomic<qint64> localPublishedAtMs{0};

    // The coalescing notifier.
    std::mutex notifyMutex;
    std::condition_variable notifyCv;
    bool notifyPending = false;

    std::thread listener;
    std::thread notifier;
    std::thread retention;

    // The oldest unresolved gap in the outbox ids (listener thread only).
    struct Gap {
        bool valid = false;
        qint64 start = 0;   ///< first missing id
        qint64 end = 0;     ///< first id seen after the gap
        quint64 xmax = 0;   ///< snapshot xmax when it was seen
        /// The virtual transactions holding the publish lock just after it was seen (a
        /// text[] literal; empty until read): the holders of its ids are among them.
        std::string publishers;
    } gap;

    prometheus::Counter *published = nullptr;
    prometheus::Family<prometheus::Counter> *deliveredFamily = nullptr;
    prometheus::Family<prometheus::Counter> *failedFamily = nullptr;
    prometheus::Family<prometheus::Gauge> *deadFamily = nullptr;
    prometheus::Family<prometheus::Gauge> *lagFamily = nullptr;
    prometheus::Counter *pruned = nullptr;

    Chaos::FaultRegistry *faults = nullptr;   ///< injected delivery faults (chaos); may be null

    Private(Db::Database &d, EventBusConfig c, prometheus::Registry *r) : db(d), cfg(c), registry(r) {}

    std::unique_ptr<pqxx::connection> connect() const
    {
        return std::make_unique<pqxx::connection>(db.config().connectionString);
    }

    static qint64 steadyMs()
    {
        using namespace std::chrono;
        return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    }

    void notePublished(qint64 id)
    {
        qint64 seen = localPublished.load();
        while (seen < id && !localPublished.compare_exchange_weak(seen, id)) {
        }
        localPublishedAtMs.store(steadyMs());
    }

    /// A publish of this process in the last second that the horizon has not reached yet
    /// (it may still commit, or have rolled back: then it stops counting after the second).
    bool localPublishPending() const
    {
        return localPublished.load() > horizon.load() && steadyMs() - localPublishedAtMs.load() < 1000;
    }

    void bumpGeneration()
    {
        {
            std::lock_guard l(wakeMutex);
            ++generation;
        }
        wakeCv.notify_all();
    }

    void advanceHorizon(pqxx::connection &conn);
    bool gapPublishersDone(pqxx::nontransaction &tx) const;
    void readGapPublishers(pqxx::nontransaction &tx);
    void listenerLoop();
    void notifierLoop();
    void consumerLoop(Consumer &c);
    bool dispatchOnce(pqxx::connection &conn, Consumer &c);
    Result<void> callHandler(Consumer &c, const Event &e);
    Result<void> callBatch(Consumer &c, const QList<Event> &events);
    template<typename Call>
    Result<void> guarded(Consumer &c, const Call &call);
    void addConsumer(const QString &consumer, const QStringList &types, Handler handler, BatchHandler batch);
    void recordFailure(pqxx::work &tx, Consumer &c, qint64 eventId, int attempts, const QString &error, bool &dead);
    void retentionLoop();
    qint64 pruneOnce();
    void broadcastLoop();
    qint64 broadcastOnce(pqxx::connection &conn, qint64 last, const std::string &types);
};

// The horizon H: every id <= H is final (its transaction committed or will never commit),
// so a consumer reading `id > last_id AND id <= H` in id order never skips an event that
// commits later. A missing id g below a visible id was taken before that id, so its holder
// was running when the gap was first seen. Two ways to know it has finished since:
// - every publishing transaction that held the publish lock just after the gap was seen
//   has released it (publish() takes the lock before it takes an id, and a transaction
//   releases its locks only after its commit is visible); unrelated transactions, such as
//   a consumer's long batch or an idle session in a transaction, do not count;
// - or the oldest running xid is at or above the snapshot's xmax at the time (publish()
//   assigns the transaction id before it takes an id): the fallback when pg_locks could not
//   be read.
// The publishers are checked before the snapshot that reads the outbox is taken, so a
// holder seen finished is visible to it.
bool PostgresEventBus::Private::gapPublishersDone(pqxx::nontransaction &tx) const
{
    if (!gap.valid || gap.publishers.empty())
        return false;
    return tx.exec_params("SELECT NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
                          " AND classid = $1::oid AND objid = $2::oid AND objsubid = 2"
                          " AND virtualtransaction = ANY($3::text[]))",
                          publishLockClass, publishLockObject, gap.publishers)[0][0]
        .as<bool>();
}

void PostgresEventBus::Private::readGapPublishers(pqxx::nontransaction &tx)
{
    gap.publishers = tx.exec_params("SELECT coalesce(array_agg(virtualtransaction), '{}')::text FROM pg_locks"
                                    " WHERE locktype = 'advisory' AND classid = $1::oid AND objid = $2::oid"
                                    " AND objsubid = 2 AND granted",
                                    publishLockClass, publishLockObject)[0][0]
                         .as<std::string>();
}

void PostgresEventBus::Private::advanceHorizon(pqxx::connection &conn)
{
    for (int round = 0; round < 100; ++round) {
        qint64 h = horizon.load();
        pqxx::nontransaction tx(conn);
        const bool publishersDone = gapPublishersDone(tx);
        const pqxx::result r = tx.exec_params(
            "SELECT pg_snapshot_xmin(s)::text, pg_snapshot_xmax(s)::text,"
            " (SELECT string_agg(id::text, ',' ORDER BY id) FROM"
            "   (SELECT id FROM events.outbox WHERE id > $1 ORDER BY id LIMIT $2) q)"
            " FROM pg_current_snapshot() s",
            h, horizonChunk);
        const quint64 xmin = std::stoull(r[0][0].as<std::string>());
        const quint64 xmax = std::stoull(r[0][1].as<std::string>());
        const std::string list = r[0][2].is_null() ? std::string() : r[0][2].as<std::string>();
        const qint64 resolvedUpTo = (gap.valid && (publishersDone || xmin >= gap.xmax)) ? gap.end - 1 : -1;
        int count = 0;
        bool blocked = false;
        size_t pos = 0;
        while (pos < list.size()) {
            size_t comma = list.find(',', pos);
            if (comma == std::string::npos)
                comma = list.size();
            const qint64 id = std::stoll(list.substr(pos, comma - pos));
            pos = comma + 1;
            ++count;
            if (id != h + 1 && h + 1 <= resolvedUpTo)
                h = std::min(resolvedUpTo, id - 1);
            if (id == h + 1) {
                h = id;
                continue;
            }
            if (!gap.valid || gap.start != h + 1 || gap.end > id) {
                gap = Gap{true, h + 1, id, xmax, {}};
                readGapPublishers(tx);
            }
            blocked = true;
            break;
        }
        if (!blocked && resolvedUpTo > h)
            h = resolvedUpTo;
        if (gap.valid && h >= gap.end - 1)
            gap.valid = false;
        horizon.store(h);
        if (blocked || count < horizonChunk)
            return;
    }
}

void PostgresEventBus::Private::listenerLoop()
{
    using namespace std::chrono;
    std::unique_ptr<pqxx::connection> conn;
    std::unique_ptr<Receiver> receiver;
    auto lastCycle = steady_clock::now() - milliseconds(cfg.pollIntervalMs);
    int failures = 0;  // in a row: the retry delay grows, and the log says it once, not 3x a second
    while (running) {
        try {
            if (!conn) {
                conn = connect();
                receiver = std::make_unique<Receiver>(*conn);
                lastCycle = steady_clock::now() - milliseconds(cfg.pollIntervalMs);
                if (failures > 0)
                    qCInfo(lcEvents, "event listener: reconnected after %d failed attempts", failures);
                failures = 0;
            }
            // While a gap is open, or this process published something the horizon has not
            // reached, the commit may come without a NOTIFY of its own (the one a publish
            // sends can precede its commit): look again every notifyCoalesceMs until it is
            // seen. Such a look wakes the consumers only if it moved the horizon, so they are
            // not woken more often than NOTIFYs would wake them.
            const bool soon = gap.valid || localPublishPending();
            const int n = conn->await_notification(0, soon ? 1000 * std::max(2, cfg.notifyCoalesceMs) : 100'000);
            const auto now = steady_clock::now();
            const bool woken = n > 0 || localWake.exchange(false) || now - lastCycle >= milliseconds(cfg.pollIntervalMs);
            if (!woken && !soon)
                continue;
            const qint64 before = horizon.load();
            advanceHorizon(*conn);
            if (woken) {
                lastCycle = now;
                bumpGeneration();
            } else if (horizon.load() != before) {
                bumpGeneration();
            }
        } catch (const std::exception &e) {
            ++failures;
            if (failures == 1 || failures % 20 == 0)
                qCWarning(lcEvents, "event listener: %s; reconnecting (attempt %d)", e.what(), failures);
            receiver.reset();
            conn.reset();
            // 100 ms, doubling to 1 s: quick after a blip, quiet while the server is down.
            const auto delay = milliseconds(std::min(100 << std::min(failures - 1, 4), 1000));
            interruptibleSleep(wakeMutex, wakeCv, delay, [this] { return !running; });
        }
    }
}

// One payload-free NOTIFY per coalescing window, sent after the window so that the
// publishing transaction has usually committed; late commits are found by the poll.
void PostgresEventBus::Private::notifierLoop()
{
    std::unique_ptr<pqxx::connection> conn;
    while (true) {
        {
            std::unique_lock l(notifyMutex);
            notifyCv.wait(l, [this] { return !running || notifyPending; });
            if (!running)
                return;
        }
        interruptibleSleep(notifyMutex, notifyCv, std::chrono::milliseconds(cfg.notifyCoalesceMs),
                           [this] { return !running.load(); });
        {
            std::lock_guard l(notifyMutex);
            notifyPending = false;
        }
        try {
            if (!conn)
                conn = connect();
            pqxx::nontransaction tx(*conn);
            tx.exec(std::string("NOTIFY ") + notifyChannel);
        } catch (const std::exception &e) {
            qCWarning(lcEvents, "event notifier: %s", e.what());
            conn.reset();
        }
    }
}

void PostgresEventBus::Private::consumerLoop(Consumer &c)
{
    using namespace std::chrono;
    std::unique_ptr<pqxx::connection> conn;
    quint64 seen = 0;
    auto lastRun = steady_clock::now() - milliseconds(cfg.pollIntervalMs);
    while (running) {
        bool more = false;
        // Wake-ups that did not move the horizon cost nothing for an idle consumer; the
        // poll still runs (due retries, a consumer claimed elsewhere, changes by operators
        // on other nodes).
        const auto now = steady_clock::now();
        const bool forced = c.forced.exchange(false);
        const bool paused = faults && faults->anyActive()
                            && faults->pick(Chaos::FaultKind::EventPause, Chaos::Target{{}, c.name, {}});
        const bool idle = paused
                          || (!forced && c.idleAt >= 0 && c.idleAt == horizon.load()
                              && now - lastRun < milliseconds(cfg.pollIntervalMs));
        if (!idle) {
            lastRun = now;
            c.idleAt = -1;
            try {
                if (!conn)
                    conn = connect();
                more = dispatchOnce(*conn, c);
            } catch (const std::exception &e) {
                qCWarning(lcEvents, "consumer %s: %s", qPrintable(c.name), e.what());
                conn.reset();
            }
        }
        if (more)
            continue;
        std::unique_lock l(wakeMutex);
        wakeCv.wait_for(l, milliseconds(cfg.pollIntervalMs), [&] { return !running || generation != seen; });
        seen = generation;
    }
}

// Reads the final events above `last` of the broadcast types; returns the new position.
qint64 PostgresEventBus::Private::broadcastOnce(pqxx::connection &conn, qint64 last, const std::string &types)
{
    const qint64 h = horizon.load();
    if (h <= last)
        return last;
    pqxx::nontransaction tx(conn);
    const pqxx::result rows = tx.exec_params(std::string("SELECT ") + eventColumns
                                                 + " FROM events.outbox o WHERE o.id > $1 AND o.id <= $2"
                                                   " AND o.type = ANY($3::text[]) ORDER BY o.id LIMIT $4",
                                             last, h, types, cfg.batchSize);
    for (const pqxx::row &row : rows) {
        const Event e = eventFromRow(row);
        last = e.id;
        for (const Broadcast &b : broadcasts) {
            if (!b.types.contains(e.type))
                continue;
            try {
                if (auto r = b.handler(e); !r)
                    qCWarning(lcEvents, "broadcast handler for %s: %s", qPrintable(e.type), qPrintable(r.error().message));
            } catch (const std::exception &ex) {
                qCWarning(lcEvents, "broadcast handler for %s threw: %s", qPrintable(e.type), ex.what());
            }
        }
    }
    return int(rows.size()) < cfg.batchSize ? h : last;
}

// Starts at the newest id committed so far: a process only fans out what happens while it runs.
void PostgresEventBus::Private::broadcastLoop()
{
    QStringList all;
    for (const Broadcast &b : broadcasts)
        all += b.types;
    const std::string types = textArray(all);
    std::unique_ptr<pqxx::connection> conn;
    qint64 last = -1;
    quint64 seen = 0;
    while (running) {
        qint64 before = last;
        try {
            if (!conn)
                conn = connect();
            if (last < 0) {
                pqxx::nontransaction tx(*conn);
                last = tx.exec("SELECT coalesce(max(id), 0) FROM events.outbox")[0][0].as<qint64>();
                before = last;
            }
            last = broadcastOnce(*conn, last, types);
        } catch (const std::exception &e) {
            qCWarning(lcEvents, "broadcast: %s", e.what());
            conn.reset();
        }
        if (last != before && last < horizon.load())
            continue;
        std::unique_lock l(wakeMutex);
        wakeCv.wait_for(l, std::chrono::milliseconds(cfg.pollIntervalMs),
                        [&] { return !running || generation != seen; });
        seen = generation;
    }
}

// Runs a handler call under the chaos faults (delay; duplicate delivery, as after a crash
// between the handler and the offset update) and turns an exception into an error.
template<typename Call>
Result<void> PostgresEventBus::Private::guarded(Consumer &c, const Call &call)
{
    try {
        if (faults && faults->anyActive()) {
            const Chaos::Target target{{}, c.name, {}};
            if (auto f = faults->pick(Chaos::FaultKind::EventDelay, target))
                Chaos::sleepFor(*f);
            if (faults->pick(Chaos::FaultKind::EventDuplicate, target)) {
                if (auto first = call(); !first)
                    return first;
            }
        }
        return call();
    } catch (const std::exception &ex) {
        return fail(ErrorCode::Internal, QStringLiteral("handler threw"), QString::fromUtf8(ex.what()));
    } catch (...) {
        return fail(ErrorCode::Internal, QStringLiteral("handler threw"));
    }
}

Result<void> PostgresEventBus::Private::callHandler(Consumer &c, const Event &e)
{
    return guarded(c, [&] { return c.handler(e); });
}

Result<void> PostgresEventBus::Private::callBatch(Consumer &c, const QList<Event> &events)
{
    return guarded(c, [&] { return c.batch(events); });
}

void PostgresEventBus::Private::recordFailure(pqxx::work &tx, Consumer &c, qint64 eventId, int attempts,
                                              const QString &error, bool &dead)
{
    dead = attempts >= cfg.maxAttempts;
    qint64 delay = cfg.backoffBaseMs;
    for (int i = 1; i < attempts && delay < cfg.backoffMaxMs; ++i)
        delay *= 2;
    delay = std::min<qint64>(delay, cfg.backoffMaxMs);
    // From the failure, not from the transaction's start (now()): the handler ran inside it.
    tx.exec_params(
        "INSERT INTO events.deliveries (consumer, event_id, attempts, next_attempt_at, last_error, dead)"
        " VALUES ($1, $2, $3, clock_timestamp() + $4 * interval '1 millisecond', $5, $6)"
        " ON CONFLICT (consumer, event_id) DO UPDATE SET attempts = EXCLUDED.attempts,"
        "  next_attempt_at = EXCLUDED.next_attempt_at, last_error = EXCLUDED.last_error, dead = EXCLUDED.dead",
        c.nameStd, eventId, attempts, delay, error.left(2000).toStdString(), dead);
    if (c.failed)
        c.failed->Increment();
    if (dead)
        qCWarning(lcEvents, "consumer %s: event %lld is dead after %d attempts: %s", qPrintable(c.name),
                  static_cast<long long>(eventId), attempts, qPrintable(error));
}

// One claimed batch. Returns true when a full batch went through (more may be waiting).
bool PostgresEventBus::Private::dispatchOnce(pqxx::connection &conn, Consumer &c)
{
    pqxx::work tx(conn);
    const pqxx::result claim = tx.exec_params(
        "SELECT last_id FROM events.consumers WHERE consumer = $1 FOR UPDATE SKIP LOCKED", c.nameStd);
    // Read once: the listener advances it concurrently.
    const qint64 horizonNow = horizon.load();
    if (claim.empty()) {
        c.idleAt = horizonNow;
        return false;  // another process dispatches this consumer now
    }
    const qint64 lastId = claim[0][0].as<qint64>();
    const bool allTypes = c.types.isEmpty();
    auto errorText = [](const Error &e) { return e.logDetail.isEmpty() ? e.message : e.message + QStringLiteral(": ") + e.logDetail; };

    // 1. Due retries of events behind the offset (dead letters an operator retried).
    const pqxx::result retries = tx.exec_params(
        std::string("SELECT ") + eventColumns + ", d.attempts FROM events.deliveries d"
        " JOIN events.outbox o ON o.id = d.event_id"
        " WHERE d.consumer = $1 AND NOT d.dead AND d.event_id <= $2 AND d.next_attempt_at <= now()"
        " ORDER BY d.event_id LIMIT $3",
        c.nameStd, lastId, cfg.batchSize);
    for (const auto &row : retries) {
        const Event e = eventFromRow(row);
        if (auto r = callHandler(c, e); r) {
            tx.exec_params("DELETE FROM events.deliveries WHERE consumer = $1 AND event_id = $2", c.nameStd, e.id);
            if (c.delivered)
                c.delivered->Increment();
        } else {
            bool dead = false;
            recordFailure(tx, c, e.id, row[kEventColumnCount].as<int>() + 1, errorText(r.error()), dead);
        }
    }

    // 2. The next events after the offset, strictly in id order.
    struct Pending { int attempts; bool dead; bool due; };
    std::unordered_map<qint64, Pending> pending;
    for (const auto &row : tx.exec_params(
             "SELECT event_id, attempts, dead, next_attempt_at <= now() FROM events.deliveries"
             " WHERE consumer = $1 AND event_id > $2", c.nameStd, lastId)) {
        pending.emplace(row[0].as<qint64>(), Pending{row[1].as<int>(), row[2].as<bool>(), row[3].as<bool>()});
    }
    const pqxx::result rows = tx.exec_params(
        std::string("SELECT ") + eventColumns + " FROM events.outbox o"
        " WHERE o.id > $1 AND o.id <= $2 AND ($3 OR o.type = ANY($4::text[])) ORDER BY o.id LIMIT $5",
        lastId, horizonNow, allTypes, c.typesArray, cfg.batchSize);
    qint64 newLast = lastId;
    bool blocked = false;
    // A batch consumer takes each run of events that never failed in one call; if that
    // call fails, the same events go one at a time below (only the failing one waits).
    int batchedUpTo = -1;   // rows before this index were handled as a batch
    for (int i = 0; i < int(rows.size()); ++i) {
        const Event e = eventFromRow(rows[i]);
        const auto it = pending.find(e.id);
        if (c.batch && i >= batchedUpTo && it == pending.end()) {
            QList<Event> run{e};
            int j = i + 1;
            for (; j < int(rows.size()); ++j) {
                Event next = eventFromRow(rows[j]);
                if (pending.count(next.id))
                    break;
                run.append(std::move(next));
            }
            if (run.size() > 1) {
                if (auto r = callBatch(c, run); r) {
                    newLast = run.last().id;
                    if (c.delivered)
                        c.delivered->Increment(double(run.size()));
                    i = j - 1;
                    continue;
                }
                qCInfo(lcEvents, "consumer %s: a batch of %lld events failed; delivering them one by one",
                       qPrintable(c.name), static_cast<long long>(run.size()));
            }
            batchedUpTo = j;   // one by one up to there
        }
        if (it != pending.end() && it->second.dead) {
            newLast = e.id;
            continue;
        }
        if (it != pending.end() && !it->second.due) {
            blocked = true;  // waiting for its backoff: later events wait too
            break;
        }
        if (auto r = callHandler(c, e); r) {
            newLast = e.id;
            if (it != pending.end())
                tx.exec_params("DELETE FROM events.deliveries WHERE consumer = $1 AND event_id = $2", c.nameStd, e.id);
            if (c.delivered)
                c.delivered->Increment();
        } else {
            bool dead = false;
            recordFailure(tx, c, e.id, (it != pending.end() ? it->second.attempts : 0) + 1, errorText(r.error()), dead);
            if (!dead) {
                blocked = true;
                break;
            }
            newLast = e.id;  // dead: move on
        }
    }
    // Nothing of ours up to the horizon: the offset can still move there.
    if (!blocked && int(rows.size()) < cfg.batchSize)
        newLast = std::max(newLast, horizonNow);
    if (newLast != lastId)
        tx.exec_params("UPDATE events.consumers SET last_id = $2, updated_at = now() WHERE consumer = $1", c.nameStd, newLast);
    if (c.lag || c.dead) {
        const pqxx::result st = tx.exec_params(
            "SELECT coalesce((SELECT max(id) FROM events.outbox), 0),"
            " (SELECT count(*) FROM events.deliveries WHERE consumer = $1 AND dead)", c.nameStd);
        if (c.lag)
            c.lag->Set(double(std::max<qint64>(0, st[0][0].as<qint64>() - newLast)));
        if (c.dead)
            c.dead->Set(double(st[0][1].as<qint64>()));
    }
    tx.commit();
    if (retries.empty() && !blocked && int(rows.size()) < cfg.batchSize && newLast >= horizonNow)
        c.idleAt = horizonNow;
    return !blocked && int(rows.size()) == cfg.batchSize;
}

// Retention: delete, oldest first and in small transactions, the events older than
// `retentionHours` that every consumer offset has passed. Offsets only ever reach final ids,
// so nothing at or below the smallest one can still be delivered or commit late. Events a
// failed delivery still refers to stay (retry-dead re-delivers them from the outbox). With
// no consumer registered at all, the age alone decides (a new consumer starts at the
// oldest event that is left). SKIP LOCKED: processes pruning at once do not queue on rows.
qint64 PostgresEventBus::Private::pruneOnce()
{
    qint64 total = 0;
    while (running) {
        auto n = db.read<qint64>([this](pqxx::nontransaction &tx) -> Result<qint64> {
            const pqxx::result r = tx.exec_params(
                "DELETE FROM events.outbox WHERE id IN ("
                " SELECT o.id FROM events.outbox o"
                " WHERE o.id <= (SELECT coalesce(min(last_id), 9223372036854775807) FROM events.consumers)"
                "  AND o.created_at < now() - $1 * interval '1 hour'"
                "  AND NOT EXISTS (SELECT 1 FROM events.deliveries d WHERE d.event_id = o.id)"
                " ORDER BY o.id LIMIT $2 FOR UPDATE SKIP LOCKED)",
                cfg.retentionHours, cfg.retentionBatch);
            return qint64(r.affected_rows());
        });
        if (!n) {
            qCWarning(lcEvents, "event retention: %s %s", qPrintable(n.error().message), qPrintable(n.error().logDetail));
            break;
        }
        total += *n;
        if (pruned && *n > 0)
            pruned->Increment(double(*n));
        if (*n < cfg.retentionBatch)
            break;
    }
    return total;
}

void PostgresEventBus::Private::retentionLoop()
{
    while (running) {
        if (const qint64 n = pruneOnce(); n > 0)
            qCInfo(lcEvents, "event retention: pruned %lld events older than %d h", static_cast<long long>(n),
                   cfg.retentionHours);
        std::unique_lock l(wakeMutex);
        wakeCv.wait_for(l, std::chrono::milliseconds(cfg.retentionIntervalMs), [this] { return !running; });
    }
}

PostgresEventBus::PostgresEventBus(Db::Database &db, EventBusConfig config, prometheus::Registry *registry)
    : d(std::make_unique<Private>(db, config, registry))
{
    if (registry) {
        d->published = &prometheus::BuildCounter()
                            .Name("community_events_published_total")
                            .Help("Events written to the outbox (publish calls, including rolled-back ones)")
                            .Register(*registry)
                            .Add({});
        d->deliveredFamily = &prometheus::BuildCounter()
                                  .Name("community_events_delivered_total")
                                  .Help("Events handled successfully, per consumer")
                                  .Register(*registry);
        d->failedFamily = &prometheus::BuildCounter()
                               .Name("community_events_failed_total")
                               .Help("Failed event deliveries, per consumer")
                               .Register(*registry);
        d->deadFamily = &prometheus::BuildGauge()
                             .Name("community_events_dead")
                             .Help("Dead-lettered events, per consumer")
                             .Register(*registry);
        d->lagFamily = &prometheus::BuildGauge()
                            .Name("community_events_lag")
                            .Help("Newest outbox id minus the consumer's offset")
                            .Register(*registry);
        d->pruned = &prometheus::BuildCounter()
                         .Name("community_events_pruned_total")
                         .Help("Outbox events deleted by retention (older than events.retentionHours, passed by every consumer)")
                         .Register(*registry)
                         .Add({});
    }
}

PostgresEventBus::~PostgresEventBus()
{
    stop();
}

Result<MigrationSet> PostgresEventBus::migrations()
{
    return loadMigrations(QStringLiteral("events"), QStringLiteral(":/migrations/events"));
}

Result<qint64> PostgresEventBus::publish(pqxx::transaction_base &tx, const QString &type, const QString &aggregate,
                                         const QJsonObject &payload)
{
    if (!validName(type))
        return fail(ErrorCode::InvalidArgument, QStringLiteral("invalid event type \"%1\"").arg(type));
    if (aggregate.isEmpty() || aggregate.size() > 200)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("invalid event aggregate"));
    // The transaction id is assigned before the sequence is read (see advanceHorizon).
    // Exceptions propagate: the caller's transaction is broken and transact() maps them.
    // Prepared once per connection (libpqxx keeps the definition; re-registering is a
    // string compare): publishing sits on every write path.
    tx.conn().prepare("events_publish",
                      "INSERT INTO events.outbox (txid, id, type, aggregate, payload, request_id, actor_id, actor_kind)"
                      " SELECT x.t, nextval('events.outbox_id_seq'), $1, $2, $3::jsonb, $4, $5, $6"
                      " FROM (SELECT pg_current_xact_id() AS t, pg_advisory_xact_lock_shared("
                          + std::to_string(publishLockClass) + ", " + std::to_string(publishLockObject)
                          + ") AS l OFFSET 0) x RETURNING id");
    // Stamp the request being served (if any) so consumers such as the audit log know who
    // caused the event (docs/adr/0012-admin-plugin.md).
    std::optional<std::string> requestId, actorKind;
    std::optional<qint64> actorId;
    if (const RequestContext *rc = currentRequest()) {
        requestId = rc->requestId.toStdString();
        if (!rc->principal.isAnonymous()) {
            actorKind = actorKindName(rc->principal.kind);
            if (rc->principal.userId > 0)
                actorId = rc->principal.userId;
        }
    }
    const pqxx::result r = tx.exec_prepared("events_publish", type.toStdString(), aggregate.toStdString(),
                                            QJsonDocument(payload).toJson(QJsonDocument::Compact).toStdString(),
                                            requestId, actorId, actorKind);
    const qint64 id = r[0][0].as<qint64>();
    d->notePublished(id);
    if (d->published)
        d->published->Increment();
    {
        std::lock_guard l(d->notifyMutex);
        d->notifyPending = true;
    }
    d->notifyCv.notify_one();
    return id;
}

void PostgresEventBus::subscribe(const QString &consumer, const QStringList &types, Handler handler)
{
    d->addConsumer(consumer, types, std::move(handler), {});
}

void PostgresEventBus::subscribeBatch(const QString &consumer, const QStringList &types, BatchHandler handler)
{
    // One at a time (retries, the fallback after a failed batch): a batch of one.
    Handler single = [handler](const Event &e) { return handler(QList<Event>{e}); };
    d->addConsumer(consumer, types, std::move(single), std::move(handler));
}

void PostgresEventBus::Private::addConsumer(const QString &consumer, const QStringList &types, Handler handler,
                                            BatchHandler batch)
{
    if (running) {
        qCWarning(lcEvents, "subscribe(%s) after start() is ignored", qPrintable(consumer));
        return;
    }
    if (!validName(consumer)) {
        qCWarning(lcEvents, "invalid consumer name \"%s\" ignored", qPrintable(consumer));
        return;
    }
    for (const auto &c : consumers) {
        if (c->name == consumer) {
            qCWarning(lcEvents, "consumer %s subscribed twice; the second subscription is ignored", qPrintable(consumer));
            return;
        }
    }
    for (const QString &t : types) {
        if (!validName(t)) {
            qCWarning(lcEvents, "consumer %s: invalid event type \"%s\"; subscription ignored", qPrintable(consumer),
                      qPrintable(t));
            return;
        }
    }
    auto c = std::make_unique<Consumer>();
    c->name = consumer;
    c->nameStd = consumer.toStdString();
    c->types = types;
    c->typesArray = textArray(types);
    c->handler = std::move(handler);
    c->batch = std::move(batch);
    if (registry) {
        const std::map<std::string, std::string> labels{{"consumer", c->nameStd}};
        c->delivered = &deliveredFamily->Add(labels);
        c->failed = &failedFamily->Add(labels);
        c->dead = &deadFamily->Add(labels);
        c->lag = &lagFamily->Add(labels);
    }
    consumers.push_back(std::move(c));
}

Result<void> PostgresEventBus::start()
{
    if (d->running)
        return {};
    auto h = d->db.transact<qint64>([this](pqxx::work &tx) -> Result<qint64> {
        for (const auto &c : d->consumers)
            tx.exec_params("INSERT INTO events.consumers (consumer) VALUES ($1) ON CONFLICT DO NOTHING", c->nameStd);
        // Offsets only ever reach final ids, so the smallest one is a safe horizon to start from.
        return tx.exec("SELECT coalesce(min(last_id), 0) FROM events.consumers")[0][0].as<qint64>();
    });
    if (!h)
        return tl::unexpected(h.error());
    d->horizon = *h;
    d->gap = {};
    d->running = true;
    d->notifier = std::thread([this] { d->notifierLoop(); });
    if (!d->consumers.empty() || !d->broadcasts.empty())
        d->listener = std::thread([this] { d->listenerLoop(); });
    if (!d->broadcasts.empty())
        d->broadcaster = std::thread([this] { d->broadcastLoop(); });
    if (!d->consumers.empty()) {
        for (auto &c : d->consumers) {
            Consumer *cp = c.get();
            c->thread = std::thread([this, cp] { d->consumerLoop(*cp); });
        }
    }
    if (d->cfg.retentionHours > 0)
        d->retention = std::thread([this] { d->retentionLoop(); });
    return {};
}

void PostgresEventBus::stop()
{
    if (!d->running.exchange(false))
        return;
    {
        std::lock_guard l(d->notifyMutex);
    }
    d->notifyCv.notify_all();
    {
        std::lock_guard l(d->wakeMutex);
    }
    d->wakeCv.notify_all();
    for (auto &c : d->consumers) {
        if (c->thread.joinable())
            c->thread.join();
    }
    if (d->retention.joinable())
        d->retention.join();
    if (d->broadcaster.joinable())
        d->broadcaster.join();
    if (d->listener.joinable())
        d->listener.join();
    if (d->notifier.joinable())
        d->notifier.join();
}

void PostgresEventBus::subscribeBroadcast(const QStringList &types, Handler handler)
{
    if (d->running) {
        qCWarning(lcEvents, "subscribeBroadcast() after start() is ignored");
        return;
    }
    for (const QString &t : types) {
        if (!validName(t)) {
            qCWarning(lcEvents, "broadcast: invalid event type \"%s\"; subscription ignored", qPrintable(t));
            return;
        }
    }
    d->broadcasts.push_back(Broadcast{types, std::move(handler)});
}

void PostgresEventBus::setFaults(Chaos::FaultRegistry *faults)
{
    d->faults = faults;
}

void PostgresEventBus::wake()
{
    for (auto &c : d->consumers)
        c->forced = true;
    d->localWake = true;
    d->bumpGeneration();
}

qint64 PostgresEventBus::horizon() const
{
    return d->horizon.load();
}

Result<QList<Event>> PostgresEventBus::tail(qint64 afterId, int limit)
{
    limit = std::clamp(limit, 1, 1000);
    return d->db.read<QList<Event>>([&](pqxx::nontransaction &tx) -> Result<QList<Event>> {
        QList<Event> out;
        const pqxx::result r = afterId >= 0
            ? tx.exec_params(std::string("SELECT ") + eventColumns + " FROM events.outbox o WHERE o.id > $1 ORDER BY o.id LIMIT $2",
                             afterId, limit)
            : tx.exec_params(std::string("SELECT * FROM (SELECT ") + eventColumns +
                                 " FROM events.outbox o ORDER BY o.id DESC LIMIT $1) t ORDER BY 1",
                             limit);
        for (const auto &row : r)
            out.append(eventFromRow(row));
        return out;
    });
}

Result<QList<ConsumerStatus>> PostgresEventBus::consumers()
{
    return d->db.read<QList<ConsumerStatus>>([](pqxx::nontransaction &tx) -> Result<QList<ConsumerStatus>> {
        QList<ConsumerStatus> out;
        const pqxx::result r = tx.exec(
            "SELECT c.consumer, c.last_id, extract(epoch FROM c.updated_at)::float8,"
            " greatest(0, coalesce((SELECT max(id) FROM events.outbox), 0) - c.last_id),"
            " (SELECT count(*) FROM events.deliveries d WHERE d.consumer = c.consumer AND d.dead),"
            " (SELECT count(*) FROM events.deliveries d WHERE d.consumer = c.consumer AND NOT d.dead)"
            " FROM events.consumers c ORDER BY c.consumer");
        for (const auto &row : r) {
            ConsumerStatus s;
            s.consumer = QString::fromStdString(row[0].as<std::string>());
            s.lastId = row[1].as<qint64>();
            s.updatedAt = QDateTime::fromMSecsSinceEpoch(qint64(row[2].as<double>() * 1000.0), Qt::UTC);
            s.lag = row[3].as<qint64>();
            s.dead = row[4].as<qint64>();
            s.retrying = row[5].as<qint64>();
            out.append(s);
        }
        return out;
    });
}

Result<void> PostgresEventBus::replay(const QString &consumer, qint64 fromId)
{
    if (fromId < 1)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("fromId must be at least 1"));
    auto r = d->db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        const pqxx::result u = tx.exec_params(
            "UPDATE events.consumers SET last_id = $2, updated_at = now() WHERE consumer = $1 RETURNING 1",
            consumer.toStdString(), fromId - 1);
        if (u.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("no consumer \"%1\"").arg(consumer));
        tx.exec_params("DELETE FROM events.deliveries WHERE consumer = $1 AND event_id >= $2", consumer.toStdString(), fromId);
        return {};
    });
    if (r)
        wake();
    return r;
}

Result<qint64> PostgresEventBus::retryDead(const QString &consumer)
{
    auto r = d->db.transact<qint64>([&](pqxx::work &tx) -> Result<qint64> {
        if (tx.exec_params("SELECT 1 FROM events.consumers WHERE consumer = $1", consumer.toStdString()).empty())
            return fail(ErrorCode::NotFound, QStringLiteral("no consumer \"%1\"").arg(consumer));
        const pqxx::result u = tx.exec_params(
            "UPDATE events.deliveries SET dead = false, attempts = 0, next_attempt_at = now(), last_error = NULL"
            " WHERE consumer = $1 AND dead",
            consumer.toStdString());
        return qint64(u.affected_rows());
    });
    if (r)
        wake();
    return r;
}

} // namespace Community::Events
