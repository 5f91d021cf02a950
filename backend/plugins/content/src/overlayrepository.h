// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for a signed-in viewer's own values on a shared page (sharedpage.h): their votes
/// on its posts and comments and their bookmarks, in one prepared statement that reads
/// three primary-key ranges.

#include "sharedpage.h"

#include <pqxx/pqxx>

namespace Content {

/// The viewer's values and the fresh counters for the page's places; kOwnRecentWrite:
/// whether the viewer wrote a post or comment since the page's load (less the margin);
/// kModerates: whether the viewer moderates the page's community.
PageOverlay readOverlay(pqxx::transaction_base &tx, qint64 viewer, const SharedPage &page);

} // namespace Content
