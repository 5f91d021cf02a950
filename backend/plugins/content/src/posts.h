// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Post helpers shared with the comment and vote modules.

#include "postview.h"

#include <QJsonObject>

namespace Content {

/// The payload of content.post.* events: ids, author, community, title, markdown body,
/// tags, state, score and timestamps (enough for a search projection, no HTML).
QJsonObject postEventPayload(const PostRow &post);

/// Locks the post row (FOR UPDATE) and loads it; NotFound when missing.
Community::Result<PostRow> lockPost(pqxx::transaction_base &tx, qint64 postId, qint64 viewerId);

} // namespace Content
