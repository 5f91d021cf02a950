// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// One analytics event as stored: a client event after validation, or a server fact
/// projected from the event bus. Values; safe on any thread.

#include <QDateTime>
#include <QString>

namespace Analytics {

struct RawEvent {
    QDateTime at;              ///< when it happened (client time clamped, or the bus event's time)
    QString type;              ///< page_view, post, signup, ...
    bool server = false;       ///< a fact from the event bus
    qint64 userId = 0;         ///< 0: anonymous (or opted out, or deleted)
    QString ipHash;            ///< daily-salted hash; empty for server facts
    qint64 targetId = 0;       ///< post (or report) the event is about
    qint64 communityId = 0;
    QString dim;               ///< path, normalised query, platform
    qint64 num = -1;           ///< result count, click position; -1: none
    double weight = 1;         ///< 1 / sampling rate
    QString key;               ///< dedup key: "c:<scope>:<client id>" or "b:<bus event id>"
};

} // namespace Analytics
