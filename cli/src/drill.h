// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A chaos drill (docs/adr/0019-chaos-faults-and-drills.md): a JSON file naming a
/// hypothesis as checks on the daemon's own metrics and on the load's ledger, one fault, a
/// load, abort conditions and a recovery budget; and the Prometheus text the checks read.
/// Pure values and functions; safe on any thread.

#include "community/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace Community::Ctl::Drills {

/// One check: `metric` of the window (or of the ledger) must stay at or below `max`.
/// Metrics: "p95" (seconds, `route` as "METHOD /pattern"), "errorRatio" (5xx / requests,
/// optional `route`), "eventLag" (events, optional `consumer`: the largest lag otherwise),
/// "lost" and "duplicates" (acknowledged writes, from the ledger), "hung" (requests the
/// client gave up on).
struct Check {
    QString metric;
    QString route;
    QString consumer;
    double max = 0;

    QString name() const;   ///< "p95(POST /v1/posts/{id}/comments) <= 0.5"
    QJsonObject toJson() const;
};

struct Load {
    QString kind = QStringLiteral("comments");  ///< comments, reads, posts, websocket
    int concurrency = 4;
    int durationSeconds = 10;   ///< with the fault in place
    int steadySeconds = 3;      ///< before, to check the steady state
    double writeShare = 0.5;    ///< comments: share of writes among requests
    int clients = 8;            ///< websocket: subscribed clients
    double ratePerSecond = 0;   ///< all workers together; 0 = back to back
};

struct Drill {
    QString name;
    QString description;
    QList<Check> hypothesis;    ///< must hold in the steady state (metrics ones) and under the fault
    QJsonObject fault;          ///< the body of POST /v1/admin/chaos/faults (ttlSeconds added)
    Load load;
    QList<Check> abortWhen;     ///< any of them exceeded while injecting: ABORTED
    int recoveryBudgetSeconds = 10;
    QList<Check> recovery;      ///< must hold again within the budget after the fault is gone
};

/// Parses and validates a drill file's JSON; errors name the field.
Result<Drill> parseDrill(const QByteArray &json);
/// The drills shipped with communityctl (:/drills/*.json), by name.
QList<Drill> builtinDrills();

/// The samples of one Prometheus text exposition that the checks need.
class MetricsSample {
public:
    static MetricsSample parse(const QByteArray &text);

    /// Requests by route ("METHOD /pattern") and status class: total and 5xx.
    struct Counts { double total = 0; double errors = 0; };
    /// A route's latency histogram: cumulative counts by upper bound.
    using Buckets = QList<std::pair<double, double>>;

    QHash<QString, Counts> requests;
    QHash<QString, Buckets> latency;
    QHash<QString, double> eventLag;     ///< by consumer
    QHash<QString, double> faultHits;    ///< community_chaos_fault_hits_total by kind
};

/// The value of `check` over the window between two samples (metrics checks only).
/// nullopt: the window holds no data for it (no requests on the route): the check holds.
std::optional<double> windowValue(const Check &check, const MetricsSample &from, const MetricsSample &to);
/// Whether a route key belongs to the load (not health, metrics, chaos or system routes).
bool isLoadRoute(const QString &routeKey);

} // namespace Community::Ctl::Drills
