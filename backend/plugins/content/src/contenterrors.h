// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The content plugin's own problem answers (as Error values; the SDK maps them). Pure.

#include "community/result.h"

namespace Content {

/// 409 for contributing to (commenting, voting, editing, bookmarking) content that is not
/// visible or is locked. Problem types: post-deleted, post-removed, post-locked,
/// comment-deleted, comment-removed. `what` is "post" or "comment", `state` deleted |
/// removed | locked.
Community::Error unavailable(const QString &what, const QString &state);

/// 403 (type "blocked"): the account behind `what` ("post", "comment", "mention of @x")
/// blocks the caller, and refuses their comments, replies, votes and mentions.
Community::Error blocked(const QString &what);

/// 409 (type "conflict") with a user-facing message.
Community::Error conflict(const QString &message);

} // namespace Content
