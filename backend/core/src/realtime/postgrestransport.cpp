// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "realtime/postgrestransport.h"

#include "community/database.h"
#include "community/host/postgreseventbus.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QUuid>

#include <pqxx/pqxx>

#include <chrono>

Q_DECLARE_LOGGING_CATEGORY(lcRealtime)

namespace Community::Realtime {

namespace {

constexpr const char *frameEvent = "realtime.frame";
constexpr const char *ephemeralChannel = "realtime_ephemeral";
/// PostgreSQL refuses NOTIFY payloads of 8000 bytes and more.
constexpr qsizetype maxNotifyPayload = 7900;

class Receiver final : public pqxx::notification_receiver {
public:
    Receiver(pqxx::connection_base &c, std::function<void(const std::string &)> on)
        : pqxx::notification_receiver(c, ephemeralChannel), m_on(std::move(on)) {}
    void operator()(const std::string &payload, int) override { m_on(payload); }

private:
    std::function<void(const std::string &)> m_on;
};

} // namespace

PostgresTransport::PostgresTransport(Events::PostgresEventBus &bus, Db::Database &db)
    : m_bus(bus), m_db(db), m_node(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

PostgresTransport::~PostgresTransport()
{
    m_running->store(false);
    if (m_listener.joinable())
        m_listener.join();
}

Result<MigrationSet> PostgresTransport::migrations()
{
    return loadMigrations(QStringLiteral("realtime"), QStringLiteral(":/migrations/realtime"));
}

Result<qint64> PostgresTransport::append(pqxx::transaction_base &tx, const QString &topic, bool durable,
                                         const QJsonObject &data)
{
    const std::string topicStd = topic.toStdString();
    const std::string json = QJsonDocument(data).toJson(QJsonDocument::Compact).toStdString();
    qint64 seq = 0;
    if (durable) {
        // The row lock on the topic orders publishers of one topic by commit.
        seq = tx.exec_params("INSERT INTO realtime.topics (topic, last_seq) VALUES ($1, 1)"
                             " ON CONFLICT (topic) DO UPDATE SET last_seq = realtime.topics.last_seq + 1"
                             " RETURNING last_seq",
                             topicStd)[0][0]
                  .as<qint64>();
        tx.exec_params("INSERT INTO realtime.frames (topic, seq, data) VALUES ($1, $2, $3::jsonb)", topicStd, seq,
                       json);
    }
    QJsonObject payload{{QStringLiteral("topic"), topic}, {QStringLiteral("data"), data}};
    if (seq)
        payload.insert(QStringLiteral("seq"), QString::number(seq));
    if (auto r = m_bus.publish(tx, QString::fromLatin1(frameEvent), topic, payload); !r)
        return tl::unexpected(r.error());
    return seq;
}

Result<ReplayRead> PostgresTransport::since(const QString &topic, qint64 since, int cap, int maxAgeSeconds)
{
    return m_db.read<ReplayRead>([&](pqxx::nontransaction &tx) -> Result<ReplayRead> {
        ReplayRead out;
        const std::string t = topic.toStdString();
        const pqxx::result last = tx.exec_params("SELECT last_seq FROM realtime.topics WHERE topic = $1", t);
        out.lastSeq = last.empty() ? 0 : last[0][0].as<qint64>();
        if (since < 0 || since >= out.lastSeq) {
            out.complete = since <= out.lastSeq;   // a cursor from the future is not ours
            return out;
        }
        if (out.lastSeq - since > cap)
            return out;   // beyond the cap: resync, nothing read
        const pqxx::result rows = tx.exec_params(
            "SELECT seq, data::text FROM realtime.frames WHERE topic = $1 AND seq > $2"
            " AND created_at > now() - make_interval(secs => $3) ORDER BY seq LIMIT $4",
            t, since, maxAgeSeconds, cap + 1);
        for (const pqxx::row &r : rows) {
            out.frames.append(Frame{topic, r[0].as<qint64>(),
                                    QJsonDocument::fromJson(QByteArray::fromStdString(r[1].as<std::string>())).object()});
        }
        out.complete = !out.frames.isEmpty() && out.frames.first().seq == since + 1
                       && out.frames.last().seq == out.lastSeq && out.frames.size() <= cap;
        return out;
    });
}

// Stored frames past the replay age, and their `realtime.frame` events in the outbox: those
// only carried frames between nodes, which every node has read long before. Events are
// deleted only below every durable consumer's offset (as the bus's own retention does), so
// no consumer finds a hole ahead of it, and in batches so no transaction grows large.
Result<qint64> PostgresTransport::prune(int maxAgeSeconds)
{
    return m_db.transact<qint64>([&](pqxx::work &tx) -> Result<qint64> {
        const pqxx::result frames = tx.exec_params(
            "DELETE FROM realtime.frames WHERE created_at < now() - make_interval(secs => $1)", maxAgeSeconds);
        const pqxx::result events = tx.exec_params(
            "DELETE FROM events.outbox WHERE id IN ("
            " SELECT o.id FROM events.outbox o"
            " WHERE o.type = $1"
            "  AND o.id <= (SELECT coalesce(min(last_id), 9223372036854775807) FROM events.consumers)"
            "  AND o.created_at < now() - make_interval(secs => $2)"
            "  AND NOT EXISTS (SELECT 1 FROM events.deliveries d WHERE d.event_id = o.id)"
            " ORDER BY o.id LIMIT 5000 FOR UPDATE SKIP LOCKED)",
            frameEvent, maxAgeSeconds);
        return qint64(frames.affected_rows() + events.affected_rows());
    });
}

void PostgresTransport::broadcast(const Frame &frame)
{
    const QByteArray payload = QJsonDocument(QJsonObject{{QStringLiteral("node"), m_node},
                                                         {QStringLiteral("topic"), frame.topic},
                                                         {QStringLiteral("data"), frame.data}})
                                   .toJson(QJsonDocument::Compact);
    Db::Database *db = &m_db;
    if (payload.size() <= maxNotifyPayload) {
        const bool queued = m_db.trySubmit([db, p = payload.toStdString()] {
            auto r = db->read<bool>([&](pqxx::nontransaction &tx) -> Result<bool> {
                tx.exec_params("SELECT pg_notify($1, $2)", ephemeralChannel, p);
                return true;
            });
            if (!r)
                qCDebug(lcRealtime, "ephemeral frame not sent to other nodes: %s", qPrintable(r.error().logDetail));
        });
        if (!queued)
            qCDebug(lcRealtime, "ephemeral frame not sent to other nodes: worker queue full");
        return;
    }
    // Too large for NOTIFY: a non-durable outbox event, which every node receives; this one
    // skips it by its origin (it delivered the frame already).
    Events::PostgresEventBus *bus = &m_bus;
    (void)m_db.trySubmit([db, bus, frame, node = m_node] {
        (void)db->transact<bool>([&](pqxx::work &tx) -> Result<bool> {
            const QJsonObject payload{{QStringLiteral("topic"), frame.topic}, {QStringLiteral("data"), frame.data},
                                      {QStringLiteral("origin"), node}};
            if (auto r = bus->publish(tx, QString::fromLatin1(frameEvent), frame.topic, payload); !r)
                return tl::unexpected(r.error());
            return true;
        });
    });
}

void PostgresTransport::onFrame(std::function<void(const Frame &)> sink)
{
    m_sink = sink;
    m_bus.subscribeBroadcast({QString::fromLatin1(frameEvent)}, [sink, node = m_node](const Events::Event &e) -> Result<void> {
        if (e.payload.value(QStringLiteral("origin")).toString() == node)
            return {};   // an ephemeral frame this node broadcast and delivered itself
        Frame f;
        f.topic = e.payload.value(QStringLiteral("topic")).toString();
        f.seq = e.payload.value(QStringLiteral("seq")).toString().toLongLong();
        f.data = e.payload.value(QStringLiteral("data")).toObject();
        if (!f.topic.isEmpty())
            sink(f);
        return {};
    });
    if (!m_running->exchange(true))
        m_listener = std::thread([this] { listen(); });
}

void PostgresTransport::received(const std::string &payload) const
{
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(payload)).object();
    if (o.value(QStringLiteral("node")).toString() == m_node)
        return;
    Frame f;
    f.topic = o.value(QStringLiteral("topic")).toString();
    f.data = o.value(QStringLiteral("data")).toObject();
    if (!f.topic.isEmpty() && m_sink)
        m_sink(f);
}

// The LISTEN connection is the transport's own (not the pool's); it reconnects with a
// back-off while the server is away (frames sent meanwhile are lost, as ephemeral ones may be).
void PostgresTransport::listen()
{
    using namespace std::chrono;
    const std::string conninfo = m_db.config().connectionString;
    int failures = 0;
    while (m_running->load()) {
        try {
            pqxx::connection conn(conninfo);
            Receiver receiver(conn, [this](const std::string &p) { received(p); });
            failures = 0;
            while (m_running->load())
                conn.await_notification(0, 200'000);
        } catch (const std::exception &e) {
            if (++failures == 1 || failures % 20 == 0)
                qCWarning(lcRealtime, "ephemeral listener: %s; reconnecting (attempt %d)", e.what(), failures);
            const auto until = steady_clock::now() + milliseconds(std::min(100 << std::min(failures - 1, 4), 1000));
            while (m_running->load() && steady_clock::now() < until)
                std::this_thread::sleep_for(milliseconds(50));
        }
    }
}

} // namespace Community::Realtime
