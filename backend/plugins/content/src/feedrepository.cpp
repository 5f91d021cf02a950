// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "feedrepository.h"

#include "sqlarrays.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>
#include <functional>

namespace Content {

namespace {

/// The post columns with only as much of the body as an excerpt needs and no HTML (a feed
/// page shows neither, and 25 full bodies would dominate the transfer), and for anonymous
/// viewers without the per-row vote and bookmark lookups.
const std::string &feedSelect(bool anonymous)
{
    static const std::string viewer = postSelect(true, true), anonymous_ = postSelect(true, false);
    return anonymous ? anonymous_ : viewer;
}

/// LIMIT for `rows` rows: one of a few sizes (the caller cuts the surplus).
std::string limitFor(int rows)
{
    for (int size : {11, 26, 51, 101})
        if (rows <= size)
            return std::to_string(size);
    return std::to_string(rows);   // only with a configured maxPageSize above 100
}

/// Exact timestamptz text for microseconds since the epoch (doubles would round).
std::string timestampText(qint64 micros)
{
    const qint64 secs = micros / 1'000'000;
    const qint64 frac = micros % 1'000'000;
    const QDateTime t = QDateTime::fromSecsSinceEpoch(secs, QTimeZone::utc());
    return (t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(".%1+00").arg(frac, 6, 10, QLatin1Char('0')))
        .toStdString();
}

/// Statement parameters, all sent as text and cast in SQL.
class Params {
public:
    std::string add(std::string value)
    {
        m_values.push_back(std::move(value));
        return "$" + std::to_string(m_values.size());
    }
    const std::vector<std::string> &values() const { return m_values; }

private:
    std::vector<std::string> m_values;
};

/// ORDER BY of a sort on the posts alias `a` (descending key, then id).
std::string orderBy(FeedSort sort, const char *a = "p")
{
    const char *key = sort == FeedSort::New ? "created_at" : sort == FeedSort::Top ? "score" : "hot";
    return std::string(a) + "." + key + " DESC, " + a + ".id DESC";
}

/// " AND ..." conditions on `p` shared by every feed: visible, after the cursor, inside the
/// anchor and window, and not by a hidden author.
std::string conditions(const FeedQuery &q, const QList<qint64> &hidden, Params &params)
{
    std::string sql = " AND p.state = 'visible'";
    const qint64 window = windowSeconds(q);
    if (q.firstPage) {
        if (window > 0)
            sql += " AND p.created_at >= now() - interval '" + std::to_string(window) + " seconds'";
    } else {
        switch (q.sort) {
        case FeedSort::New:
            sql += " AND (p.created_at, p.id) < (" + params.add(timestampText(q.afterCreated)) + "::timestamptz, "
                   + params.add(std::to_string(q.afterId)) + "::bigint)";
            break;
        case FeedSort::Hot:
            sql += " AND (p.hot, p.id) < (" + params.add(QString::number(q.afterHot, 'g', 17).toStdString())
                   + "::float8, " + params.add(std::to_string(q.afterId)) + "::bigint)";
            break;
        case FeedSort::Top:
            sql += " AND (p.score, p.id) < (" + params.add(std::to_string(q.afterScore)) + "::int, "
                   + params.add(std::to_string(q.afterId)) + "::bigint)";
            break;
        }
        if (q.sort != FeedSort::New)
            sql += " AND p.created_at <= " + params.add(timestampText(q.anchorMicros)) + "::timestamptz";
        if (window > 0)
            sql += " AND p.created_at >= "
                   + params.add(timestampText(std::max<qint64>(0, q.anchorMicros - window * 1'000'000))) + "::timestamptz";
    }
    if (!hidden.isEmpty())
        sql += " AND p.author_id <> ALL (" + params.add(idArrayLiteral(hidden)) + "::bigint[])";
    return sql;
}

/// One page of posts matching `where` (conditions on `p`), in the sort's order, at most
/// `n` rows. Index-ordered scans read the page directly. A top window or a tag usually
/// means sorting many candidates, so then the page's ids are chosen first from narrow
/// rows and only those get the full select list (its joins and per-row subqueries).
std::string pageOf(const FeedQuery &q, const std::string &select, const std::string &where, const std::string &n)
{
    const std::string order = orderBy(q.sort);
    const bool sorts = windowSeconds(q) > 0 || !q.tag.isEmpty();
    if (!sorts)
        return select + " WHERE " + where + " ORDER BY " + order + " LIMIT " + n;
    return select + " WHERE p.id IN (SELECT p.id FROM content.posts p WHERE " + where + " ORDER BY " + order
           + " LIMIT " + n + ") ORDER BY " + order;
}

/// The database's clock, as the anchor of later pages (the same clock as created_at).
constexpr const char *kNowMicros = "(extract(epoch FROM now()) * 1000000)::bigint";

/// The statement for one page (at least n + 1 rows, to know whether another page
/// follows). Its first 23 columns are kPostSelect's, its last is now(). Community feeds
/// answer no row at all for an unknown community and one row of NULL posts for a
/// community without posts.
std::string feedSql(const FeedQuery &q, qint64 viewer, const Community::Contracts::ViewerRelations &rel, Params &params)
{
    const std::string &select = feedSelect(viewer == 0);
    if (viewer != 0 || select.find("$1") != std::string::npos)
        params.add(std::to_string(viewer));   // $1: kPostSelect's viewer (the home feed's too)
    const std::string n = limitFor(q.limit + 1);
    const std::string order = orderBy(q.sort);

    switch (q.feed) {
    case Feed::Community: {
        const std::string slug = params.add(q.slug.toStdString());
        const std::string cond = conditions(q, rel.hidden, params);
        std::string sql = "WITH cm AS (SELECT id FROM content.communities WHERE lower(slug) = lower(" + slug
                          + ")) SELECT f.*, cm.id, " + kNowMicros + " FROM cm LEFT JOIN LATERAL (";
        if (pinnedApart(q) && q.firstPage) {
            std::string hiddenOnly;
            if (!rel.hidden.isEmpty())
                hiddenOnly = " AND p.author_id <> ALL (" + params.add(idArrayLiteral(rel.hidden)) + "::bigint[])";
            sql += "(" + select + " WHERE p.community_id = cm.id AND p.state = 'visible' AND p.pinned" + hiddenOnly
                   + " ORDER BY p.created_at DESC, p.id DESC LIMIT " + std::to_string(kMaxPinned) + ") UNION ALL ";
        }
        return sql + "(" + pageOf(q, select, "p.community_id = cm.id" + cond + (pinnedApart(q) ? " AND NOT p.pinned" : ""), n)
               + ")) f ON true";
    }
    case Feed::All: {
        std::string where = "true";
        if (!q.tag.isEmpty())
            where += " AND p.tags @> ARRAY[" + params.add(q.tag.toStdString()) + "::text]";
        return "SELECT f.*, " + std::string(kNowMicros) + " FROM ("
               + pageOf(q, select, where + conditions(q, rel.hidden, params), n) + ") f";
    }
    case Feed::Author: {
        const std::string where = "p.author_id = " + params.add(std::to_string(q.authorId)) + "::bigint";
        return "SELECT f.*, " + std::string(kNowMicros) + " FROM ("
               + pageOf(q, select, where + conditions(q, rel.hidden, params), n) + ") f";
    }
    case Feed::Home:
        break;
    }

    // Home: the best n + 1 of each joined community and of each followed author, each an
    // index-ordered scan with a limit, merged (a post can come from both sides: UNION
    // drops the copy); only the final page is read with the full select list.
    const std::string cond = conditions(q, rel.hidden, params);
    const std::string keys = "p.id, p.created_at, p.hot, p.score";
    std::string sql = "WITH cand AS (SELECT x.* FROM content.members m CROSS JOIN LATERAL (SELECT " + keys
                      + " FROM content.posts p WHERE p.community_id = m.community_id" + cond + " ORDER BY " + order
                      + " LIMIT " + n + ") x WHERE m.user_id = $1";
    if (!rel.following.isEmpty()) {
        sql += " UNION SELECT x.* FROM unnest(" + params.add(idArrayLiteral(rel.following))
               + "::bigint[]) u (author_id) CROSS JOIN LATERAL (SELECT " + keys
               + " FROM content.posts p WHERE p.author_id = u.author_id" + cond + " ORDER BY " + order + " LIMIT " + n
               + ") x";
    }
    sql += "), page AS (SELECT x.id FROM cand x ORDER BY " + orderBy(q.sort, "x") + " LIMIT " + n + ") SELECT f.*, "
           + kNowMicros + " FROM (" + select + " WHERE p.id IN (SELECT id FROM page)) f";
    return sql;
}

} // namespace

FeedRows FeedRepository::page(const FeedQuery &q, qint64 viewer, const Community::Contracts::ViewerRelations &rel)
{
    Params params;
    const std::string sql = feedSql(q, viewer, rel, params);
    const std::string name = "content_feed_" + std::to_string(std::hash<std::string>{}(sql));
    m_tx.conn().prepare(name, sql);
    const pqxx::result rows = m_tx.exec_prepared(name, pqxx::prepare::make_dynamic_params(params.values()));
    FeedRows out;
    out.communityFound = q.feed != Feed::Community || !rows.empty();
    for (const auto &row : rows) {
        out.nowMicros = row[row.size() - 1].as<qint64>();
        if (row[0].is_null())   // a community without posts
            continue;
        FeedEntry e{postFromRow(row), row[19].as<qint64>()};
        (pinnedApart(q) && e.post.pinned ? out.pinned : out.page).append(std::move(e));
    }
    // The SQL order, applied here because the rows of a UNION ALL or of an IN list come
    // in no guaranteed order.
    std::sort(out.pinned.begin(), out.pinned.end(), [](const FeedEntry &a, const FeedEntry &b) {
        return feedBefore(FeedSort::New, a, b);
    });
    std::sort(out.page.begin(), out.page.end(), [&q](const FeedEntry &a, const FeedEntry &b) {
        return feedBefore(q.sort, a, b);
    });
    return out;
}

} // namespace Content
