// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "commentservice.h"

#include "contenterrors.h"
#include "contentevents.h"
#include "contenttext.h"
#include "permissions.h"
#include "routesupport.h"

#include "community/contracts/users.h"
#include "community/database.h"
#include "community/json.h"
#include "community/realtime.h"

using namespace Community;
using Community::Http::HttpResponse;

namespace Content {

namespace {

TreeQuery treeQuery(TreeScope scope, const TreeParams &p, qint64 anchor, const QList<qint64> &hidden, qint64 viewer,
                    bool moderator)
{
    TreeQuery q;
    q.scope = scope;
    q.sort = p.sort;
    q.anchor = anchor;
    q.limit = p.limit;
    q.hidden = hidden;
    q.viewer = viewer;
    q.moderator = moderator;
    return q;
}

Events::UserMentioned commentMention(const CommentRow &c, const Principal &who)
{
    return mentionBy(who, c.postId, c.id, std::nullopt);
}

/// The depth of a reply to `parentId` on `postId`, or why there may be none.
Result<int> replyDepth(CommentRepository &comments, qint64 postId, qint64 parentId, int maxDepth,
                       qint64 *parentAuthor)
{
    const auto parent = comments.lockParent(parentId);
    if (!parent)
        return tl::unexpected(invalidField(QStringLiteral("parentId"), QStringLiteral("no such comment"),
                                           QStringLiteral("not_found")));
    if (parent->postId != postId)
        return tl::unexpected(invalidField(QStringLiteral("parentId"), QStringLiteral("the comment belongs to another post"),
                                           QStringLiteral("not_in_post")));
    const int depth = parent->depth + 1;
    if (depth > maxDepth)
        return tl::unexpected(invalidField(QStringLiteral("parentId"),
                                           QStringLiteral("replies may nest at most %1 levels deep").arg(maxDepth),
                                           QStringLiteral("too_deep")));
    if (parent->state == QLatin1String("removed"))
        return tl::unexpected(unavailable(QStringLiteral("comment"), QStringLiteral("removed")));
    *parentAuthor = parent->authorId;
    return depth;
}

} // namespace

Result<QList<qint64>> CommentService::hiddenFor(qint64 viewer) const
{
    if (viewer <= 0)
        return QList<qint64>{};
    auto rel = m_ctx.relations.relationsOf(viewer);
    if (!rel)
        return tl::unexpected(rel.error());
    return rel->hidden;
}

Result<PostPage> CommentService::postPage(const Principal &who, qint64 postId, const TreeParams &p)
{
    const qint64 viewer = viewerOf(who);
    auto hidden = hiddenFor(viewer);
    if (!hidden)
        return tl::unexpected(hidden.error());
    return m_ctx.db.read<PostPage>([&](pqxx::nontransaction &tx) -> Result<PostPage> {
        CommentRepository comments(tx);
        const int flatMax = flatThreadMax(p.limit);
        const PostPageRows rows = comments.postPage(viewer, postId, flatMax);
        if (!rows.post)
            return tl::unexpected(notFound(QStringLiteral("No such post.")));
        const bool moderator = viewerModerates(who, viewer, rows.role);
        const TreeQuery q = treeQuery(TreeScope::Roots, p, postId, *hidden, viewer, moderator);
        // A small thread came with the post; a large one takes the bounded recursive statement.
        const bool flat = rows.post->commentCount <= flatMax && int(rows.thread.size()) <= flatMax;
        TreePage page = shapePage(flat ? flatCandidates(rows.thread, q) : comments.treeCandidates(q), q);
        const bool privileged = moderator || (viewer > 0 && viewer == rows.post->authorId);
        return PostPage{*rows.post, privileged, std::move(page)};
    });
}

Result<QList<AuthoredComment>> CommentService::byAuthor(const Principal &who, const QString &username, qint64 before,
                                                       int limit)
{
    auto author = activityOwner(m_ctx, username);
    if (!author)
        return tl::unexpected(author.error());
    const qint64 viewer = viewerOf(who);
    auto hidden = hiddenFor(viewer);
    if (!hidden)
        return tl::unexpected(hidden.error());
    if (hidden->contains(*author))
        return QList<AuthoredComment>{};
    return m_ctx.db.read<QList<AuthoredComment>>([&](pqxx::nontransaction &tx) -> Result<QList<AuthoredComment>> {
        return CommentRepository(tx).byAuthor(viewer, *author, *hidden, before, limit + 1);
    });
}

Result<TreePage> CommentService::list(const Principal &who, qint64 postId, qint64 parentId, const TreeParams &p)
{
    const qint64 viewer = viewerOf(who);
    auto hidden = hiddenFor(viewer);
    if (!hidden)
        return tl::unexpected(hidden.error());
    return m_ctx.db.read<TreePage>([&](pqxx::nontransaction &tx) -> Result<TreePage> {
        CommentRepository comments(tx);
        const auto anchor = comments.listAnchor(viewer, postId, parentId);
        if (!anchor)
            return tl::unexpected(notFound(QStringLiteral("No such post.")));
        if (parentId && anchor->parentPostId != postId)
            return tl::unexpected(notFound(QStringLiteral("No such comment on this post.")));
        TreeQuery q = treeQuery(parentId ? TreeScope::Replies : TreeScope::Roots, p, parentId ? parentId : postId,
                                *hidden, viewer, viewerModerates(who, viewer, anchor->role));
        q.after = p.after;
        return shapePage(comments.treeCandidates(q), q);
    });
}

Result<Permalink> CommentService::permalink(const Principal &who, qint64 commentId, const TreeParams &p)
{
    const qint64 viewer = viewerOf(who);
    auto hidden = hiddenFor(viewer);
    if (!hidden)
        return tl::unexpected(hidden.error());
    return m_ctx.db.read<Permalink>([&](pqxx::nontransaction &tx) -> Result<Permalink> {
        CommentRepository comments(tx);
        const auto post = comments.permalinkPost(viewer, commentId);
        if (!post)
            return tl::unexpected(notFound(QStringLiteral("No such comment.")));
        const bool moderator = viewerModerates(who, viewer, post->role);
        const TreeQuery q = treeQuery(TreeScope::Single, p, commentId, *hidden, viewer, moderator);
        TreePage page = shapePage(comments.treeCandidates(q), q);
        if (page.count == 0)
            return tl::unexpected(notFound(QStringLiteral("No such comment.")));
        const bool postHidden = post->state != QLatin1String("visible") && !moderator && viewer != post->authorId;
        return Permalink{*post, postHidden, std::move(page)};
    });
}

Result<HttpResponse> CommentService::create(const Principal &who, qint64 postId, const CommentInput &in,
                                            const std::optional<IdempotencyKey> &key,
                                            const std::function<HttpResponse(const CommentRow &)> &reply)
{
    if (auto allowed = checkWrite(m_ctx, QStringLiteral("comment"), who.userId, {{QStringLiteral("body"), in.body}}); !allowed)
        return tl::unexpected(allowed.error());
    // Render and resolve mentions before the transaction (CPU and directory calls).
    auto prepared = prepareBody(m_ctx, in.body, who.userId);
    if (!prepared)
        return tl::unexpected(prepared.error());
    return m_ctx.db.transact<HttpResponse>([&](pqxx::work &tx) {
        return idempotent(tx, who.userId, key, [&]() -> Result<HttpResponse> {
            CommentRepository comments(tx);
            const auto post = comments.lockPost(postId);
            if (!post)
                return tl::unexpected(notFound(QStringLiteral("No such post.")));
            if (post->state != QLatin1String("visible"))
                return tl::unexpected(unavailable(QStringLiteral("post"), post->state));
            if (post->locked && !moderates(tx, who, post->communityId))
                return tl::unexpected(unavailable(QStringLiteral("post"), QStringLiteral("locked")));
            if (prepared->authorRelations.isBlockedBy(post->authorId))
                return tl::unexpected(blocked(QStringLiteral("post")));
            int depth = 0;
            qint64 parentAuthor = 0;
            if (in.parentId) {
                auto d = replyDepth(comments, postId, in.parentId, m_ctx.config.maxCommentDepth, &parentAuthor);
                if (!d)
                    return tl::unexpected(d.error());
                if (prepared->authorRelations.isBlockedBy(parentAuthor))
                    return tl::unexpected(blocked(QStringLiteral("comment")));
                depth = *d;
            }
            const qint64 id = comments.insert(
                {postId, in.parentId, who.userId, who.username, depth, in.body, prepared->rendered.html});
            auto comment = comments.load(id, who.userId);
            if (!comment)
                return tl::unexpected(comment.error());
            // Who to tell about the reply travels with the event (no call back into content).
            Events::CommentChanged event = commentChanged(Events::Type::CommentCreated, *comment, post->communityId);
            event.postAuthorId = post->authorId;
            event.parentAuthorId.emplace(parentAuthor ? std::optional<qint64>(parentAuthor) : std::nullopt);
            if (auto p = publish(m_ctx.events, tx, event); !p)
                return tl::unexpected(p.error());
            if (auto m = publishMentions(m_ctx.events, tx, prepared->mentioned, commentMention(*comment, who)); !m)
                return tl::unexpected(m.error());
            if (auto live = publishLive(tx, *comment); !live)
                return tl::unexpected(live.error());
            return reply(*comment);
        });
    });
}

Result<CommentRow> CommentService::edit(const Principal &who, qint64 commentId, const QString &body)
{
    if (auto allowed = checkWrite(m_ctx, QStringLiteral("comment"), who.userId, {{QStringLiteral("body"), body}}); !allowed)
        return tl::unexpected(allowed.error());
    // Render and resolve mentions before the transaction (CPU and directory calls).
    auto prepared = prepareBody(m_ctx, body, who.userId);
    if (!prepared)
        return tl::unexpected(prepared.error());
    return m_ctx.db.transact<CommentRow>([&](pqxx::work &tx) -> Result<CommentRow> {
        CommentRepository comments(tx);
        auto target = comments.lockTarget(commentId, who.userId, false);
        if (!target)
            return tl::unexpected(target.error());
        const CommentRow &old = target->comment;
        if (old.authorId != who.userId)
            return tl::unexpected(forbidden(QStringLiteral("Only the author can edit a comment.")));
        if (old.state != QLatin1String("visible"))
            return tl::unexpected(unavailable(QStringLiteral("comment"), old.state));
        // A locked post's discussion is frozen: its comments are not rewritten after the fact
        // either (moderators excepted).
        if (target->postLocked && !moderates(tx, who, target->communityId))
            return tl::unexpected(unavailable(QStringLiteral("post"), QStringLiteral("locked")));
        if (old.body == body)
            return old;   // nothing changed: no revision, no event
        comments.edit(commentId, body, prepared->rendered.html);
        auto updated = comments.load(commentId, who.userId);
        if (!updated)
            return tl::unexpected(updated.error());
        if (auto p = publish(m_ctx.events, tx, commentChanged(Events::Type::CommentEdited, *updated, target->communityId)); !p)
            return tl::unexpected(p.error());
        // Only people newly mentioned by this revision hear about it.
        const auto fresh = newlyMentioned(m_ctx.config, old.body, prepared->mentioned);
        if (auto m = publishMentions(m_ctx.events, tx, fresh, commentMention(*updated, who)); !m)
            return tl::unexpected(m.error());
        return *updated;
    });
}

Result<CommentRevisions> CommentService::revisions(const Principal &who, qint64 commentId)
{
    const qint64 viewer = viewerOf(who);
    return m_ctx.db.read<CommentRevisions>([&](pqxx::nontransaction &tx) -> Result<CommentRevisions> {
        CommentRepository comments(tx);
        const auto head = comments.head(viewer, commentId);
        if (!head)
            return tl::unexpected(notFound(QStringLiteral("No such comment.")));
        const bool privileged = viewerModerates(who, viewer, head->role) || (viewer > 0 && viewer == head->authorId);
        if (head->state != QLatin1String("visible") && !privileged)
            return tl::unexpected(notFound(QStringLiteral("No such comment.")));
        return CommentRevisions{head->current, comments.revisions(commentId)};
    });
}

Result<CommentRow> CommentService::setAuthorState(const Principal &who, qint64 commentId, bool deleting)
{
    return m_ctx.db.transact<CommentRow>([&](pqxx::work &tx) -> Result<CommentRow> {
        CommentRepository comments(tx);
        auto target = comments.lockTarget(commentId, who.userId, true);
        if (!target)
            return tl::unexpected(target.error());
        const CommentRow &cm = target->comment;
        const bool author = cm.authorId == who.userId;
        if (deleting && !author)
            return tl::unexpected(forbidden(QStringLiteral("Only the author can delete a comment; moderators remove it.")));
        // Authors restore what they deleted; removed comments only come back by a moderator.
        if (!deleting && !((author && cm.state == QLatin1String("deleted")) || moderates(tx, who, target->communityId)))
            return tl::unexpected(forbidden(QStringLiteral("You cannot restore this comment.")));
        const QString wanted = deleting ? QStringLiteral("deleted") : QStringLiteral("visible");
        if (cm.state == wanted)
            return cm;
        if (deleting && cm.state == QLatin1String("removed"))
            return tl::unexpected(unavailable(QStringLiteral("comment"), cm.state));
        comments.setState(commentId, wanted);
        comments.countVisible(cm, deleting ? -1 : 1);
        return publishState(tx, deleting ? Events::Type::CommentDeleted : Events::Type::CommentRestored, commentId,
                            target->communityId, who);
    });
}

Result<CommentRow> CommentService::remove(const Principal &who, qint64 commentId, const QString &reason)
{
    return m_ctx.db.transact<CommentRow>([&](pqxx::work &tx) -> Result<CommentRow> {
        CommentRepository comments(tx);
        auto target = comments.lockTarget(commentId, who.userId, true);
        if (!target)
            return tl::unexpected(target.error());
        if (!moderates(tx, who, target->communityId))
            return tl::unexpected(forbidden(QStringLiteral("Only this community's moderators can remove comments.")));
        const CommentRow &cm = target->comment;
        if (cm.state == QLatin1String("removed"))
            return cm;
        comments.remove(commentId, reason);
        if (cm.state == QLatin1String("visible"))
            comments.countVisible(cm, -1);
        return publishState(tx, Events::Type::CommentRemoved, commentId, target->communityId, who, reason);
    });
}

Result<CommentRow> CommentService::publishState(pqxx::transaction_base &tx, QLatin1StringView type, qint64 commentId,
                                                qint64 communityId, const Principal &who, std::optional<QString> reason)
{
    auto updated = CommentRepository(tx).load(commentId, who.userId);
    if (!updated)
        return tl::unexpected(updated.error());
    Events::CommentChanged event = commentChanged(type, *updated, communityId);
    event.actorId = who.userId;
    event.reason = std::move(reason);
    if (auto p = publish(m_ctx.events, tx, event); !p)
        return tl::unexpected(p.error());
    return *updated;
}

Result<void> CommentService::publishLive(pqxx::transaction_base &tx, const CommentRow &comment)
{
    if (!m_ctx.realtime)
        return {};
    QJsonObject data{{QStringLiteral("kind"), QStringLiteral("comment.created")},
                     {QStringLiteral("postId"), Json::idString(comment.postId)},
                     {QStringLiteral("commentId"), Json::idString(comment.id)},
                     {QStringLiteral("authorId"), Json::idString(comment.authorId)}};
    if (comment.parentId)
        data.insert(QStringLiteral("parentId"), Json::idString(comment.parentId));
    auto r = m_ctx.realtime->publish(tx, QStringLiteral("post:%1").arg(comment.postId), data);
    if (!r)
        return tl::unexpected(r.error());
    return {};
}

} // namespace Content
