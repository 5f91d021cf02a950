// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "voterepository.h"

namespace Content {

namespace {

struct Tables {
    const char *table;           ///< content.posts | content.comments
    const char *votes;           ///< content.post_votes | content.comment_votes
    const char *key;             ///< post_id | comment_id
};
constexpr Tables kPostTables{"content.posts", "content.post_votes", "post_id"};
constexpr Tables kCommentTables{"content.comments", "content.comment_votes", "comment_id"};

const Tables &tables(VoteTarget target)
{
    return target == VoteTarget::Post ? kPostTables : kCommentTables;
}

/// "hot = <kHotSql for score + $2>": kHotSql reads the old row's columns, so its score is
/// replaced by the new score.
std::string hotOfNewScore()
{
    std::string sql = kHotSql;
    const std::string from = "score", to = "(score + $2)";
    for (size_t at = sql.find(from); at != std::string::npos; at = sql.find(from, at + to.size()))
        sql.replace(at, from.size(), to);
    return sql;
}

VoteCounts countsOf(const pqxx::row &r)
{
    return {r[0].as<int>(), r[1].as<int>(), r[2].as<int>()};
}

QString text(const pqxx::field &f)
{
    return QString::fromStdString(f.as<std::string>());
}

} // namespace

std::optional<VotedRow> VoteRepository::lockTarget(VoteTarget target, qint64 id)
{
    const auto row = target == VoteTarget::Post
        ? m_tx.exec_params("SELECT p.state, p.id, p.author_id, '' FROM content.posts p WHERE p.id = $1 FOR NO KEY UPDATE", id)
        : m_tx.exec_params("SELECT c.state, c.post_id, c.author_id, p.state FROM content.comments c "
                           "JOIN content.posts p ON p.id = c.post_id WHERE c.id = $1 FOR NO KEY UPDATE OF c",
                           id);
    if (row.empty())
        return std::nullopt;
    return VotedRow{text(row[0][0]), row[0][1].as<qint64>(), row[0][2].as<qint64>(), text(row[0][3])};
}

int VoteRepository::vote(VoteTarget target, qint64 id, qint64 userId)
{
    const Tables &t = tables(target);
    const auto prev = m_tx.exec_params(std::string("SELECT value FROM ") + t.votes + " WHERE " + t.key
                                           + " = $1 AND user_id = $2",
                                       id, userId);
    return prev.empty() ? 0 : prev[0][0].as<int>();
}

VoteCounts VoteRepository::counts(VoteTarget target, qint64 id)
{
    return countsOf(m_tx.exec_params(std::string("SELECT score, upvotes, downvotes FROM ") + tables(target).table
                                         + " WHERE id = $1",
                                     id)[0]);
}

VoteCounts VoteRepository::change(VoteTarget target, qint64 id, qint64 userId, int value, int previous)
{
    const Tables &t = tables(target);
    const std::string votes = t.votes, key = t.key;
    if (value == 0)
        m_tx.exec_params("DELETE FROM " + votes + " WHERE " + key + " = $1 AND user_id = $2", id, userId);
    else
        m_tx.exec_params("INSERT INTO " + votes + " (" + key + ", user_id, value) VALUES ($1, $2, $3) "
                         "ON CONFLICT (" + key + ", user_id) DO UPDATE SET value = EXCLUDED.value, created_at = now()",
                         id, userId, value);
    const int up = (value == 1) - (previous == 1);
    const int down = (value == -1) - (previous == -1);
    static const std::string hot = hotOfNewScore();
    const auto counts = m_tx.exec_params(std::string("UPDATE ") + t.table + " SET score = score + $2, upvotes = upvotes + $3, "
                                         "downvotes = downvotes + $4" + (target == VoteTarget::Post ? ", hot = " + hot : std::string())
                                             + " WHERE id = $1 RETURNING score, upvotes, downvotes",
                                         id, value - previous, up, down);
    return countsOf(counts[0]);
}

std::optional<QString> VoteRepository::postState(qint64 postId)
{
    const auto post = m_tx.exec_params("SELECT state FROM content.posts WHERE id = $1", postId);
    if (post.empty())
        return std::nullopt;
    return text(post[0][0]);
}

void VoteRepository::addBookmark(qint64 userId, qint64 postId)
{
    m_tx.exec_params("INSERT INTO content.bookmarks (user_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", userId,
                     postId);
}

void VoteRepository::removeBookmark(qint64 userId, qint64 postId)
{
    m_tx.exec_params("DELETE FROM content.bookmarks WHERE user_id = $1 AND post_id = $2", userId, postId);
}

QList<BookmarkRow> VoteRepository::bookmarks(qint64 userId, const std::optional<QList<qint64>> &after, int rows)
{
    // Keyset on (created_at, post_id) descending; the cursor carries created_at in
    // microseconds, turned back into a timestamp exactly (integer interval arithmetic).
    static const std::string base = postSelectWith(", (extract(epoch FROM b.created_at) * 1000000)::bigint")
                                    + " JOIN content.bookmarks b ON b.post_id = p.id AND b.user_id = $1";
    static const std::string first = base + " ORDER BY b.created_at DESC, b.post_id DESC LIMIT $2";
    static const std::string next = base + " WHERE (b.created_at, b.post_id) < "
                                           "('epoch'::timestamptz + $3::bigint * interval '1 microsecond', $4::bigint) "
                                           "ORDER BY b.created_at DESC, b.post_id DESC LIMIT $2";
    const pqxx::result result = after ? m_tx.exec_params(next, userId, rows, (*after)[0], (*after)[1])
                                      : m_tx.exec_params(first, userId, rows);
    QList<BookmarkRow> out;
    out.reserve(result.size());
    for (const auto &r : result)
        out.append({postFromRow(r), r[kPostColumnCount].as<qint64>()});
    return out;
}

} // namespace Content
