// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Events the core's fault layer (chaos) publishes, so that staff actions on faults land in
/// the admin plugin's audit log. Producer: core (chaos API and the fault sweep); consumer:
/// admin.audit. Version 1. Nothing re-arms a fault from these events: faults live in
/// memory only (docs/adr/0019-chaos-faults-and-drills.md).
///
/// chaos.fault.injected: a fault was set (aggregate "fault:<id>").
/// chaos.fault.cleared: it went away: "cleared", "expired" or "lease-lapsed".
/// chaos.faults.stopped: stop-all on a node (aggregate "node:<name>").
/// Faults injected with allNodes (and stop-all with allNodes) reach every daemon of the
/// database through broadcast delivery of these same events: the others adopt the fault
/// (same id and time limit) and clear it when it is cleared anywhere (version 1, additive
/// fields `fault.allNodes`, `fault.origin`, `allNodes`, `origin`).
/// chaos.lease.alive: a session lease that all-nodes faults are bound to is still renewed
/// on their origin (aggregate "lease:<id>"); the other nodes keep their copies of those
/// faults while it keeps coming (docs/adr/0025-http-shaping-and-fault-copy-leases.md).

#include "community/contracts/events/eventjson.h"

#include <QLatin1StringView>

namespace Community::Contracts::Events::Chaos {

inline constexpr int kVersion = 1;

namespace Type {
inline constexpr QLatin1StringView FaultInjected{"chaos.fault.injected"};
inline constexpr QLatin1StringView FaultCleared{"chaos.fault.cleared"};
inline constexpr QLatin1StringView FaultsStopped{"chaos.faults.stopped"};
inline constexpr QLatin1StringView LeaseAlive{"chaos.lease.alive"};
} // namespace Type

struct FaultChanged {
    QLatin1StringView type = Type::FaultInjected;
    QString faultId;
    QString kind;             ///< "http.delay", ...
    QString node;
    QString reason;           ///< cleared: cleared, expired, lease-lapsed; injected: empty
    QJsonObject fault;        ///< the fault as the API shows it

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("fault:%1").arg(faultId); }
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("faultId"), faultId}, {QStringLiteral("kind"), kind},
                           {QStringLiteral("node"), node},       {QStringLiteral("reason"), reason},
                           {QStringLiteral("fault"), fault}};
    }
    static std::optional<FaultChanged> fromJson(const QJsonObject &o)
    {
        FaultChanged e;
        e.faultId = o.value(QStringLiteral("faultId")).toString();
        if (e.faultId.isEmpty())
            return std::nullopt;
        e.kind = o.value(QStringLiteral("kind")).toString();
        e.node = o.value(QStringLiteral("node")).toString();
        e.reason = o.value(QStringLiteral("reason")).toString();
        e.fault = o.value(QStringLiteral("fault")).toObject();
        return e;
    }
};

struct FaultsStopped {
    static constexpr QLatin1StringView type = Type::FaultsStopped;
    QString node;
    int count = 0;
    bool allNodes = false;    ///< every daemon of the database stops its faults too
    QString origin;           ///< instance id of the daemon that received the stop-all

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("node:%1").arg(node); }
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("node"), node}, {QStringLiteral("count"), count},
                           {QStringLiteral("allNodes"), allNodes}, {QStringLiteral("origin"), origin}};
    }
    static std::optional<FaultsStopped> fromJson(const QJsonObject &o)
    {
        FaultsStopped e;
        e.node = o.value(QStringLiteral("node")).toString();
        e.count = o.value(QStringLiteral("count")).toInt();
        e.allNodes = o.value(QStringLiteral("allNodes")).toBool();
        e.origin = o.value(QStringLiteral("origin")).toString();
        return e;
    }
};

struct LeaseAlive {
    static constexpr QLatin1StringView type = Type::LeaseAlive;
    QString leaseId;
    int ttlMs = 0;            ///< the lease's TTL on its origin
    QString node;
    QString origin;           ///< instance id of the daemon that holds the lease

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("lease:%1").arg(leaseId); }
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("leaseId"), leaseId}, {QStringLiteral("ttlMs"), ttlMs},
                           {QStringLiteral("node"), node}, {QStringLiteral("origin"), origin}};
    }
    static std::optional<LeaseAlive> fromJson(const QJsonObject &o)
    {
        LeaseAlive e;
        e.leaseId = o.value(QStringLiteral("leaseId")).toString();
        if (e.leaseId.isEmpty())
            return std::nullopt;
        e.ttlMs = o.value(QStringLiteral("ttlMs")).toInt();
        e.node = o.value(QStringLiteral("node")).toString();
        e.origin = o.value(QStringLiteral("origin")).toString();
        return e;
    }
};

} // namespace Community::Contracts::Events::Chaos
