// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Client events: the batch envelope, one schema per type, clock-skew clamping and
/// per-type sampling. A batch is checked whole before anything is stored: one bad event
/// rejects the batch with every field error named (`events[3].props.path`).
/// Pure functions; safe on any thread.

#include "analyticsconfig.h"
#include "rawevent.h"

#include "community/request.h"

#include <QDateTime>
#include <QStringList>

namespace Analytics {

/// page_view, post_view, search, search_click, session_start.
const QStringList &clientEventTypes();

struct ParsedBatch {
    QList<RawEvent> events;   ///< kept after sampling, times clamped, keys without scope
    int sampledOut = 0;
    int clamped = 0;
};

/// Reads {"events":[{type, id, at, props}]} from `body` (and finish()es it).
/// InvalidArgument with field errors for a bad event; PayloadTooLarge beyond maxBatchEvents.
Community::Result<ParsedBatch> parseBatch(Community::Http::BodyReader &body, const AnalyticsConfig &cfg,
                                          const QDateTime &now);

/// `at` moved into [now - maxPast, now + maxFuture]: past is clamped to the window's start,
/// future to now. Sets *clamped when moved.
QDateTime clampTime(const QDateTime &at, const QDateTime &now, const AnalyticsConfig &cfg, bool *clamped);

/// Deterministic sampling: the same key is kept or dropped on every node and every resend.
bool keptBySample(const QString &key, double rate);

/// Search queries are counted case- and space-insensitively.
QString normaliseQuery(const QString &q);

} // namespace Analytics
