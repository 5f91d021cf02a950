// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "usersrepository.h"

#include <QJsonDocument>
#include <QTimeZone>

namespace Users {

namespace {

std::string s(const QString &q) { return q.toStdString(); }

QString text(const pqxx::field &f)
{
    return f.is_null() ? QString() : QString::fromUtf8(f.c_str());
}

QDateTime fromMicros(qint64 micros)
{
    return QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC);
}

std::optional<std::string> nullable(const OptionalText &t)
{
    if (!t.present || t.null)
        return std::nullopt;
    return t.value.toStdString();
}


struct RelationSql {
    const char *table;
    const char *ownerColumn;   ///< whose list it is
    const char *otherColumn;   ///< who is listed
};

RelationSql relationSql(Relation r)
{
    switch (r) {
    case Relation::Followers: return {"users.follows", "followee_id", "follower_id"};
    case Relation::Following: return {"users.follows", "follower_id", "followee_id"};
    case Relation::Blocks: return {"users.blocks", "blocker_id", "blocked_id"};
    case Relation::Mutes: return {"users.mutes", "muter_id", "muted_id"};
    }
    return {"users.follows", "followee_id", "follower_id"};
}

} // namespace

ProfileChange UsersRepository::ensureProfile(qint64 userId, const QString &username, const QString &state)
{
    // Read paths call this on every request: when the row is already current the INSERT
    // selects nothing, so no row is locked and the transaction stays read-only (no WAL
    // flush at commit).
    const pqxx::result r = m_tx.exec_params(
        "INSERT INTO users.profiles (user_id, username, display_name, state) "
        "SELECT $1::bigint, $2::text, $2::text, $3::text WHERE NOT EXISTS ("
        "  SELECT 1 FROM users.profiles WHERE user_id = $1::bigint AND username = $2::text AND state = $3::text) "
        "ON CONFLICT (user_id) DO UPDATE SET username = EXCLUDED.username, state = EXCLUDED.state, updated_at = now() "
        "WHERE (users.profiles.username, users.profiles.state) IS DISTINCT FROM (EXCLUDED.username, EXCLUDED.state) "
        "RETURNING (xmax = 0)",
        userId, s(username), s(state));
    if (r.empty())
        return ProfileChange::None;
    return r[0][0].as<bool>() ? ProfileChange::Created : ProfileChange::Updated;
}

std::optional<Profile> UsersRepository::profile(qint64 userId)
{
    const pqxx::result r = m_tx.exec_params(
        "SELECT user_id, username, display_name, bio, avatar_url, locale, time_zone, settings::text, state, "
        "followers_count, following_count, (extract(epoch FROM created_at) * 1000000)::bigint, "
        "(extract(epoch FROM updated_at) * 1000000)::bigint FROM users.profiles WHERE user_id = $1",
        userId);
    if (r.empty())
        return std::nullopt;
    const auto row = r[0];
    Profile p;
    p.userId = row[0].as<qint64>();
    p.username = text(row[1]);
    p.displayName = text(row[2]);
    p.bio = text(row[3]);
    p.avatarUrl = text(row[4]);
    p.locale = text(row[5]);
    p.timeZone = text(row[6]);
    p.settings = QJsonDocument::fromJson(QByteArray(row[7].c_str())).object();
    p.state = text(row[8]);
    p.followersCount = row[9].as<qint64>();
    p.followingCount = row[10].as<qint64>();
    p.createdAt = fromMicros(row[11].as<qint64>());
    p.updatedAt = fromMicros(row[12].as<qint64>());
    return p;
}

void UsersRepository::applyPatch(qint64 userId, const ProfilePatch &p)
{
    const std::optional<std::string> settings = p.settings
        ? std::optional<std::string>(QJsonDocument(*p.settings).toJson(QJsonDocument::Compact).toStdString())
        : std::nullopt;
    m_tx.exec_params(
        "UPDATE users.profiles SET "
        "display_name = CASE WHEN $2::boolean THEN $3::text ELSE display_name END, "
        "bio = CASE WHEN $4::boolean THEN $5::text ELSE bio END, "
        "avatar_url = CASE WHEN $6::boolean THEN $7::text ELSE avatar_url END, "
        "locale = CASE WHEN $8::boolean THEN $9::text ELSE locale END, "
        "time_zone = CASE WHEN $10::boolean THEN $11::text ELSE time_zone END, "
        "settings = CASE WHEN $12::text IS NULL THEN settings ELSE jsonb_strip_nulls(settings || $12::jsonb) END, "
        "updated_at = now() WHERE user_id = $1",
        userId,
        p.displayName.present, nullable(p.displayName),
        p.bio.present, nullable(p.bio),
        p.avatarUrl.present, nullable(p.avatarUrl),
        p.locale.present, nullable(p.locale),
        p.timeZone.present, nullable(p.timeZone),
        settings);
}

bool UsersRepository::removeProfile(qint64 userId)
{
    // Lock the profile and everyone it relates to in id order, like follow() does.
    m_tx.exec_params(
        "SELECT user_id FROM users.profiles WHERE user_id = $1 "
        "OR user_id IN (SELECT followee_id FROM users.follows WHERE follower_id = $1) "
        "OR user_id IN (SELECT follower_id FROM users.follows WHERE followee_id = $1) "
        "ORDER BY user_id FOR UPDATE", userId);
    m_tx.exec_params(
        "UPDATE users.profiles p SET followers_count = p.followers_count - 1 "
        "FROM users.follows f WHERE f.follower_id = $1 AND p.user_id = f.followee_id", userId);
    m_tx.exec_params(
        "UPDATE users.profiles p SET following_count = p.following_count - 1 "
        "FROM users.follows f WHERE f.followee_id = $1 AND p.user_id = f.follower_id", userId);
    return m_tx.exec_params("DELETE FROM users.profiles WHERE user_id = $1", userId).affected_rows() > 0;
}

bool UsersRepository::exists(const char *sql, qint64 a, qint64 b)
{
    return !m_tx.exec_params(sql, a, b).empty();
}

Relationship UsersRepository::relationship(qint64 viewer, qint64 target)
{
    Relationship r;
    const pqxx::result row = m_tx.exec_params(
        "SELECT EXISTS (SELECT 1 FROM users.follows WHERE follower_id = $1 AND followee_id = $2), "
        "EXISTS (SELECT 1 FROM users.follows WHERE follower_id = $2 AND followee_id = $1), "
        "EXISTS (SELECT 1 FROM users.blocks WHERE blocker_id = $1 AND blocked_id = $2), "
        "EXISTS (SELECT 1 FROM users.blocks WHERE blocker_id = $2 AND blocked_id = $1), "
        "EXISTS (SELECT 1 FROM users.mutes WHERE muter_id = $1 AND muted_id = $2)",
        viewer, target);
    r.following = row[0][0].as<bool>();
    r.followedBy = row[0][1].as<bool>();
    r.blocking = row[0][2].as<bool>();
    r.blockedBy = row[0][3].as<bool>();
    r.muting = row[0][4].as<bool>();
    return r;
}

void UsersRepository::lockPair(qint64 a, qint64 b)
{
    m_tx.exec_params("SELECT user_id FROM users.profiles WHERE user_id IN ($1, $2) ORDER BY user_id FOR UPDATE",
                     a, b);
}

void UsersRepository::adjustCounts(qint64 follower, qint64 followee, int delta)
{
    // Callers hold both row locks (lockPair), so the order here cannot deadlock.
    m_tx.exec_params("UPDATE users.profiles SET following_count = following_count + $2 WHERE user_id = $1",
                     follower, delta);
    m_tx.exec_params("UPDATE users.profiles SET followers_count = followers_count + $2 WHERE user_id = $1",
                     followee, delta);
}

Outcome UsersRepository::follow(qint64 follower, qint64 followee)
{
    if (follower == followee)
        return Outcome::Self;
    lockPair(follower, followee);
    if (exists("SELECT 1 FROM users.blocks WHERE (blocker_id = $1 AND blocked_id = $2) "
               "OR (blocker_id = $2 AND blocked_id = $1)", follower, followee))
        return Outcome::Blocked;
    const pqxx::result ins = m_tx.exec_params(
        "INSERT INTO users.follows (follower_id, followee_id) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING RETURNING id", follower, followee);
    if (ins.empty())
        return Outcome::Unchanged;
    adjustCounts(follower, followee, 1);
    return Outcome::Changed;
}

Outcome UsersRepository::unfollow(qint64 follower, qint64 followee)
{
    if (follower == followee)
        return Outcome::Self;
    lockPair(follower, followee);
    const pqxx::result del = m_tx.exec_params(
        "DELETE FROM users.follows WHERE follower_id = $1 AND followee_id = $2 RETURNING id", follower, followee);
    if (del.empty())
        return Outcome::Unchanged;
    adjustCounts(follower, followee, -1);
    return Outcome::Changed;
}

Outcome UsersRepository::block(qint64 blocker, qint64 blocked)
{
    if (blocker == blocked)
        return Outcome::Self;
    lockPair(blocker, blocked);
    const pqxx::result ins = m_tx.exec_params(
        "INSERT INTO users.blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id",
        blocker, blocked);
    const pqxx::result gone = m_tx.exec_params(
        "DELETE FROM users.follows WHERE (follower_id = $1 AND followee_id = $2) "
        "OR (follower_id = $2 AND followee_id = $1) RETURNING follower_id, followee_id",
        blocker, blocked);
    for (const auto &row : gone)
        adjustCounts(row[0].as<qint64>(), row[1].as<qint64>(), -1);
    return ins.empty() ? Outcome::Unchanged : Outcome::Changed;
}

Outcome UsersRepository::unblock(qint64 blocker, qint64 blocked)
{
    if (blocker == blocked)
        return Outcome::Self;
    const pqxx::result del = m_tx.exec_params(
        "DELETE FROM users.blocks WHERE blocker_id = $1 AND blocked_id = $2 RETURNING id", blocker, blocked);
    return del.empty() ? Outcome::Unchanged : Outcome::Changed;
}

Outcome UsersRepository::mute(qint64 muter, qint64 muted)
{
    if (muter == muted)
        return Outcome::Self;
    const pqxx::result ins = m_tx.exec_params(
        "INSERT INTO users.mutes (muter_id, muted_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id",
        muter, muted);
    return ins.empty() ? Outcome::Unchanged : Outcome::Changed;
}

Outcome UsersRepository::unmute(qint64 muter, qint64 muted)
{
    if (muter == muted)
        return Outcome::Self;
    const pqxx::result del = m_tx.exec_params(
        "DELETE FROM users.mutes WHERE muter_id = $1 AND muted_id = $2 RETURNING id", muter, muted);
    return del.empty() ? Outcome::Unchanged : Outcome::Changed;
}

Page UsersRepository::list(Relation relation, qint64 userId, std::optional<KeysetCursor> after, int limit)
{
    const RelationSql r = relationSql(relation);
    const std::string sql = std::string(
        "SELECT p.user_id, p.username, p.display_name, p.avatar_url, p.state, p.followers_count, "
        "(extract(epoch FROM x.created_at) * 1000000)::bigint, x.id "
        "FROM ") + r.table + " x JOIN users.profiles p ON p.user_id = x." + r.otherColumn +
        " WHERE x." + r.ownerColumn + " = $1 AND ($2::bigint IS NULL OR (x.created_at, x.id) < "
        "(timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3::bigint)) "
        "ORDER BY x.created_at DESC, x.id DESC LIMIT $4";
    const pqxx::result rows = m_tx.exec_params(
        sql, userId,
        after ? std::optional<long long>(after->micros) : std::nullopt,
        after ? std::optional<long long>(after->id) : std::nullopt,
        limit + 1);
    Page page;
    for (const auto &row : rows) {
        if (page.items.size() == limit) {
            page.next = page.items.last().cursor;
            break;
        }
        ListedUser u;
        u.userId = row[0].as<qint64>();
        u.username = text(row[1]);
        u.displayName = text(row[2]);
        u.avatarUrl = text(row[3]);
        u.state = text(row[4]);
        u.followersCount = row[5].as<qint64>();
        u.cursor = KeysetCursor{row[6].as<qint64>(), row[7].as<qint64>()};
        u.since = fromMicros(u.cursor.micros);
        page.items.append(u);
    }
    return page;
}

QList<ListedUser> UsersRepository::search(const QString &query, int offset, int limit)
{
    const QString escaped = escapeLike(query);
    // A transposed pair of letters in a five-letter name scores 0.2, below pg_trgm's
    // default 0.3; the lower bound still lets the trigram index pick the candidates.
    m_tx.exec("SET LOCAL pg_trgm.similarity_threshold = 0.18");
    // Prefix (LIKE on the lower-cased names, index-backed) catches short Hangul queries
    // that trigrams miss; trigram similarity catches typos. Tiers rank exact > prefix >
    // fuzzy, then popularity, then closeness, then id for a total order.
    const pqxx::result rows = m_tx.exec_params(
        "WITH q AS (SELECT lower($1::text) AS q, lower($2::text) AS prefix, lower($3::text) AS word) "
        "SELECT p.user_id, p.username, p.display_name, p.avatar_url, p.state, p.followers_count, "
        "CASE WHEN lower(p.username) = q.q OR lower(p.display_name) = q.q THEN 3 "
        "     WHEN lower(p.username) LIKE q.prefix ESCAPE '\\' OR lower(p.display_name) LIKE q.prefix ESCAPE '\\' "
        "          OR lower(p.display_name) LIKE q.word ESCAPE '\\' THEN 2 ELSE 1 END AS tier, "
        "greatest(public.similarity(lower(p.username), q.q), public.word_similarity(q.q, lower(p.display_name))) AS sim "
        "FROM users.profiles p, q "
        "WHERE p.state = 'active' AND (lower(p.username) LIKE q.prefix ESCAPE '\\' "
        "  OR lower(p.display_name) LIKE q.prefix ESCAPE '\\' OR lower(p.display_name) LIKE q.word ESCAPE '\\' "
        "  OR lower(p.username) OPERATOR(public.%) q.q OR q.q OPERATOR(public.<%) lower(p.display_name)) "
        "ORDER BY tier DESC, p.followers_count DESC, sim DESC, p.user_id "
        "OFFSET $4 LIMIT $5",
        s(query), s(escaped + QLatin1Char('%')), s(QStringLiteral("% ") + escaped + QLatin1Char('%')),
        offset, limit);
    QList<ListedUser> out;
    for (const auto &row : rows) {
        ListedUser u;
        u.userId = row[0].as<qint64>();
        u.username = text(row[1]);
        u.displayName = text(row[2]);
        u.avatarUrl = text(row[3]);
        u.state = text(row[4]);
        u.followersCount = row[5].as<qint64>();
        out.append(u);
    }
    return out;
}

} // namespace Users
