// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "voteservice.h"

#include "contenterrors.h"
#include "contentevents.h"

#include "community/contracts/users.h"
#include "community/database.h"

using namespace Community;

namespace Content {

namespace {

QString targetName(VoteTarget target)
{
    return target == VoteTarget::Post ? QStringLiteral("post") : QStringLiteral("comment");
}

/// Why a vote on the target is refused, if it is (clearing a vote always works). Authors
/// do not vote on their own posts and comments: a score counts what others think.
std::optional<Error> refusal(VoteTarget target, const VotedRow &row, qint64 userId, int value)
{
    if (value == 0)
        return std::nullopt;
    if (row.authorId == userId) {
        Error e = forbidden(QStringLiteral("You cannot vote on your own %1.").arg(targetName(target)));
        e.type = QStringLiteral("own-content");
        return e;
    }
    if (target == VoteTarget::Comment && !row.postState.isEmpty() && row.postState != QLatin1String("visible"))
        return unavailable(QStringLiteral("post"), row.postState);
    if (row.state != QLatin1String("visible"))
        return unavailable(targetName(target), row.state);
    return std::nullopt;
}

} // namespace

Result<VoteCounts> VoteService::vote(qint64 userId, VoteTarget target, qint64 id, int value)
{
    // Who blocks the voter, read before the transaction (another plugin's connection).
    Contracts::ViewerRelations relations;
    if (value != 0) {
        auto r = m_ctx.relations.relationsOf(userId);
        if (!r)
            return tl::unexpected(r.error());
        relations = std::move(*r);
    }
    return m_ctx.db.transact<VoteCounts>([&](pqxx::work &tx) -> Result<VoteCounts> {
        VoteRepository votes(tx);
        const auto row = votes.lockTarget(target, id);
        if (!row)
            return tl::unexpected(notFound(QStringLiteral("No such %1.").arg(targetName(target))));
        if (auto refused = refusal(target, *row, userId, value))
            return tl::unexpected(*refused);
        if (value != 0 && relations.isBlockedBy(row->authorId))
            return tl::unexpected(blocked(targetName(target)));
        const int previous = votes.vote(target, id, userId);
        if (previous == value)
            return votes.counts(target, id);
        const VoteCounts counts = votes.change(target, id, userId, value, previous);
        Events::VoteChanged event;
        event.targetType = targetName(target);
        event.targetId = id;
        event.postId = row->postId;
        event.authorId = row->authorId;
        event.userId = userId;
        event.value = value;
        event.previous = previous;
        event.score = counts.score;
        if (auto p = publish(m_ctx.events, tx, event); !p)
            return tl::unexpected(p.error());
        return counts;
    });
}

Result<void> VoteService::bookmark(qint64 userId, qint64 postId, bool add)
{
    return m_ctx.db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        VoteRepository votes(tx);
        const auto state = votes.postState(postId);
        if (!state)
            return tl::unexpected(notFound(QStringLiteral("No such post.")));
        if (!add) {
            votes.removeBookmark(userId, postId);
            return {};
        }
        if (*state != QLatin1String("visible"))
            return tl::unexpected(unavailable(QStringLiteral("post"), *state));
        votes.addBookmark(userId, postId);
        return {};
    });
}

Result<QList<BookmarkRow>> VoteService::bookmarks(qint64 userId, const std::optional<QList<qint64>> &after, int rows)
{
    return m_ctx.db.read<QList<BookmarkRow>>([&](pqxx::nontransaction &tx) -> Result<QList<BookmarkRow>> {
        return VoteRepository(tx).bookmarks(userId, after, rows);
    });
}

} // namespace Content
