// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Feeds: keyset-paginated lists of visible posts (a community's, the home feed of
/// followed users and joined communities, all posts or one tag). Anonymous viewers are
/// answered in one autocommit read; a signed-in viewer's relations (followed and hidden
/// users) are looked up first, outside any transaction. Blocking: call from worker
/// threads. Thread-safe (no mutable state).

#include "contentcontext.h"
#include "feedrepository.h"

namespace Content {

class FeedService {
public:
    explicit FeedService(ContentContext &ctx) : m_ctx(ctx) {}

    /// The rows of one page for `viewer` (0: anonymous); NotFound for an unknown community
    /// or author. Authors the viewer must not see (blocks, mutes) give empty pages.
    Community::Result<FeedRows> page(const FeedQuery &q, qint64 viewer);

private:
    ContentContext &m_ctx;
};

} // namespace Content
