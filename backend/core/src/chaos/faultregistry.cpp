// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/faults.h"

#include "community/json.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>

#include <array>
#include <mutex>
#include <shared_mutex>
#include <thread>

Q_LOGGING_CATEGORY(lcChaos, "community.chaos")

namespace Community::Chaos {

namespace {

constexpr std::array<std::pair<FaultKind, const char *>, 19> kKinds{{
    {FaultKind::HttpDelay, "http.delay"},
    {FaultKind::HttpAbort, "http.abort"},
    {FaultKind::HttpReset, "http.reset"},
    {FaultKind::HttpThrottle, "http.throttle"},
    {FaultKind::HttpTruncate, "http.truncate"},
    {FaultKind::DbLatency, "db.latency"},
    {FaultKind::DbRefuse, "db.refuse"},
    {FaultKind::DbDrop, "db.drop"},
    {FaultKind::DbSerialization, "db.serialization"},
    {FaultKind::DbHold, "db.hold"},
    {FaultKind::EventDelay, "event.delay"},
    {FaultKind::EventDuplicate, "event.duplicate"},
    {FaultKind::EventPause, "event.pause"},
    {FaultKind::WsDrop, "ws.drop"},
    {FaultKind::WsDelay, "ws.delay"},
    {FaultKind::OutboundTimeout, "outbound.timeout"},
    {FaultKind::OutboundError, "outbound.error"},
    {FaultKind::OutboundLatency, "outbound.latency"},
    {FaultKind::ClockOffset, "clock.offset"},
}};

thread_local bool t_exempt = false;
thread_local const Target *t_target = nullptr;

bool routeMatches(const QString &pattern, const QString &route)
{
    if (pattern.isEmpty())
        return true;
    if (pattern.endsWith(QLatin1Char('*')))
        return route.startsWith(QStringView(pattern).chopped(1));
    return pattern == route;
}

// Stable per (fault, subject): the same user stays in or out of the chosen share.
bool inShare(const QString &faultId, const QString &subject, double percent)
{
    if (percent >= 100)
        return true;
    if (percent <= 0)
        return false;
    const QByteArray h = QCryptographicHash::hash((faultId + QLatin1Char('|') + subject).toUtf8(),
                                                  QCryptographicHash::Sha1);
    const quint32 v = (quint32(quint8(h[0])) << 8) | quint8(h[1]);
    return double(v % 10000) < percent * 100.0;
}

QString randomId(const char *prefix)
{
    return QString::fromLatin1(prefix) + QString::number(QRandomGenerator::system()->generate64(), 36);
}

Error invalid(const QString &field, const QString &message)
{
    return invalidField(field, message, QStringLiteral("out_of_range"));
}

} // namespace

QString kindName(FaultKind kind)
{
    for (const auto &[k, name] : kKinds) {
        if (k == kind)
            return QString::fromLatin1(name);
    }
    return {};
}

std::optional<FaultKind> kindFromName(const QString &name)
{
    for (const auto &[k, n] : kKinds) {
        if (name == QLatin1String(n))
            return k;
    }
    return std::nullopt;
}

QStringList kindNames()
{
    QStringList out;
    for (const auto &[k, n] : kKinds)
        out << QString::fromLatin1(n);
    return out;
}

QJsonObject Fault::toJson() const
{
    QJsonObject sel{{QStringLiteral("route"), selector.route},
                    {QStringLiteral("plugin"), selector.plugin},
                    {QStringLiteral("percent"), selector.percent},
                    {QStringLiteral("node"), selector.node}};
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("kind"), kindName(kind)},
                       {QStringLiteral("selector"), sel},
                       {QStringLiteral("probability"), probability},
                       {QStringLiteral("delayMs"), delayMs},
                       {QStringLiteral("jitterMs"), jitterMs},
                       {QStringLiteral("status"), status},
                       {QStringLiteral("bytesPerSecond"), bytesPerSecond},
                       {QStringLiteral("bodyBytes"), double(bodyBytes)},
                       {QStringLiteral("count"), count},
                       {QStringLiteral("offsetSeconds"), double(offsetSeconds)},
                       {QStringLiteral("createdAt"), Json::iso(createdAt)},
                       {QStringLiteral("expiresAt"), Json::iso(expiresAt)},
                       {QStringLiteral("lease"), Json::orNull(leaseId)},
                       {QStringLiteral("leaseTtlMs"), leaseTtlMs},
                       {QStringLiteral("createdBy"), createdBy},
                       {QStringLiteral("hits"), double(hits)},
                       {QStringLiteral("allNodes"), allNodes},
                       {QStringLiteral("origin"), origin}};
}

std::optional<Fault> Fault::fromJson(const QJsonObject &o)
{
    const auto kind = kindFromName(o.value(QLatin1String("kind")).toString());
    Fault f;
    f.id = o.value(QLatin1String("id")).toString();
    f.expiresAt = QDateTime::fromString(o.value(QLatin1String("expiresAt")).toString(), Qt::ISODateWithMs);
    if (!kind || f.id.isEmpty() || !f.expiresAt.isValid())
        return std::nullopt;
    f.kind = *kind;
    const QJsonObject sel = o.value(QLatin1String("selector")).toObject();
    f.selector = {sel.value(QLatin1String("route")).toString(), sel.value(QLatin1String("plugin")).toString(),
                  sel.value(QLatin1String("percent")).toDouble(100), sel.value(QLatin1String("node")).toString()};
    f.probability = o.value(QLatin1String("probability")).toDouble(1);
    f.delayMs = o.value(QLatin1String("delayMs")).toInt();
    f.jitterMs = o.value(QLatin1String("jitterMs")).toInt();
    f.status = o.value(QLatin1String("status")).toInt(503);
    f.bytesPerSecond = o.value(QLatin1String("bytesPerSecond")).toInt(1024);
    f.bodyBytes = o.value(QLatin1String("bodyBytes")).toInteger(-1);
    f.count = o.value(QLatin1String("count")).toInt(1);
    f.leaseId = o.value(QLatin1String("lease")).toString();
    f.leaseTtlMs = o.value(QLatin1String("leaseTtlMs")).toInt();
    f.offsetSeconds = o.value(QLatin1String("offsetSeconds")).toInteger();
    f.createdAt = QDateTime::fromString(o.value(QLatin1String("createdAt")).toString(), Qt::ISODateWithMs);
    f.createdBy = o.value(QLatin1String("createdBy")).toString();
    f.allNodes = o.value(QLatin1String("allNodes")).toBool();
    f.origin = o.value(QLatin1String("origin")).toString();
    return f;
}

ExemptScope::ExemptScope() : m_previous(t_exempt) { t_exempt = true; }
ExemptScope::~ExemptScope() { t_exempt = m_previous; }
bool ExemptScope::active() { return t_exempt; }

TargetScope::TargetScope(Target target) : m_target(std::move(target)), m_previous(t_target) { t_target = &m_target; }
TargetScope::~TargetScope() { t_target = m_previous; }
const Target *TargetScope::current() { return t_target; }

struct LeaseState {
    int ttlMs = 0;
    QElapsedTimer renewed;
    QDateTime expiresAt;
    bool copy = false;   ///< stands for another node's lease (adopted all-nodes faults)
};

// A copy of another node's lease lapses after this many of its TTLs without word from the
// origin: the announcements (one a second) ride the event bus, which may lag a little.
constexpr int kCopyLeaseTtls = 2;

void markGone(const Fault &f)
{
    if (f.live)
        f.live->store(false);
}

struct FaultRegistry::Private {
    mutable std::shared_mutex mutex;
    QList<Fault> faults;
    QHash<QString, LeaseState> leases;
    std::function<void(const Fault &, ClearReason)> observer;
    prometheus::Family<prometheus::Gauge> *activeFamily = nullptr;
    prometheus::Family<prometheus::Counter> *hitsFamily = nullptr;
    prometheus::Family<prometheus::Counter> *clearedFamily = nullptr;

    void updateGaugesLocked() const
    {
        if (!activeFamily)
            return;
        QHash<FaultKind, int> counts;
        for (const Fault &f : faults)
            counts[f.kind]++;
        for (const auto &[k, name] : kKinds)
            activeFamily->Add({{"kind", name}}).Set(counts.value(k));
    }
};

FaultRegistry::FaultRegistry(Options options, prometheus::Registry *metrics, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_instanceId(randomId("n-")), d(std::make_unique<Private>())
{
    if (!metrics)
        return;
    d->activeFamily = &prometheus::BuildGauge()
                           .Name("community_chaos_faults_active")
                           .Help("Active injected faults on this node, by kind")
                           .Register(*metrics);
    d->hitsFamily = &prometheus::BuildCounter()
                         .Name("community_chaos_fault_hits_total")
                         .Help("Times an injected fault fired, by kind")
                         .Register(*metrics);
    d->clearedFamily = &prometheus::BuildCounter()
                            .Name("community_chaos_faults_cleared_total")
                            .Help("Faults removed, by reason (cleared, stop-all, expired, lease-lapsed)")
                            .Register(*metrics);
    prometheus::BuildGauge()
        .Name("community_chaos_enabled")
        .Help("1 when chaos.enabled is set on this node")
        .Register(*metrics)
        .Add({})
        .Set(m_options.enabled ? 1 : 0);
    d->updateGaugesLocked();
}

FaultRegistry::~FaultRegistry()
{
    if (m_timerThread) {
        m_timerThread->quit();
        m_timerThread->wait();
        delete m_timerThread;
    }
}

void FaultRegistry::runLater(int ms, std::function<void()> job)
{
    if (!m_timerContext) {
        job();
        return;
    }
    QMetaObject::invokeMethod(m_timerContext, [ctx = m_timerContext, ms, job = std::move(job)] {
        QTimer::singleShot(ms, Qt::PreciseTimer, ctx, job);
    }, Qt::QueuedConnection);
}

void FaultRegistry::start()
{
    if (m_timer)
        return;
    m_timer = new QTimer(this);
    m_timer->setInterval(250);
    connect(m_timer, &QTimer::timeout, this, &FaultRegistry::sweep);
    m_timer->start();
    m_timerThread = new QThread;
    m_timerThread->setObjectName(QStringLiteral("chaos-timers"));
    m_timerContext = new QObject;
    m_timerContext->moveToThread(m_timerThread);
    connect(m_timerThread, &QThread::finished, m_timerContext, &QObject::deleteLater);
    m_timerThread->start();
}

QString FaultRegistry::reasonName(ClearReason reason)
{
    switch (reason) {
    case ClearReason::Cleared: return QStringLiteral("cleared");
    case ClearReason::StopAll: return QStringLiteral("stop-all");
    case ClearReason::Expired: return QStringLiteral("expired");
    case ClearReason::LeaseLapsed: return QStringLiteral("lease-lapsed");
    }
    return {};
}

Result<Fault> FaultRegistry::inject(Fault f, int ttlSeconds)
{
    if (!m_options.enabled)
        return fail(ErrorCode::Forbidden, QStringLiteral("Fault injection is off on this node (chaos.enabled)."));
    if (ttlSeconds < 1 || ttlSeconds > m_options.maxTtlSeconds)
        return tl::unexpected(invalid(QStringLiteral("ttlSeconds"),
                                      QStringLiteral("must be 1..%1").arg(m_options.maxTtlSeconds)));
    if (f.probability < 0 || f.probability > 1)
        return tl::unexpected(invalid(QStringLiteral("probability"), QStringLiteral("must be 0..1")));
    if (f.selector.percent < 0 || f.selector.percent > 100)
        return tl::unexpected(invalid(QStringLiteral("selector.percent"), QStringLiteral("must be 0..100")));
    if (f.kind == FaultKind::HttpAbort && (f.status < 400 || f.status > 599))
        return tl::unexpected(invalid(QStringLiteral("status"), QStringLiteral("must be 400..599")));
    f.id = randomId("f-");
    f.createdAt = QDateTime::currentDateTimeUtc();
    f.expiresAt = f.createdAt.addSecs(ttlSeconds);
    f.hits = 0;
    f.leaseTtlMs = 0;
    f.live = std::make_shared<std::atomic_bool>(true);
    {
        std::unique_lock lock(d->mutex);
        if (d->faults.size() >= m_options.maxFaults)
            return fail(ErrorCode::Conflict, QStringLiteral("Too many active faults (%1).").arg(m_options.maxFaults));
        if (!f.leaseId.isEmpty()) {
            const auto lease = d->leases.constFind(f.leaseId);
            if (lease == d->leases.cend() || lease->copy)
                return fail(ErrorCode::Conflict, QStringLiteral("No such lease (it may have lapsed)."));
            f.leaseTtlMs = lease->ttlMs;
        }
        d->faults.append(f);
        m_count.store(int(d->faults.size()));
        d->updateGaugesLocked();
    }
    qCWarning(lcChaos, "fault %s injected: %s route=%s plugin=%s for %d s", qPrintable(f.id), qPrintable(kindName(f.kind)),
              qPrintable(f.selector.route), qPrintable(f.selector.plugin), ttlSeconds);
    return f;
}

std::optional<Fault> FaultRegistry::adopt(Fault f)
{
    if (!m_options.enabled || f.expiresAt <= QDateTime::currentDateTimeUtc())
        return std::nullopt;
    if (f.leaseTtlMs <= 0)
        f.leaseId.clear();
    f.hits = 0;
    f.live = std::make_shared<std::atomic_bool>(true);
    {
        std::unique_lock lock(d->mutex);
        if (d->faults.size() >= m_options.maxFaults)
            return std::nullopt;
        for (const Fault &existing : std::as_const(d->faults)) {
            if (existing.id == f.id)
                return std::nullopt;
        }
        if (!f.leaseId.isEmpty()) {
            // The origin's dead-man switch, carried over: the copy lives while the origin
            // announces the lease (renewCopyLease), not only until its time limit.
            auto lease = d->leases.find(f.leaseId);
            if (lease == d->leases.end()) {
                LeaseState s;
                s.ttlMs = kCopyLeaseTtls * f.leaseTtlMs;
                s.renewed.start();
                s.expiresAt = QDateTime::currentDateTimeUtc().addMSecs(s.ttlMs);
                s.copy = true;
                d->leases.insert(f.leaseId, s);
            } else if (!lease->copy) {
                return std::nullopt;   // a lease id of this node's own: not another node's fault
            }
        }
        d->faults.append(f);
        m_count.store(int(d->faults.size()));
        d->updateGaugesLocked();
    }
    qCWarning(lcChaos, "fault %s adopted from %s: %s until %s", qPrintable(f.id), qPrintable(f.origin),
              qPrintable(kindName(f.kind)), qPrintable(f.expiresAt.toString(Qt::ISODate)));
    return f;
}

bool FaultRegistry::clear(const QString &id, ClearReason reason)
{
    std::optional<Fault> gone;
    std::function<void(const Fault &, ClearReason)> observer;
    {
        std::unique_lock lock(d->mutex);
        for (qsizetype i = 0; i < d->faults.size(); ++i) {
            if (d->faults[i].id == id) {
                gone = d->faults.takeAt(i);
                break;
            }
        }
        m_count.store(int(d->faults.size()));
        d->updateGaugesLocked();
        observer = d->observer;
    }
    if (!gone)
        return false;
    markGone(*gone);
    qCWarning(lcChaos, "fault %s cleared (%s)", qPrintable(id), qPrintable(reasonName(reason)));
    if (d->clearedFamily)
        d->clearedFamily->Add({{"reason", reasonName(reason).toStdString()}}).Increment();
    if (observer)
        observer(*gone, reason);
    return true;
}

int FaultRegistry::stopAll()
{
    QList<Fault> gone;
    {
        std::unique_lock lock(d->mutex);
        gone.swap(d->faults);
        d->leases.clear();
        m_count.store(0);
        d->updateGaugesLocked();
    }
    for (const Fault &f : std::as_const(gone))
        markGone(f);
    qCWarning(lcChaos, "stop-all: %d fault(s) cleared", int(gone.size()));
    if (d->clearedFamily && !gone.isEmpty())
        d->clearedFamily->Add({{"reason", "stop-all"}}).Increment(double(gone.size()));
    return int(gone.size());
}

QList<Fault> FaultRegistry::faults() const
{
    std::shared_lock lock(d->mutex);
    return d->faults;
}

FaultRegistry::Lease FaultRegistry::openLease(int ttlMs)
{
    Lease l{randomId("l-"), ttlMs, QDateTime::currentDateTimeUtc().addMSecs(ttlMs)};
    LeaseState s;
    s.ttlMs = ttlMs;
    s.renewed.start();
    s.expiresAt = l.expiresAt;
    std::unique_lock lock(d->mutex);
    d->leases.insert(l.id, s);
    return l;
}

Result<FaultRegistry::Lease> FaultRegistry::renewLease(const QString &id)
{
    std::unique_lock lock(d->mutex);
    auto it = d->leases.find(id);
    if (it == d->leases.end() || it->copy || it->renewed.hasExpired(it->ttlMs))
        return fail(ErrorCode::NotFound, QStringLiteral("No such lease (it may have lapsed and its faults cleared)."));
    it->renewed.restart();
    it->expiresAt = QDateTime::currentDateTimeUtc().addMSecs(it->ttlMs);
    return Lease{id, it->ttlMs, it->expiresAt};
}

bool FaultRegistry::renewCopyLease(const QString &id)
{
    std::unique_lock lock(d->mutex);
    auto it = d->leases.find(id);
    if (it == d->leases.end() || !it->copy || it->renewed.hasExpired(it->ttlMs))
        return false;   // a lapsed copy stays lapsed: the sweep clears its faults
    it->renewed.restart();
    it->expiresAt = QDateTime::currentDateTimeUtc().addMSecs(it->ttlMs);
    return true;
}

QList<FaultRegistry::Lease> FaultRegistry::sharedLeases() const
{
    QList<Lease> out;
    std::shared_lock lock(d->mutex);
    QSet<QString> seen;
    for (const Fault &f : d->faults) {
        if (!f.allNodes || f.leaseId.isEmpty() || seen.contains(f.leaseId))
            continue;
        const auto it = d->leases.constFind(f.leaseId);
        if (it == d->leases.cend() || it->copy || it->renewed.hasExpired(it->ttlMs))
            continue;
        seen.insert(f.leaseId);
        out.append(Lease{f.leaseId, it->ttlMs, it->expiresAt});
    }
    return out;
}

int FaultRegistry::closeLease(const QString &id)
{
    QStringList ids;
    {
        std::unique_lock lock(d->mutex);
        const auto lease = d->leases.constFind(id);
        if (lease != d->leases.cend() && lease->copy)
            return 0;   // another node's lease: ended there
        d->leases.remove(id);
        for (const Fault &f : d->faults) {
            if (f.leaseId == id)
                ids << f.id;
        }
    }
    for (const QString &f : ids)
        clear(f, ClearReason::Cleared);
    return int(ids.size());
}

void FaultRegistry::setClearedObserver(std::function<void(const Fault &, ClearReason)> observer)
{
    std::unique_lock lock(d->mutex);
    d->observer = std::move(observer);
}

void FaultRegistry::sweep()
{
    QList<std::pair<QString, ClearReason>> due;
    {
        std::unique_lock lock(d->mutex);
        for (auto it = d->leases.begin(); it != d->leases.end();) {
            if (it->renewed.hasExpired(it->ttlMs))
                it = d->leases.erase(it);
            else
                ++it;
        }
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const Fault &f : d->faults) {
            if (f.expiresAt <= now)
                due.append({f.id, ClearReason::Expired});
            else if (!f.leaseId.isEmpty() && !d->leases.contains(f.leaseId))
                due.append({f.id, ClearReason::LeaseLapsed});
        }
    }
    for (const auto &[id, reason] : due)
        clear(id, reason);
}

std::optional<Fault> FaultRegistry::pick(FaultKind kind, const Target &target)
{
    if (!anyActive() || t_exempt)
        return std::nullopt;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::unique_lock lock(d->mutex);
    for (Fault &f : d->faults) {
        if (f.kind != kind || f.expiresAt <= now)
            continue;
        if (!f.selector.node.isEmpty() && f.selector.node != QLatin1String("*") && f.selector.node != m_options.nodeName)
            continue;
        if (!routeMatches(f.selector.route, target.route))
            continue;
        if (!f.selector.plugin.isEmpty() && !target.plugin.startsWith(f.selector.plugin))
            continue;
        if (!inShare(f.id, target.subject, f.selector.percent))
            continue;
        if (f.probability < 1 && QRandomGenerator::global()->generateDouble() >= f.probability)
            continue;
        ++f.hits;
        if (d->hitsFamily)
            d->hitsFamily->Add({{"kind", kindName(kind).toStdString()}}).Increment();
        return f;
    }
    return std::nullopt;
}

std::optional<Fault> FaultRegistry::pickForDatabase(FaultKind kind)
{
    if (!anyActive() || t_exempt)
        return std::nullopt;
    const Target *t = TargetScope::current();
    return pick(kind, t ? *t : Target{});
}

void sleepFor(const Fault &fault)
{
    int ms = fault.delayMs;
    if (fault.jitterMs > 0)
        ms += int(QRandomGenerator::global()->bounded(2 * fault.jitterMs + 1)) - fault.jitterMs;
    if (ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

} // namespace Community::Chaos
