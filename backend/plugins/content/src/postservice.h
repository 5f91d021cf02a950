// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Posts: create (idempotent, mentions), edit with revisions, author delete/restore,
/// moderator remove/restore, pin, lock — rules, authorization, transactions, events.
/// Blocking: call from worker threads. Thread-safe (no mutable state).

#include "contentcontext.h"
#include "idempotency.h"
#include "postrepository.h"

#include "community/http.h"
#include "community/principal.h"

#include <functional>

namespace Content {

/// A validated create (title and body set) or patch (what is set changes).
struct PostInput {
    std::optional<QString> title;
    std::optional<QString> body;
    std::optional<QStringList> tags;
};

struct PostRevisions {
    PostRow post;
    QList<RevisionRow> earlier;   ///< newest first
};

class PostService {
public:
    explicit PostService(ContentContext &ctx) : m_ctx(ctx) {}

    /// Creates a post in the community (content.post.created, mentions); `reply` makes
    /// the (stored) response.
    Community::Result<Community::Http::HttpResponse> create(
        const Community::Principal &who, const QString &slug, const PostInput &input,
        const std::optional<IdempotencyKey> &key, const std::function<Community::Http::HttpResponse(const PostRow &)> &reply);
    /// The author edits a visible post; the old text becomes a revision (none when
    /// nothing changed).
    Community::Result<PostRow> edit(const Community::Principal &who, qint64 postId, const PostInput &input);
    /// The post's revisions; NotFound for a hidden post unless author or moderator.
    Community::Result<PostRevisions> revisions(const Community::Principal &who, qint64 viewer, qint64 postId);
    /// Author delete (`deleting`) or restore (author for deleted, moderators for any).
    Community::Result<PostRow> setAuthorState(const Community::Principal &who, qint64 postId, bool deleting);
    /// A moderator removes the post.
    Community::Result<PostRow> remove(const Community::Principal &who, qint64 postId, const QString &reason);
    /// A moderator pins/unpins or locks/unlocks the post.
    Community::Result<PostRow> setFlag(const Community::Principal &who, qint64 postId, PostFlag flag, bool on);

private:
    /// Runs a moderator step on the locked post; `step` returns the event type to publish
    /// (nullopt: no change, no event).
    using ModerationStep = std::function<std::optional<QLatin1StringView>(PostRepository &, const PostRow &)>;
    Community::Result<PostRow> moderate(const Community::Principal &who, qint64 postId, const ModerationStep &step);

    ContentContext &m_ctx;
};

} // namespace Content
