// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// The chaos API (admins and the operator token; every change audited through events):
//   GET    /v1/admin/chaos/faults                 active faults on this node, kinds, enabled
//   POST   /v1/admin/chaos/faults                 inject {kind, selector, probability, ..., ttlSeconds, lease, allNodes}
//   DELETE /v1/admin/chaos/faults/{id}            clear one
//   POST   /v1/admin/chaos/stop-all               clear every fault and lease {allNodes}
// allNodes: the fault (or the stop) reaches every daemon of the database over the event bus.
//   POST   /v1/admin/chaos/leases                 open a session lease {ttlSeconds}
//   POST   /v1/admin/chaos/leases/{id}/renew      keep it (and its faults) alive
//   DELETE /v1/admin/chaos/leases/{id}            end it, clearing its faults

#include "community/router.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

class QTimer;
namespace pqxx { class transaction_base; }

namespace Community {
namespace Db { class Database; }
namespace Events { class EventBus; }
namespace Chaos { class FaultRegistry; struct Fault; }

class ChaosRoutes {
public:
    /// Every argument must outlive the router's handlers. Installs the registry's
    /// cleared-observer (expired and lapsed faults are audited too).
    ChaosRoutes(Chaos::FaultRegistry &faults, Events::EventBus &bus, Db::Database &db);
    ~ChaosRoutes();

    QList<Http::Route> routes();

    /// Gives back the connections db.hold faults hold (and holds no more). Call before the
    /// database closes.
    void stop();

private:
    void list(Http::HttpRequest &req, const Http::Responder &res);
    void inject(Http::HttpRequest &req, const Http::Responder &res);
    void clear(Http::HttpRequest &req, const Http::Responder &res);
    void stopAll(Http::HttpRequest &req, const Http::Responder &res);
    void openLease(Http::HttpRequest &req, const Http::Responder &res);
    void renewLease(Http::HttpRequest &req, const Http::Responder &res);
    void closeLease(Http::HttpRequest &req, const Http::Responder &res);

    /// Adopts and clears other daemons' all-nodes faults (broadcast delivery).
    void followOtherNodes();
    /// db.hold: leases `count` connections on threads of their own (not the workers') and
    /// keeps them while the fault lives. Nothing for other kinds or another node's fault.
    void holdConnections(const Chaos::Fault &fault);
    /// Says (over the bus) that this node's leases with all-nodes faults are alive.
    void announceSharedLeases();
    /// Publishes the audit event in its own transaction, exempt from faults.
    Result<void> audit(const std::function<Result<qint64>(pqxx::transaction_base &)> &publish);

    Chaos::FaultRegistry &m_faults;
    Events::EventBus &m_bus;
    Db::Database &m_db;
    static constexpr int kAnnounceMs = 1000;
    std::unique_ptr<QTimer> m_announcer;

    struct Holder {
        std::thread thread;
        std::shared_ptr<std::atomic_bool> done;
    };
    std::mutex m_holdersMutex;
    std::vector<Holder> m_holders;
    std::atomic_bool m_stopping{false};
};

} // namespace Community
