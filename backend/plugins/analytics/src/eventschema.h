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

#include <QByteArrayView>
#include <QDateTime>
#include <QStringList>

#include <optional>

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

/// The same as parseBatch() for the plain form every client library sends, read straight
/// from the bytes: one object with only "events", each event an object of "type", "id",
/// "at" and "props" (each at most once, any order), strings of printable ASCII without
/// escapes, prop values strings or integers of at most 15 digits. Anything else, and any
/// event parseBatch() would refuse (which includes over maxBatchEvents events, an unknown
/// type or prop, an id sent twice), gives nullopt without a word: the caller then takes
/// BodyReader::parse() + parseBatch(), which word every error. So an answer from here is
/// always the one parseBatch() would give (tst_analyticsschema compares the two), at a
/// fraction of the cost (no QJsonDocument, no BodyReader per event).
std::optional<ParsedBatch> readPlainBatch(QByteArrayView body, const AnalyticsConfig &cfg, const QDateTime &now);

/// Clamps `e`'s time, applies its type's sampling, and appends it to `batch` when kept.
void admitEvent(ParsedBatch &batch, RawEvent &&e, const AnalyticsConfig &cfg, const QDateTime &now);

/// A client event id: 1-64 of A-Z a-z 0-9 . _ : -
bool validClientId(QStringView id);

/// `at` moved into [now - maxPast, now + maxFuture]: past is clamped to the window's start,
/// future to now. Sets *clamped when moved.
QDateTime clampTime(const QDateTime &at, const QDateTime &now, const AnalyticsConfig &cfg, bool *clamped);

/// Deterministic sampling: the same key is kept or dropped on every node and every resend.
bool keptBySample(const QString &key, double rate);

/// Search queries are counted case- and space-insensitively.
QString normaliseQuery(const QString &q);

} // namespace Analytics
