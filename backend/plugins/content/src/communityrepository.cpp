// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "communityrepository.h"

#include "community/json.h"

#include <QJsonDocument>

using Community::Result;

namespace Content {

namespace {

const char *const kCommunitySelect =
    "SELECT c.id, c.slug, c.title, c.description, c.rules::text, c.created_by, coalesce(a.username, ''), "
    "(extract(epoch FROM c.created_at) * 1000000)::bigint, c.member_count, c.post_count "
    "FROM content.communities c LEFT JOIN content.authors a ON a.user_id = c.created_by";

QString text(const pqxx::field &f)
{
    return QString::fromStdString(f.as<std::string>());
}

CommunityRow communityFromRow(const pqxx::row &r)
{
    CommunityRow c;
    c.id = r[0].as<qint64>();
    c.slug = text(r[1]);
    c.title = text(r[2]);
    c.description = text(r[3]);
    c.rules = QJsonDocument::fromJson(QByteArray::fromStdString(r[4].as<std::string>())).array();
    c.createdBy = r[5].as<qint64>();
    c.createdByName = text(r[6]);
    c.createdAt = Community::Json::fromMicros(r[7].as<qint64>());
    c.memberCount = r[8].as<int>();
    c.postCount = r[9].as<int>();
    return c;
}

QList<CommunityRow> communities(const pqxx::result &rows)
{
    QList<CommunityRow> out;
    out.reserve(rows.size());
    for (const auto &r : rows)
        out.append(communityFromRow(r));
    return out;
}

std::string rulesText(const QJsonArray &rules)
{
    return QJsonDocument(rules).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

bool isValidSlug(const QString &slug)
{
    if (slug.size() < 3 || slug.size() > 32)
        return false;
    for (qsizetype i = 0; i < slug.size(); ++i) {
        const QChar c = slug.at(i);
        const bool alnum = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
        if (!alnum && (i == 0 || (c != QLatin1Char('-') && c != QLatin1Char('_'))))
            return false;
    }
    return true;
}

Result<CommunityRow> CommunityRepository::find(const QString &slug, bool forUpdate)
{
    if (!isValidSlug(slug.toLower()))
        return tl::unexpected(Community::notFound(QStringLiteral("No such community.")));
    const std::string sql = std::string(kCommunitySelect) + " WHERE lower(c.slug) = lower($1)"
                            + (forUpdate ? " FOR UPDATE OF c" : "");
    const auto rows = m_tx.exec_params(sql, slug.toStdString());
    if (rows.empty())
        return tl::unexpected(Community::notFound(QStringLiteral("No such community.")));
    return communityFromRow(rows[0]);
}

bool CommunityRepository::slugTaken(const QString &lowerSlug)
{
    return !m_tx.exec_params("SELECT 1 FROM content.communities WHERE lower(slug) = $1", lowerSlug.toStdString()).empty();
}

qint64 CommunityRepository::insert(const CommunityDraft &d, qint64 owner)
{
    const auto row = m_tx.exec_params("INSERT INTO content.communities (slug, title, description, rules, created_by, member_count) "
                                      "VALUES ($1, $2, $3, $4::jsonb, $5, 1) RETURNING id",
                                      d.slug.toStdString(), d.title.toStdString(), d.description.toStdString(),
                                      rulesText(d.rules), owner);
    const qint64 id = row[0][0].as<qint64>();
    m_tx.exec_params("INSERT INTO content.members (community_id, user_id, role) VALUES ($1, $2, 'owner')", id, owner);
    return id;
}

void CommunityRepository::update(qint64 id, const CommunityPatch &p)
{
    m_tx.exec_params("UPDATE content.communities SET title = CASE WHEN $2 THEN $3 ELSE title END, "
                     "description = CASE WHEN $4 THEN $5 ELSE description END, "
                     "rules = CASE WHEN $6 THEN $7::jsonb ELSE rules END WHERE id = $1",
                     id, p.title.has_value(), p.title.value_or(QString()).toStdString(), p.description.has_value(),
                     p.description.value_or(QString()).toStdString(), p.rules.has_value(),
                     rulesText(p.rules.value_or(QJsonArray())));
}

QList<CommunityRow> CommunityRepository::page(bool byNew, const std::optional<QList<qint64>> &after, int rows)
{
    // Keyset: (member_count, id) or (id) descending. The first page has no keyset
    // condition at all: a "larger than everything" sentinel does not fit member_count
    // (an integer; INT64_MAX raised 22003, issue 10). The route checks a cursor's keys.
    const std::string order = byNew ? " ORDER BY c.id DESC" : " ORDER BY c.member_count DESC, c.id DESC";
    if (!after)
        return communities(m_tx.exec_params(std::string(kCommunitySelect) + order + " LIMIT $1", rows));
    if (byNew)
        return communities(m_tx.exec_params(std::string(kCommunitySelect) + " WHERE c.id < $1" + order + " LIMIT $2",
                                            (*after)[1], rows));
    return communities(m_tx.exec_params(std::string(kCommunitySelect) + " WHERE (c.member_count, c.id) < ($1::integer, $2)"
                                            + order + " LIMIT $3",
                                        int((*after)[0]), (*after)[1], rows));
}

QList<std::pair<CommunityRow, QString>> CommunityRepository::memberships(qint64 userId)
{
    const auto rows = m_tx.exec_params(std::string(kCommunitySelect)
                                           + " JOIN content.members m ON m.community_id = c.id AND m.user_id = $1 "
                                             "ORDER BY lower(c.slug) LIMIT 1000",
                                       userId);
    const auto roles = m_tx.exec_params("SELECT community_id, role FROM content.members WHERE user_id = $1", userId);
    QHash<qint64, QString> roleOf;
    for (const auto &row : roles)
        roleOf.insert(row[0].as<qint64>(), text(row[1]));
    QList<std::pair<CommunityRow, QString>> out;
    for (const auto &row : rows) {
        CommunityRow c = communityFromRow(row);
        const QString role = roleOf.value(c.id);
        out.append({std::move(c), role});
    }
    return out;
}

QList<ModeratorRow> CommunityRepository::moderators(qint64 communityId)
{
    const auto rows = m_tx.exec_params(
        "SELECT m.user_id, coalesce(a.username, ''), m.role, (extract(epoch FROM m.joined_at) * 1000000)::bigint "
        "FROM content.members m LEFT JOIN content.authors a ON a.user_id = m.user_id "
        "WHERE m.community_id = $1 AND m.role <> 'member' ORDER BY m.role DESC, m.joined_at, m.user_id",
        communityId);
    QList<ModeratorRow> out;
    for (const auto &r : rows)
        out.append({r[0].as<qint64>(), text(r[1]), text(r[2]), Community::Json::fromMicros(r[3].as<qint64>())});
    return out;
}

bool CommunityRepository::exists(qint64 communityId)
{
    return !m_tx.exec_params("SELECT 1 FROM content.communities WHERE id = $1", communityId).empty();
}

CommunityRole CommunityRepository::role(qint64 communityId, qint64 userId)
{
    if (userId <= 0)
        return CommunityRole::None;
    const auto r = m_tx.exec_params("SELECT role FROM content.members WHERE community_id = $1 AND user_id = $2",
                                    communityId, userId);
    return r.empty() ? CommunityRole::None : communityRoleFromName(r[0][0].as<std::string>());
}

bool CommunityRepository::join(qint64 communityId, qint64 userId)
{
    const auto ins = m_tx.exec_params("INSERT INTO content.members (community_id, user_id) VALUES ($1, $2) "
                                      "ON CONFLICT DO NOTHING RETURNING 1",
                                      communityId, userId);
    if (ins.empty())
        return false;
    m_tx.exec_params("UPDATE content.communities SET member_count = member_count + 1 WHERE id = $1", communityId);
    return true;
}

bool CommunityRepository::leave(qint64 communityId, qint64 userId)
{
    const auto del = m_tx.exec_params("DELETE FROM content.members WHERE community_id = $1 AND user_id = $2 RETURNING 1",
                                      communityId, userId);
    if (del.empty())
        return false;
    m_tx.exec_params("UPDATE content.communities SET member_count = member_count - 1 WHERE id = $1", communityId);
    return true;
}

int CommunityRepository::memberCount(qint64 communityId)
{
    return m_tx.exec_params("SELECT member_count FROM content.communities WHERE id = $1", communityId)[0][0].as<int>();
}

void CommunityRepository::appoint(qint64 communityId, qint64 userId, CommunityRole current)
{
    if (current == CommunityRole::None)
        m_tx.exec_params("UPDATE content.communities SET member_count = member_count + 1 WHERE id = $1", communityId);
    m_tx.exec_params("INSERT INTO content.members (community_id, user_id, role) VALUES ($1, $2, 'moderator') "
                     "ON CONFLICT (community_id, user_id) DO UPDATE SET role = 'moderator'",
                     communityId, userId);
}

void CommunityRepository::dismiss(qint64 communityId, qint64 userId)
{
    m_tx.exec_params("UPDATE content.members SET role = 'member' WHERE community_id = $1 AND user_id = $2", communityId,
                     userId);
}

void CommunityRepository::countPosts(qint64 communityId, int delta)
{
    m_tx.exec_params("UPDATE content.communities SET post_count = greatest(post_count + $2, 0) WHERE id = $1", communityId,
                     delta);
}

QList<qint64> CommunityRepository::moderated(qint64 userId)
{
    const auto rows = m_tx.exec_params("SELECT community_id FROM content.members WHERE user_id = $1 "
                                       "AND role IN ('moderator', 'owner')",
                                       userId);
    QList<qint64> out;
    for (const auto &r : rows)
        out.append(r[0].as<qint64>());
    return out;
}

} // namespace Content
