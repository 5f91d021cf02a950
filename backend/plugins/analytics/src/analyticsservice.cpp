// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "analyticsservice.h"

#include "analyticsrepository.h"
#include "factsprojection.h"
#include "rollup.h"

#include "community/database.h"
#include "community/json.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QMutexLocker>
#include <QTimeZone>

#include <algorithm>
#include <atomic>

using namespace Community;

namespace Analytics {

AnalyticsService::AnalyticsService(Db::Database &db, IEventStore &store, AnalyticsConfig config, Events::EventBus *bus)
    : m_db(db), m_store(store), m_config(std::move(config)), m_bus(bus)
{
}

QDate AnalyticsService::rawFrom() const
{
    QMutexLocker lock(&m_mutex);
    if (m_oldestPartition.isValid())
        return m_oldestPartition;
    return QDateTime::currentDateTimeUtc().date().addDays(1 - m_config.retentionDays);
}

namespace {

constexpr const char *kLockRollups =
    "LOCK TABLE analytics.hourly, analytics.daily, analytics.active_hours, analytics.active_days, analytics.active_gaps,"
    " analytics.cohort_gaps, analytics.signup_days, analytics.accounts IN EXCLUSIVE MODE";

/// One shard per worker thread: concurrent batches never wait on each other's rollup rows.
int threadShard()
{
    static std::atomic<int> threads{0};
    thread_local const int shard = threads.fetch_add(1) % kRollupShards;
    return shard;
}

} // namespace

QList<RawEvent> AnalyticsService::store(pqxx::transaction_base &tx, const QList<RawEvent> &events)
{
    const int shard = threadShard();
    const QList<RawEvent> fresh = m_store.insertNew(tx, events, rawFrom());
    RollupDelta delta;
    for (const RawEvent &e : fresh)
        delta.add(e);
    AnalyticsRepository(tx).addRollups(delta, shard);
    return fresh;
}

QString AnalyticsService::ipHash(pqxx::transaction_base &tx, const QString &address, QDate day)
{
    QByteArray salt;
    {
        QMutexLocker lock(&m_mutex);
        if (m_saltDay == day)
            salt = m_salt;
    }
    if (salt.isEmpty()) {
        salt = AnalyticsRepository(tx).saltFor(day);
        QMutexLocker lock(&m_mutex);
        m_saltDay = day;
        m_salt = salt;
    }
    const QByteArray digest = QCryptographicHash::hash(salt + address.toUtf8(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.left(12).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Result<IngestResult> AnalyticsService::ingest(const Sender &sender, ParsedBatch batch, const QDateTime &now)
{
    IngestResult out;
    out.received = int(batch.events.size()) + batch.sampledOut;
    out.sampledOut = batch.sampledOut;
    out.clamped = batch.clamped;
    if (sender.doNotTrack) {
        out.optedOut = true;
        return out;
    }
    return m_db.transact<IngestResult>([&](pqxx::work &tx) -> Result<IngestResult> {
        // Client events may be lost in a crash within the WAL writer's delay (~0.2 s)
        // unless durableIngest: analytics trades that for not waiting on a flush per batch.
        if (!m_config.durableIngest)
            tx.exec("SET LOCAL synchronous_commit = off");
        AnalyticsRepository repo(tx);
        if (sender.userId && repo.optedOut(sender.userId)) {
            out.optedOut = true;
            return out;
        }
        // Signed-in events carry the user, anonymous ones the day's address hash; never both.
        const QString ip = sender.userId ? QString() : ipHash(tx, sender.address, now.date());
        const QString scope = sender.userId ? QStringLiteral("c:u%1:").arg(sender.userId) : QStringLiteral("c:i") + ip + u':';
        QList<RawEvent> events = batch.events;   // transact() may run this again
        for (RawEvent &e : events) {
            e.userId = sender.userId;
            e.ipHash = ip;
            e.key = scope + e.key;
        }
        out.accepted = int(store(tx, events).size());
        out.duplicates = int(batch.events.size()) - out.accepted;
        return out;
    });
}

Result<void> AnalyticsService::applyFact(const Events::Event &event)
{
    return applyFacts({event});
}

Result<void> AnalyticsService::applyFacts(const QList<Events::Event> &events)
{
    QList<Fact> facts;
    for (const Events::Event &event : events)
        if (Fact fact = factOf(event); fact.kind != Fact::Kind::Ignore)
            facts.append(fact);
    if (facts.isEmpty())
        return {};
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        AnalyticsRepository repo(tx);
        for (const Fact &fact : std::as_const(facts)) {
            if (fact.kind == Fact::Kind::AccountDeleted) {
                m_store.anonymiseUser(tx, fact.subjectId);
                repo.pseudonymise(fact.subjectId);
                continue;
            }
            // Facts are the platform's own records of what an account did, so they count
            // whatever the account's opt-out (which covers behavioural client events): a
            // replay then rebuilds the same figures whenever it runs.
            const RawEvent &e = fact.event;
            if (store(tx, {e}).isEmpty())
                continue;   // already applied (redelivery or replay)
            if (fact.kind == Fact::Kind::Signup && e.userId)
                repo.addAccount(fact.subjectId, e.at, threadShard());
            else if (fact.kind == Fact::Kind::ReportOpened)
                repo.reportOpened(fact.subjectId, e.communityId, e.at);
            else if (fact.kind == Fact::Kind::ReportResolved)
                repo.reportResolved(fact.subjectId, e.userId, fact.resolution, e.at);
        }
        return {};
    });
}

Result<QJsonObject> AnalyticsService::maintain(QDate today)
{
    const QDate keepFrom = today.addDays(1 - m_config.retentionDays);
    // Client times reach back maxPastSkewSeconds; a day more for time zones at the edge.
    const QDate needFrom = today.addDays(-(m_config.maxPastSkewSeconds + 86'399) / 86'400 - 1);
    QDate oldest;
    auto r = m_db.transact<QJsonObject>([&](pqxx::work &tx) -> Result<QJsonObject> {
        const QList<QDate> before = m_store.partitions(tx);
        // From the oldest day already kept (so days the node was down get theirs too), or
        // just what clients can send on a first start: not a partition per retained day.
        const QDate first = std::max(keepFrom, before.isEmpty() ? needFrom : std::min(before.first(), needFrom));
        m_store.ensurePartitions(tx, first, today.addDays(m_config.partitionsAhead));
        const QList<QDate> dropped = m_store.dropPartitionsBefore(tx, keepFrom);
        m_store.pruneKeys(tx, m_config.dedupWindowHours);
        AnalyticsRepository(tx).pruneSalts(today);
        const QList<QDate> now = m_store.partitions(tx);
        oldest = now.isEmpty() ? QDate() : now.first();
        QJsonArray droppedDays;
        for (const QDate &d : dropped)
            droppedDays.append(d.toString(Qt::ISODate));
        return QJsonObject{{QStringLiteral("partitions"), int(now.size())},
                           {QStringLiteral("created"), int(now.size() - before.size() + dropped.size())},
                           {QStringLiteral("dropped"), droppedDays},
                           {QStringLiteral("oldest"), now.isEmpty() ? QJsonValue() : oldest.toString(Qt::ISODate)},
                           {QStringLiteral("newest"), now.isEmpty() ? QJsonValue() : now.last().toString(Qt::ISODate)}};
    });
    if (r) {
        QMutexLocker lock(&m_mutex);
        m_oldestPartition = oldest;
    }
    return r;
}

Result<QJsonObject> AnalyticsService::rebuild()
{
    qint64 clientEvents = 0;
    auto r = m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        // Batches wait until the rebuild commits, so none is counted twice or missed.
        clientEvents = 0;
        tx.exec(kLockRollups);
        AnalyticsRepository(tx).clearRollups();
        m_store.deleteServerFacts(tx);
        m_store.scanClient(tx, 10'000, [&](const QList<RawEvent> &chunk) {
            RollupDelta delta;
            for (const RawEvent &e : chunk)
                delta.add(e);
            AnalyticsRepository(tx).addRollups(delta, 0, false);
            clientEvents += chunk.size();
        });
        AnalyticsRepository(tx).rebuildCounters();
        return {};
    });
    if (!r)
        return tl::unexpected(r.error());
    QJsonObject out{{QStringLiteral("clientEvents"), double(clientEvents)},
                    {QStringLiteral("consumer"), QString::fromLatin1(kFactsConsumer)},
                    {QStringLiteral("replayFrom"), 1},
                    {QStringLiteral("targetEventId"), 0}};
    if (!m_bus)
        return out;   // the caller redelivers the facts itself (tools, tests)
    qint64 target = 0;
    if (auto list = m_bus->consumers(); list) {
        for (const auto &c : *list)
            target = c.consumer == QLatin1String(kFactsConsumer) ? c.lastId + c.lag : target;
    }
    if (auto replay = m_bus->replay(QString::fromLatin1(kFactsConsumer), 1); !replay)
        return tl::unexpected(replay.error());
    out.insert(QStringLiteral("targetEventId"), double(target));
    return out;
}

Result<QStringList> AnalyticsService::syncReportZones()
{
    return m_db.transact<QStringList>([&](pqxx::work &tx) -> Result<QStringList> {
        // Batches wait while a new zone's counters are built, so none is missed.
        tx.exec(kLockRollups);
        return AnalyticsRepository(tx).syncZones(m_config.reportZones);
    });
}

Result<void> AnalyticsService::setOptOut(qint64 userId, bool optOut)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        AnalyticsRepository(tx).setOptOut(userId, optOut);
        return {};
    });
}

Result<bool> AnalyticsService::optedOut(qint64 userId)
{
    return m_db.transact<bool>([&](pqxx::work &tx) -> Result<bool> { return AnalyticsRepository(tx).optedOut(userId); });
}

Result<QJsonObject> AnalyticsService::live()
{
    return m_db.transact<QJsonObject>([&](pqxx::work &tx) -> Result<QJsonObject> {
        const LiveFigures f = m_store.live(tx);
        return QJsonObject{{QStringLiteral("activeUsers"), double(f.activeUsers)},
                           {QStringLiteral("visitors"), double(f.visitors)},
                           {QStringLiteral("eventsPerMinute"), double(f.eventsLastMinute)},
                           {QStringLiteral("at"), Json::iso(QDateTime::currentDateTimeUtc())}};
    });
}

} // namespace Analytics
