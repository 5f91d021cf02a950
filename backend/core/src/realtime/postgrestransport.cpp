// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "realtime/postgrestransport.h"

#include "community/database.h"
#include "community/host/postgreseventbus.h"

#include <QJsonDocument>

#include <pqxx/pqxx>

namespace Community::Realtime {

namespace {
constexpr const char *frameEvent = "realtime.frame";
}

PostgresTransport::PostgresTransport(Events::PostgresEventBus &bus, Db::Database &db)
    : m_bus(bus), m_db(db)
{
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

Result<qint64> PostgresTransport::prune(int maxAgeSeconds)
{
    return m_db.transact<qint64>([&](pqxx::work &tx) -> Result<qint64> {
        const pqxx::result r = tx.exec_params(
            "DELETE FROM realtime.frames WHERE created_at < now() - make_interval(secs => $1)", maxAgeSeconds);
        return qint64(r.affected_rows());
    });
}

void PostgresTransport::onFrame(std::function<void(const Frame &)> sink)
{
    m_bus.subscribeBroadcast({QString::fromLatin1(frameEvent)}, [sink](const Events::Event &e) -> Result<void> {
        Frame f;
        f.topic = e.payload.value(QStringLiteral("topic")).toString();
        f.seq = e.payload.value(QStringLiteral("seq")).toString().toLongLong();
        f.data = e.payload.value(QStringLiteral("data")).toObject();
        if (!f.topic.isEmpty())
            sink(f);
        return {};
    });
}

} // namespace Community::Realtime
