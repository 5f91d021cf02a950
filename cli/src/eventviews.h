// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Table views of the event bus's operator API (/v1/system/events...) and the plan that
/// `events replay` shows before it moves an offset. Pure functions from JSON to text;
/// missing fields render as "-".

#include "adminviews.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace Community::Ctl {

/// Outbox events as a table (ID CREATED TYPE AGGREGATE PAYLOAD; the payload as compact
/// JSON, cut after 80 columns). Without @p header only the rows (the later batches of
/// `events tail --follow`). Empty with a header: "no events".
QString renderEvents(const QJsonArray &events, bool header = true);
/// One event as a JSON line (`events tail --follow -o json` prints one per event).
QByteArray eventJsonLine(const QJsonObject &event);
/// Consumers (CONSUMER OFFSET LAG DEAD RETRYING UPDATED), or "no consumers".
QString renderConsumers(const QJsonArray &consumers);
/// Results of retry-dead, [{"consumer", "retried"}] (CONSUMER RETRIED), or "no consumers".
QString renderRetried(const QJsonArray &results);

/// `events replay`: the consumer as GET /v1/system/events/consumers lists it, and the
/// offset change {"lastId": {"from": current, "to": fromId - 1}}. The description says
/// how many ids are re-delivered, or skipped when @p fromId lies ahead of the offset.
Plan planReplay(const QJsonObject &consumer, qint64 fromId);

} // namespace Community::Ctl
