// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Contracts the search plugin provides.
///
/// IRoomSearch: full-text search within one chat room, over the search plugin's projection
/// of chat's message events (chat.message.created|edited|restored|deleted), with the same
/// analysis as the site search (Korean stems and bigrams, CJK bigrams, English stemming).
/// It answers from the index only: who may search a room, and whether a hit still exists
/// and is visible, are the caller's business (chat checks membership and re-reads each
/// message). The index lags the messages by the event bus's delivery (tens of ms).
/// Blocking (one database round trip): worker threads, outside your own transaction.

#include "community/result.h"

#include <QList>
#include <QString>

namespace Community::Contracts {

struct RoomSearchHit {
    qint64 messageId = 0;
    QString snippet;   ///< plain text around the match, with the terms in <mark>…</mark> (HTML-escaped)
};

class IRoomSearch {
public:
    static constexpr const char *interfaceId() { return "community.search.RoomSearch/1"; }
    virtual ~IRoomSearch() = default;

    /// Messages of `roomId` matching `query`, newest first, at most `limit` (1..100), only
    /// those with an id below `beforeMessageId` when it is > 0 (the next page). A query with
    /// nothing to search for (punctuation, stop words) finds nothing. InvalidArgument with a
    /// field error on "q" (too_long, too_many_terms, only_excluded) for a query refused.
    virtual Result<QList<RoomSearchHit>> searchRoom(qint64 roomId, const QString &query, int limit,
                                                    qint64 beforeMessageId) const = 0;
};

} // namespace Community::Contracts
