// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A page as an anonymous reader gets it, plus what a signed-in viewer's copy needs
/// (ADR 0015): the places in the body where the viewer's own values go, and the authors
/// whose presence makes the page personal. A viewer who hides none of `authors` gets the
/// same page with their votes and bookmarks written into the places: one small indexed
/// query instead of the whole page again.

#include "community/http.h"

#include <QHash>
#include <QList>

namespace Content {

/// A value in the body that the overlay rewrites: the viewer's own (vote, bookmark) and
/// the fast-moving counters, read fresh with them so that they are exact on every
/// signed-in read while titles, excerpts and order come from the cached page.
struct PageSlot {
    enum Kind : quint8 {
        PostVote, PostBookmark, CommentVote,
        PostScore, PostUpvotes, PostDownvotes, PostComments,
        CommentScore, CommentUpvotes, CommentDownvotes,
    };
    qint64 id = 0;          ///< the post or comment
    qsizetype offset = 0;   ///< where the value written for the anonymous reader starts
    qsizetype length = 0;   ///< and its length
    Kind kind = PostVote;
};

struct SharedPage {
    Community::Http::HttpResponse response;   ///< the anonymous answer
    QList<PageSlot> places;                    ///< ascending offsets
    QList<qint64> authors;                    ///< every author among the rows read (look-ahead too)
    QList<qint64> seeMore;                    ///< viewers who see more than anonymous readers (own removed text)
    qint64 communityId = 0;                   ///< its moderators see more too (0: none do)
    bool shareable = false;                   ///< false: every signed-in viewer gets the full answer
    qint64 loadedAtMs = 0;                    ///< wall clock when its load began (set by the cache)
};

/// How long before a page's load a viewer's own post or comment makes their answer
/// personal (the page may not hold it: read-your-writes for new content). Covers
/// transactions that committed after the load began and modest clock differences.
inline constexpr qint64 kOwnWriteMarginMs = 10'000;

/// Values for a page's places: key (kind, id) → value (vote -1/1, bookmark 1, counters).
using PageOverlay = QHash<QPair<int, qint64>, qint64>;
/// The overlay key whose value is non-zero when the viewer moderates page.communityId.
inline const QPair<int, qint64> kModerates{254, 0};
/// The overlay key whose value is non-zero when the viewer wrote a post or comment since
/// the page's load (less the margin): their answer is then the full personal one.
inline const QPair<int, qint64> kOwnRecentWrite{255, 0};

/// page.response with the overlay's values written into the places (absent keys keep the
/// anonymous value, which is right: no vote, no bookmark; a row gone since keeps its counters).
Community::Http::HttpResponse personalised(const SharedPage &page, const PageOverlay &overlay);

/// True if any of `hidden` wrote one of the page's rows.
bool hidesAnyone(const SharedPage &page, const QList<qint64> &hidden);

/// Notes the places of a post's counters and the viewer's values in a body written by
/// QJsonDocument (postJson), searching from `from` (the post object's start): keys in a
/// compact document are structural (a quote inside a string is escaped), and the post's
/// come before any comment's.
void notePostPlaces(const QByteArray &body, qsizetype from, qint64 postId, QList<PageSlot> &places);

} // namespace Content
