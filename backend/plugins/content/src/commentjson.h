// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A comment as JSON, written as bytes: the post page writes up to maxPostPageComments of
/// them per request. One writer serves every view. Pure; thread-safe.

#include "sharedpage.h"
#include "commentrepository.h"

#include <QByteArray>
#include <QJsonObject>

namespace Content {

/// The fields of a comment object, without braces (a tree adds replies after them). A
/// deleted or removed comment keeps its id, state, place in the tree and counters but
/// shows no author or text unless `privileged` (its author or a moderator of the community).
/// `places`, when given, receives where score, upvotes, downvotes and myVote were
/// written (sharedpage.h).
void appendCommentFields(QByteArray &out, const CommentRow &comment, bool privileged,
                         QList<PageSlot> *places = nullptr);

/// The same fields as one object.
QJsonObject commentJson(const CommentRow &comment, bool privileged);

} // namespace Content
