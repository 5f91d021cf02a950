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

struct PageSlot {
    enum Kind : quint8 { PostVote, PostBookmark, CommentVote };
    qint64 id = 0;          ///< the post or comment
    qsizetype offset = 0;   ///< where the anonymous literal ("0" or "false") starts in the body
    Kind kind = PostVote;
};

struct SharedPage {
    Community::Http::HttpResponse response;   ///< the anonymous answer
    QList<PageSlot> places;                    ///< ascending offsets
    QList<qint64> authors;                    ///< every author among the rows read (look-ahead too)
    bool shareable = false;                   ///< false: every signed-in viewer gets the full answer
};

/// A viewer's own values for a page's places: key (kind, id) → value (vote -1/1, bookmark 1).
using PageOverlay = QHash<QPair<int, qint64>, int>;

/// page.response with the viewer's values written into the places (absent keys keep the
/// anonymous literal, which is the right value: no vote, no bookmark).
Community::Http::HttpResponse personalised(const SharedPage &page, const PageOverlay &overlay);

/// True if any of `hidden` wrote one of the page's rows.
bool hidesAnyone(const SharedPage &page, const QList<qint64> &hidden);

} // namespace Content
