// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chaos/chaosroutes.h"

#include "community/contracts/events/chaos.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/host/faults.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>
#include <QTimer>

namespace Community {

using namespace Http;
using Chaos::Fault;
using Chaos::FaultRegistry;
namespace ChaosEvents = Contracts::Events::Chaos;

namespace {

// A decimal in [min, max] (probability, percent); JSON numbers only.
std::optional<double> decimal(BodyReader &body, const QString &field, double def, double min, double max)
{
    const QJsonValue v = body.value(field);
    if (v.isUndefined() || v.isNull())
        return def;
    if (!v.isDouble()) {
        body.addError(field, QStringLiteral("must be a number"), QStringLiteral("type"));
        return std::nullopt;
    }
    if (v.toDouble() < min || v.toDouble() > max) {
        body.addError(field, QStringLiteral("must be %1..%2").arg(min).arg(max), QStringLiteral("out_of_range"));
        return std::nullopt;
    }
    return v.toDouble();
}

// The selector object's fields, with errors named "selector.<field>".
Chaos::Selector readSelector(BodyReader &body)
{
    Chaos::Selector sel;
    const auto obj = body.object(QStringLiteral("selector"), Presence::Optional);
    if (!obj)
        return sel;
    BodyReader sub(*obj);
    sel.route = sub.string(QStringLiteral("route"), Presence::Optional, 200).value_or(QString());
    sel.plugin = sub.string(QStringLiteral("plugin"), Presence::Optional, 100).value_or(QString());
    sel.node = sub.string(QStringLiteral("node"), Presence::Optional, 100).value_or(QString());
    sel.percent = decimal(sub, QStringLiteral("percent"), 100, 0, 100).value_or(100);
    if (auto r = sub.finish(); !r) {
        for (FieldError e : r.error().fields) {
            e.field = QStringLiteral("selector.") + e.field;
            body.addError(e);
        }
    }
    return sel;
}

QString actor(const HttpRequest &req)
{
    return req.principal.username.isEmpty() ? QStringLiteral("operator") : req.principal.username;
}

ChaosEvents::FaultChanged changed(const Fault &f, const QString &node, QLatin1StringView type, const QString &reason)
{
    ChaosEvents::FaultChanged e;
    e.type = type;
    e.faultId = f.id;
    e.kind = Chaos::kindName(f.kind);
    e.node = node;
    e.reason = reason;
    e.fault = f.toJson();
    return e;
}

HttpResponse leaseJson(int status, const FaultRegistry::Lease &l)
{
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("id"), l.id},
                                                  {QStringLiteral("ttlMs"), l.ttlMs},
                                                  {QStringLiteral("expiresAt"), Json::iso(l.expiresAt)}});
}

} // namespace

ChaosRoutes::ChaosRoutes(FaultRegistry &faults, Events::EventBus &bus, Db::Database &db)
    : m_faults(faults), m_bus(bus), m_db(db)
{
    // Faults that go by themselves (time limit, lapsed lease) or by a lease's end: audited
    // as the system's action, on a worker (the sweep runs on the main thread).
    m_faults.setClearedObserver([this](const Fault &f, FaultRegistry::ClearReason reason) {
        if (reason == FaultRegistry::ClearReason::StopAll)
            return;
        const auto event = changed(f, m_faults.nodeName(), ChaosEvents::Type::FaultCleared, FaultRegistry::reasonName(reason));
        m_db.trySubmit([this, event] {
            audit([this, event](pqxx::transaction_base &tx) { return Events::publishEvent(m_bus, tx, event); });
        });
    });
    followOtherNodes();
    // The origin's side of the copies' dead-man switch: while a lease that all-nodes faults
    // are bound to is renewed here, say so once a second; the other nodes' copies lapse
    // without it (this daemon died, or the lease went and its cleared events were lost).
    m_announcer = std::make_unique<QTimer>();
    m_announcer->setInterval(kAnnounceMs);
    QObject::connect(m_announcer.get(), &QTimer::timeout, [this] { announceSharedLeases(); });
    m_announcer->start();
}

ChaosRoutes::~ChaosRoutes()
{
    stop();
}

void ChaosRoutes::stop()
{
    m_stopping.store(true);
    std::vector<Holder> holders;
    {
        std::lock_guard lock(m_holdersMutex);
        holders.swap(m_holders);
    }
    for (Holder &h : holders)
        h.thread.join();
}

void ChaosRoutes::holdConnections(const Fault &fault)
{
    if (fault.kind != Chaos::FaultKind::DbHold || !fault.live)
        return;
    if (!fault.selector.node.isEmpty() && fault.selector.node != QLatin1String("*") && fault.selector.node != m_faults.nodeName())
        return;
    std::lock_guard lock(m_holdersMutex);
    if (m_stopping.load())
        return;
    // Finished holders are joined here, so the list stays as long as what is held.
    for (auto it = m_holders.begin(); it != m_holders.end();) {
        if (it->done->load()) {
            it->thread.join();
            it = m_holders.erase(it);
        } else {
            ++it;
        }
    }
    for (int i = 0; i < fault.count; ++i) {
        auto done = std::make_shared<std::atomic_bool>(false);
        m_holders.push_back(Holder{std::thread([this, live = fault.live, until = fault.expiresAt, done] {
            // A leak, as a plugin that forgot a connection would make one: the pool has fewer
            // to hand out, callers wait (acquireTimeoutMs) and then fail.
            const Chaos::ExemptScope exempt;
            const auto held = m_db.withConnection([&](pqxx::connection &) -> Result<void> {
                while (live->load() && !m_stopping.load() && QDateTime::currentDateTimeUtc() < until)
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                return {};
            });
            if (!held)
                qWarning("chaos: db.hold could not lease a connection: %s", qPrintable(held.error().message));
            done->store(true);
        }), done});
    }
}

void ChaosRoutes::announceSharedLeases()
{
    const auto leases = m_faults.sharedLeases();
    if (leases.isEmpty())
        return;
    QList<ChaosEvents::LeaseAlive> events;
    for (const FaultRegistry::Lease &l : leases) {
        ChaosEvents::LeaseAlive e;
        e.leaseId = l.id;
        e.ttlMs = l.ttlMs;
        e.node = m_faults.nodeName();
        e.origin = m_faults.instanceId();
        events.append(e);
    }
    m_db.trySubmit([this, events] {
        audit([&](pqxx::transaction_base &tx) -> Result<qint64> {
            qint64 last = 0;
            for (const auto &e : events) {
                auto r = Events::publishEvent(m_bus, tx, e);
                if (!r)
                    return r;
                last = *r;
            }
            return last;
        });
    });
}

void ChaosRoutes::followOtherNodes()
{
    // Broadcast: every daemon sees every chaos event; it acts on all-nodes ones from others.
    m_bus.subscribeBroadcast({QString(ChaosEvents::Type::FaultInjected), QString(ChaosEvents::Type::FaultCleared)},
                             [this](const Events::Event &e) -> Result<void> {
        const auto changed = ChaosEvents::FaultChanged::fromJson(e.payload);
        const auto fault = changed ? Fault::fromJson(changed->fault) : std::nullopt;
        if (!fault || !fault->allNodes || fault->origin == m_faults.instanceId())
            return {};
        if (e.type == ChaosEvents::Type::FaultInjected) {
            if (const auto adopted = m_faults.adopt(*fault))
                holdConnections(*adopted);
        } else {
            m_faults.clear(fault->id, FaultRegistry::ClearReason::Cleared);
        }
        return {};
    });
    m_bus.subscribeBroadcast({QString(ChaosEvents::Type::LeaseAlive)}, [this](const Events::Event &e) -> Result<void> {
        const auto alive = ChaosEvents::LeaseAlive::fromJson(e.payload);
        if (alive && alive->origin != m_faults.instanceId())
            m_faults.renewCopyLease(alive->leaseId);
        return {};
    });
    m_bus.subscribeBroadcast({QString(ChaosEvents::Type::FaultsStopped)}, [this](const Events::Event &e) -> Result<void> {
        const auto stopped = ChaosEvents::FaultsStopped::fromJson(e.payload);
        if (stopped && stopped->allNodes && stopped->origin != m_faults.instanceId())
            m_faults.stopAll();
        return {};
    });
}

QList<Route> ChaosRoutes::routes()
{
    RouteOptions admin = RouteOptions::authenticated(Role::Admin);
    admin.owner = QStringLiteral("chaos");
    admin.rateClass = QStringLiteral("system");
    const RouteOptions body = RouteOptions(admin).withBodyLimit(8192);
    auto handler = [this](auto method) { return memberHandler(this, method); };
    return {
        {"GET", QStringLiteral("/v1/admin/chaos/faults"), admin, handler(&ChaosRoutes::list)},
        {"POST", QStringLiteral("/v1/admin/chaos/faults"), body, handler(&ChaosRoutes::inject)},
        {"DELETE", QStringLiteral("/v1/admin/chaos/faults/{id}"), admin, handler(&ChaosRoutes::clear)},
        {"POST", QStringLiteral("/v1/admin/chaos/stop-all"), body, handler(&ChaosRoutes::stopAll)},
        {"POST", QStringLiteral("/v1/admin/chaos/leases"), body, handler(&ChaosRoutes::openLease)},
        {"POST", QStringLiteral("/v1/admin/chaos/leases/{id}/renew"), body, handler(&ChaosRoutes::renewLease)},
        {"DELETE", QStringLiteral("/v1/admin/chaos/leases/{id}"), admin, handler(&ChaosRoutes::closeLease)},
    };
}

Result<void> ChaosRoutes::audit(const std::function<Result<qint64>(pqxx::transaction_base &)> &publish)
{
    const Chaos::ExemptScope exempt;
    return m_db.transact<int>([&](pqxx::work &tx) -> Result<int> {
        if (auto r = publish(tx); !r)
            return tl::unexpected(r.error());
        return 0;
    }).map([](int) {});
}

void ChaosRoutes::list(HttpRequest &, const Responder &res)
{
    QJsonArray arr;
    for (const Fault &f : m_faults.faults())
        arr.append(f.toJson());
    res.send(HttpResponse::json(200, QJsonObject{{QStringLiteral("enabled"), m_faults.enabled()},
                                                 {QStringLiteral("node"), m_faults.nodeName()},
                                                 {QStringLiteral("kinds"), QJsonArray::fromStringList(Chaos::kindNames())},
                                                 {QStringLiteral("faults"), arr}}));
}

void ChaosRoutes::inject(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    Fault f;
    const QString kind = body->string(QStringLiteral("kind"), Presence::Required, 40).value_or(QString());
    const auto k = Chaos::kindFromName(kind);
    if (!kind.isEmpty() && !k)
        body->addError(QStringLiteral("kind"), QStringLiteral("one of: %1").arg(Chaos::kindNames().join(QStringLiteral(", "))),
                       QStringLiteral("invalid_value"));
    f.kind = k.value_or(Chaos::FaultKind::HttpDelay);
    f.selector = readSelector(*body);
    f.probability = decimal(*body, QStringLiteral("probability"), 1, 0, 1).value_or(1);
    f.delayMs = int(body->integer(QStringLiteral("delayMs"), Presence::Optional, 0, 600'000).value_or(0));
    f.jitterMs = int(body->integer(QStringLiteral("jitterMs"), Presence::Optional, 0, 600'000).value_or(0));
    f.status = int(body->integer(QStringLiteral("status"), Presence::Optional, 400, 599).value_or(503));
    f.bytesPerSecond = int(body->integer(QStringLiteral("bytesPerSecond"), Presence::Optional, 1, 1 << 30).value_or(1024));
    f.bodyBytes = body->integer(QStringLiteral("bodyBytes"), Presence::Optional, 0, 1LL << 40).value_or(-1);
    f.count = int(body->integer(QStringLiteral("count"), Presence::Optional, 1, std::max(1, m_db.config().poolSize)).value_or(1));
    constexpr qint64 kTenYears = 10LL * 366 * 86'400;
    f.offsetSeconds = body->integer(QStringLiteral("offsetSeconds"), Presence::Optional, -kTenYears, kTenYears).value_or(0);
    f.leaseId = body->string(QStringLiteral("lease"), Presence::Optional, 100).value_or(QString());
    f.allNodes = body->boolean(QStringLiteral("allNodes"), Presence::Optional).value_or(false);
    if (f.allNodes)
        f.origin = m_faults.instanceId();
    const int ttl = int(body->integer(QStringLiteral("ttlSeconds"), Presence::Optional, 1, 86'400).value_or(60));
    if (auto valid = body->finish(); !valid)
        return sendError(req, res, valid.error());
    f.createdBy = actor(req);
    auto added = m_faults.inject(f, ttl);
    if (!added)
        return sendError(req, res, added.error());
    m_db.respondWith(req, res, [this, fault = *added]() -> Result<HttpResponse> {
        const auto event = changed(fault, m_faults.nodeName(), ChaosEvents::Type::FaultInjected, {});
        if (auto r = audit([&](pqxx::transaction_base &tx) { return Events::publishEvent(m_bus, tx, event); }); !r) {
            // Not audited, not active: no fault without its record.
            m_faults.clear(fault.id, FaultRegistry::ClearReason::Cleared);
            return tl::unexpected(r.error());
        }
        holdConnections(fault);
        return HttpResponse::json(201, fault.toJson());
    });
}

void ChaosRoutes::clear(HttpRequest &req, const Responder &res)
{
    const QString id = req.pathParams.value(QStringLiteral("id"));
    // The observer audits the clear.
    if (!m_faults.clear(id, FaultRegistry::ClearReason::Cleared))
        return sendError(req, res, notFound(QStringLiteral("No such fault (it may have expired).")));
    res.send(HttpResponse::empty(204));
}

void ChaosRoutes::stopAll(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res, true);
    if (!body)
        return;
    const bool allNodes = body->boolean(QStringLiteral("allNodes"), Presence::Optional).value_or(false);
    if (auto valid = body->finish(); !valid)
        return sendError(req, res, valid.error());
    // First stop, then record: stopping must not depend on the database being healthy.
    const int n = m_faults.stopAll();
    m_db.respondWith(req, res, [this, n, allNodes]() -> Result<HttpResponse> {
        ChaosEvents::FaultsStopped event;
        event.node = m_faults.nodeName();
        event.count = n;
        event.allNodes = allNodes;
        event.origin = m_faults.instanceId();
        const auto audited = audit([&](pqxx::transaction_base &tx) { return Events::publishEvent(m_bus, tx, event); });
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("cleared"), n},
                                                   {QStringLiteral("audited"), bool(audited)}});
    });
}

void ChaosRoutes::openLease(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res, true);
    if (!body)
        return;
    const int ttl = int(body->integer(QStringLiteral("ttlSeconds"), Presence::Optional, 2, 300).value_or(15));
    if (auto valid = body->finish(); !valid)
        return sendError(req, res, valid.error());
    if (!m_faults.enabled())
        return sendError(req, res, forbidden(QStringLiteral("Fault injection is off on this node (chaos.enabled).")));
    res.send(leaseJson(201, m_faults.openLease(ttl * 1000)));
}

void ChaosRoutes::renewLease(HttpRequest &req, const Responder &res)
{
    auto lease = m_faults.renewLease(req.pathParams.value(QStringLiteral("id")));
    if (!lease)
        return sendError(req, res, lease.error());
    res.send(leaseJson(200, *lease));
}

void ChaosRoutes::closeLease(HttpRequest &req, const Responder &res)
{
    const int n = m_faults.closeLease(req.pathParams.value(QStringLiteral("id")));
    res.send(HttpResponse::json(200, QJsonObject{{QStringLiteral("cleared"), n}}));
}

} // namespace Community
