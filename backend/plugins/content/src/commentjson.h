// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A comment as JSON, written as bytes: the post page writes up to maxPostPageComments of
/// them per request. One writer serves every view. Pure; thread-safe.

#include "commentrepository.h"

#include <QByteArray>
#include <QJsonObject>

namespace Content {

/// The fields of a comment object, without braces (a tree adds replies after them). A
/// deleted or removed comment keeps its id, state, place in the tree and counters but
/// shows no author or text unless `privileged` (its author or a moderator of the community).
void appendCommentFields(QByteArray &out, const CommentRow &comment, bool privileged);

/// The same fields as one object.
QJsonObject commentJson(const CommentRow &comment, bool privileged);

} // namespace Content
