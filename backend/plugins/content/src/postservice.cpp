// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "postservice.h"

#include "authorrepository.h"
#include "contenterrors.h"
#include "communityrepository.h"
#include "contentevents.h"
#include "contenttext.h"
#include "permissions.h"

#include "community/database.h"

using namespace Community;
using Community::Http::HttpResponse;

namespace Content {

namespace {

bool isAuthor(const Principal &who, const PostRow &post)
{
    return !who.isAnonymous() && who.userId == post.authorId;
}

Events::UserMentioned postMention(const PostRow &post, const Principal &who)
{
    return mentionBy(who, post.id, std::nullopt, post.title);
}

} // namespace

Result<HttpResponse> PostService::create(const Principal &who, const QString &slug, const PostInput &in,
                                         const std::optional<IdempotencyKey> &key,
                                         const std::function<HttpResponse(const PostRow &)> &reply)
{
    if (auto allowed = checkWrite(m_ctx, QStringLiteral("post"), who.userId,
                                  {{QStringLiteral("title"), in.title.value_or(QString())},
                                   {QStringLiteral("body"), in.body.value_or(QString())}});
        !allowed)
        return tl::unexpected(allowed.error());
    // Render and resolve mentions before the transaction (CPU and directory calls).
    auto prepared = prepareBody(m_ctx, in.body.value_or(QString()), who.userId);
    if (!prepared)
        return tl::unexpected(prepared.error());
    return m_ctx.db.transact<HttpResponse>([&](pqxx::work &tx) {
        return idempotent(tx, who.userId, key, [&]() -> Result<HttpResponse> {
            CommunityRepository communities(tx);
            auto community = communities.find(slug);
            if (!community)
                return tl::unexpected(community.error());
            AuthorRepository::remember(tx, who.userId, who.username);
            PostRepository posts(tx);
            const qint64 id = posts.insert(community->id, who.userId, in.title.value_or(QString()),
                                           in.body.value_or(QString()), prepared->rendered.html,
                                           in.tags.value_or(QStringList()));
            communities.countPosts(community->id, 1);
            auto post = posts.load(id, who.userId);
            if (!post)
                return tl::unexpected(post.error());
            if (auto p = publish(m_ctx.events, tx, postChanged(Events::Type::PostCreated, *post)); !p)
                return tl::unexpected(p.error());
            if (auto m = publishMentions(m_ctx.events, tx, prepared->mentioned, postMention(*post, who)); !m)
                return tl::unexpected(m.error());
            return reply(*post);
        });
    });
}

Result<PostRow> PostService::edit(const Principal &who, qint64 postId, const PostInput &in)
{
    QList<std::pair<QString, QString>> changed;
    if (in.title)
        changed.append({QStringLiteral("title"), *in.title});
    if (in.body)
        changed.append({QStringLiteral("body"), *in.body});
    if (auto allowed = checkWrite(m_ctx, QStringLiteral("post"), who.userId, changed); !allowed)
        return tl::unexpected(allowed.error());
    std::optional<PreparedBody> prepared;
    if (in.body) {
        auto p = prepareBody(m_ctx, *in.body, who.userId);
        if (!p)
            return tl::unexpected(p.error());
        prepared = std::move(*p);
    }
    return m_ctx.db.transact<PostRow>([&](pqxx::work &tx) -> Result<PostRow> {
        PostRepository posts(tx);
        auto post = posts.lock(postId, who.userId);
        if (!post)
            return tl::unexpected(post.error());
        if (!isAuthor(who, *post))
            return tl::unexpected(forbidden(QStringLiteral("Only the author can edit a post.")));
        if (post->state != QLatin1String("visible"))
            return tl::unexpected(conflict(QStringLiteral("A deleted or removed post cannot be edited.")));
        const QString title = in.title.value_or(post->title);
        const QString body = in.body.value_or(post->body);
        const QStringList tags = in.tags.value_or(post->tags);
        if (title == post->title && body == post->body && tags == post->tags)
            return *post;   // nothing changed: no revision, no event
        posts.edit(postId, title, body, prepared ? std::optional(prepared->rendered.html) : std::nullopt, tags);
        auto updated = posts.load(postId, who.userId);
        if (!updated)
            return tl::unexpected(updated.error());
        if (auto p = publish(m_ctx.events, tx, postChanged(Events::Type::PostEdited, *updated)); !p)
            return tl::unexpected(p.error());
        // Only people newly mentioned by this revision hear about it.
        const auto fresh = prepared ? newlyMentioned(m_ctx.config, post->body, prepared->mentioned)
                                    : QList<Contracts::UserRecord>();
        if (auto m = publishMentions(m_ctx.events, tx, fresh, postMention(*updated, who)); !m)
            return tl::unexpected(m.error());
        return *updated;
    });
}

Result<PostRevisions> PostService::revisions(const Principal &who, qint64 viewer, qint64 postId)
{
    return m_ctx.db.transact<PostRevisions>([&](pqxx::work &tx) -> Result<PostRevisions> {
        PostRepository posts(tx);
        auto post = posts.load(postId, viewer);
        if (!post)
            return tl::unexpected(post.error());
        const bool privileged = isAuthor(who, *post) || moderates(tx, who, post->communityId);
        if (post->state != QLatin1String("visible") && !privileged)
            return tl::unexpected(notFound(QStringLiteral("No such post.")));
        return PostRevisions{*post, posts.revisions(postId)};
    });
}

Result<PostRow> PostService::setAuthorState(const Principal &who, qint64 postId, bool deleting)
{
    return m_ctx.db.transact<PostRow>([&](pqxx::work &tx) -> Result<PostRow> {
        PostRepository posts(tx);
        auto post = posts.lock(postId, who.userId);
        if (!post)
            return tl::unexpected(post.error());
        const bool author = isAuthor(who, *post);
        const bool moderator = moderates(tx, who, post->communityId);
        if (deleting && !author)
            return tl::unexpected(forbidden(QStringLiteral("Only the author can delete a post; moderators remove it.")));
        // Authors restore what they deleted; removed posts only come back by a moderator.
        if (!deleting && !(moderator || (author && post->state == QLatin1String("deleted"))))
            return tl::unexpected(forbidden(QStringLiteral("You cannot restore this post.")));
        const QString target = deleting ? QStringLiteral("deleted") : QStringLiteral("visible");
        if (post->state == target)
            return *post;
        if (deleting && post->state == QLatin1String("removed"))
            return tl::unexpected(conflict(QStringLiteral("The post was removed by a moderator.")));
        posts.setState(postId, target);
        CommunityRepository(tx).countPosts(post->communityId, deleting ? -1 : 1);
        auto updated = posts.load(postId, who.userId);
        if (!updated)
            return tl::unexpected(updated.error());
        const auto type = deleting ? Events::Type::PostDeleted : Events::Type::PostRestored;
        if (auto p = publish(m_ctx.events, tx, postChanged(type, *updated, who.userId)); !p)
            return tl::unexpected(p.error());
        return *updated;
    });
}

Result<PostRow> PostService::remove(const Principal &who, qint64 postId, const QString &reason)
{
    return moderate(who, postId, [&](PostRepository &posts, const PostRow &post) -> std::optional<QLatin1StringView> {
        if (post.state == QLatin1String("removed"))
            return std::nullopt;
        posts.remove(post.id, reason);
        if (post.state == QLatin1String("visible"))
            CommunityRepository(posts.transaction()).countPosts(post.communityId, -1);
        return Events::Type::PostRemoved;
    });
}

Result<PostRow> PostService::setFlag(const Principal &who, qint64 postId, PostFlag flag, bool on)
{
    return moderate(who, postId, [&](PostRepository &posts, const PostRow &post) -> std::optional<QLatin1StringView> {
        const bool pinned = flag == PostFlag::Pinned;
        if ((pinned ? post.pinned : post.locked) == on)
            return std::nullopt;
        posts.setFlag(post.id, flag, on);
        if (pinned)
            return on ? Events::Type::PostPinned : Events::Type::PostUnpinned;
        return on ? Events::Type::PostLocked : Events::Type::PostUnlocked;
    });
}

Result<PostRow> PostService::moderate(const Principal &who, qint64 postId, const ModerationStep &step)
{
    return m_ctx.db.transact<PostRow>([&](pqxx::work &tx) -> Result<PostRow> {
        PostRepository posts(tx);
        auto post = posts.lock(postId, who.userId);
        if (!post)
            return tl::unexpected(post.error());
        if (!moderates(tx, who, post->communityId))
            return tl::unexpected(forbidden(QStringLiteral("Only this community's moderators can do that.")));
        const auto type = step(posts, *post);
        auto updated = posts.load(postId, who.userId);
        if (!updated)
            return tl::unexpected(updated.error());
        if (type) {
            if (auto p = publish(m_ctx.events, tx, postChanged(*type, *updated, who.userId)); !p)
                return tl::unexpected(p.error());
        }
        return *updated;
    });
}

} // namespace Content
