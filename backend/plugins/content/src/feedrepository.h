// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The feed statements: one prepared SQL statement per request shape (community, home,
/// all posts; sort; first or later page), nothing else. Runs in an autocommit read.
///
/// Statements are prepared once per pooled connection and shape: planning one costs more
/// than running it. PostgreSQL reuses a generic plan only when it is not estimated dearer
/// than the custom ones, so the first page (most of the traffic) carries no parameter that
/// sways estimates: its anchor is the database's now(), returned in the last column, and
/// LIMIT is a literal from a few sizes (extra rows are cut by the caller), which also
/// bounds the number of shapes. Later pages (keyset parameters) usually get custom plans.

#include "feedquery.h"

#include "community/contracts/users.h"

#include <pqxx/pqxx>

#include <QList>

namespace Content {

/// A feed's rows, each list in the feed's order.
struct FeedRows {
    bool communityFound = true;   ///< community feeds: false for an unknown slug
    QList<FeedEntry> pinned;      ///< community hot/new first pages
    QList<FeedEntry> page;        ///< at least limit + 1 when another page follows
    qint64 nowMicros = 0;         ///< the database's clock: the anchor of later pages
};

class FeedRepository {
public:
    explicit FeedRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// The rows of one feed page for `viewer` (0: anonymous) with the viewer's followed
    /// and hidden users.
    FeedRows page(const FeedQuery &q, qint64 viewer, const Community::Contracts::ViewerRelations &rel);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Content
