// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A feed request: which feed, sort (hot | new | top), top's window, page size and the
/// keyset cursor. Pure; thread-safe.
///
/// Cursors are keysets, never offsets: new → (created_at, id); hot → (hot, id); top →
/// (score, id). Hot and top cursors also carry the first page's time (the "anchor", the
/// database's now()): later pages only show posts created up to it, and top's window is
/// [anchor - t, anchor], so posts written while a reader pages neither shift the pages nor
/// show up half way (new needs no anchor: a new post sorts before its cursor anyway).

#include "contentconfig.h"
#include "postrepository.h"

#include "community/http.h"
#include "community/result.h"

namespace Content {

enum class FeedSort { Hot, New, Top };
enum class Feed { Community, Home, All, Author };

/// Pinned posts shown above page 1 of a community's hot and new feeds (moderators pin a few).
inline constexpr int kMaxPinned = 10;

struct FeedQuery {
    Feed feed = Feed::All;
    FeedSort sort = FeedSort::Hot;
    int window = 0;           ///< index into the top windows (all, day, week, month, year)
    int limit = 25;
    QString slug;             ///< community feeds
    QString tag;              ///< the all-posts feed; empty = every post
    QString username;         ///< author feeds (/v1/users/{username}/posts)
    qint64 authorId = 0;      ///< author feeds, resolved from username by the service
    qint64 anchorMicros = 0;  ///< hot/top, later pages: posts created after this are left out
    bool firstPage = true;
    // Keyset position: the last post of the previous page.
    qint64 afterCreated = 0;
    double afterHot = 0;
    qint64 afterScore = 0;
    qint64 afterId = 0;
};

/// Parses sort, t, limit, cursor (and tag for the all-posts feed); every bad field is
/// reported at once.
Community::Result<FeedQuery> parseFeedQuery(const Community::Http::HttpRequest &req, Feed feed, const ContentConfig &cfg);

/// Seconds of the query's top window (0: all time, and for other sorts).
qint64 windowSeconds(const FeedQuery &q);
/// Whether pinned posts are shown apart (community feeds, hot and new).
bool pinnedApart(const FeedQuery &q);

/// A post of a feed page and its creation time as the database has it.
struct FeedEntry {
    PostRow post;
    qint64 createdMicros = 0;
};

/// Descending by the sort's key, then id.
bool feedBefore(FeedSort sort, const FeedEntry &a, const FeedEntry &b);
/// The cursor of the page after `last`; `anchor` is the first page's time.
QString nextFeedCursor(const FeedQuery &q, qint64 anchor, const FeedEntry &last);

} // namespace Content
