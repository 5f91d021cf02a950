// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "moderationrepository.h"

namespace Content {

std::optional<Community::Contracts::ModerationTarget> ModerationRepository::target(const QString &type, qint64 id)
{
    const bool post = type == QLatin1String("post");
    const auto r = post ? m_tx.exec_params("SELECT author_id, community_id, id, state, left(title, 200)"
                                           " FROM content.posts WHERE id = $1", id)
                        : m_tx.exec_params("SELECT c.author_id, p.community_id, c.post_id, c.state, left(c.body, 200)"
                                           " FROM content.comments c JOIN content.posts p ON p.id = c.post_id"
                                           " WHERE c.id = $1", id);
    if (r.empty())
        return std::nullopt;
    Community::Contracts::ModerationTarget t;
    t.type = type;
    t.id = id;
    t.authorId = r[0][0].as<qint64>(0);
    t.communityId = r[0][1].as<qint64>();
    t.postId = r[0][2].as<qint64>();
    t.state = QString::fromUtf8(r[0][3].c_str());
    t.excerpt = QString::fromUtf8(r[0][4].c_str());
    return t;
}

QList<qint64> ModerationRepository::openReports(const QString &type, qint64 id)
{
    QList<qint64> out;
    for (const auto &row : m_tx.exec_params("SELECT id FROM content.reports WHERE target_type = $1 AND target_id = $2"
                                            " AND status = 'open' ORDER BY id",
                                            type.toStdString(), id))
        out.append(row[0].as<qint64>());
    return out;
}

} // namespace Content
