// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Feeds: keyset-paginated lists of visible posts.
//
//   GET /v1/communities/{slug}/posts   one community (public; pinned posts apart on page 1)
//   GET /v1/feed                       home: posts by followed users + in joined communities
//                                      (signed in, scope content:read)
//   GET /v1/posts?tag=                 every community, optionally one tag (public)
//
// Query: sort=hot|new|top (default hot), t=day|week|month|year|all (top only, default all),
// limit (default/max from config), cursor (nextCursor of the previous page).
//
// Cursors are keysets, never offsets: new → (created_at, id); hot → (hot, id); top →
// (score, id). Hot and top cursors also carry the first page's time (the "anchor", the
// database's now()): later pages only show posts created up to it, and top's window is
// [anchor - t, anchor], so posts written while a reader pages neither shift the pages nor
// show up half way (new needs no anchor: a new post sorts before its cursor anyway).
//
// Cost: one prepared SQL statement per request; a signed-in viewer's relations (followed and
// hidden users) are looked up first, outside any transaction. Reads run in autocommit.

#include "anoncache.h"
#include "common.h"
#include "communities.h"
#include "postview.h"
#include "routes.h"

#include "community/contracts/users.h"
#include "community/database.h"
#include "community/router.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimeZone>

#include <algorithm>
#include <bit>
#include <cmath>
#include <charconv>
#include <cstdio>
#include <functional>
#include <limits>

using namespace Community;
using namespace Community::Http;

namespace Content {

namespace {

enum class Sort { Hot, New, Top };
enum class Feed { Community, Home, All };

/// Top windows; the index is the code stored in top cursors.
struct Window {
    const char *name;
    qint64 seconds;   ///< 0 = all time
};
constexpr Window kWindows[] = {{"all", 0}, {"day", 86'400}, {"week", 7 * 86'400}, {"month", 30 * 86'400},
                               {"year", 365 * 86'400}};
constexpr int kWindowCount = int(std::size(kWindows));

/// Pinned posts shown above page 1 of a community's hot and new feeds (moderators pin a few).
constexpr int kMaxPinned = 10;
/// Largest timestamp a cursor may carry (9999-12-31, in microseconds since the epoch).
constexpr qint64 kMaxMicros = 253'402'300'799'999'999;

struct FeedQuery {
    Feed feed = Feed::All;
    Sort sort = Sort::Hot;
    int window = 0;           ///< index into kWindows (top only)
    int limit = 25;
    QString slug;             ///< community feeds
    QString tag;              ///< the all-posts feed; empty = every post
    qint64 anchorMicros = 0;  ///< hot/top, later pages: posts created after this are left out
    bool firstPage = true;
    // Keyset position: the last post of the previous page.
    qint64 afterCreated = 0;
    double afterHot = 0;
    qint64 afterScore = 0;
    qint64 afterId = 0;
};

bool pinnedApart(const FeedQuery &q)
{
    return q.feed == Feed::Community && q.sort != Sort::Top;
}

// ---- parsing -------------------------------------------------------------------------

QLatin1StringView cursorKind(Sort sort)
{
    switch (sort) {
    case Sort::New: return QLatin1StringView("fn");
    case Sort::Top: return QLatin1StringView("ft");
    case Sort::Hot: break;
    }
    return QLatin1StringView("fh");
}

bool validMicros(qint64 v)
{
    return v >= 0 && v <= kMaxMicros;
}

/// Reads the cursor into `q` (sort and window already set; window explicit or not).
bool readCursor(const QString &text, bool windowGiven, FeedQuery &q)
{
    switch (q.sort) {
    case Sort::New: {
        const auto k = decodeCursor(cursorKind(q.sort), text, 2);
        if (!k || !validMicros((*k)[0]) || (*k)[1] <= 0)
            return false;
        q.afterCreated = (*k)[0];
        q.afterId = (*k)[1];
        return true;
    }
    case Sort::Hot: {
        const auto k = decodeCursor(cursorKind(q.sort), text, 3);
        if (!k || !validMicros((*k)[0]) || (*k)[2] <= 0)
            return false;
        const double hot = std::bit_cast<double>((*k)[1]);
        if (!std::isfinite(hot))
            return false;
        q.anchorMicros = (*k)[0];
        q.afterHot = hot;
        q.afterId = (*k)[2];
        return true;
    }
    case Sort::Top: {
        const auto k = decodeCursor(cursorKind(q.sort), text, 4);
        if (!k || (*k)[0] < 0 || (*k)[0] >= kWindowCount || !validMicros((*k)[1]) || (*k)[3] <= 0
            || (*k)[2] < std::numeric_limits<int>::min() || (*k)[2] > std::numeric_limits<int>::max())
            return false;
        // The window travels with the cursor; naming another one is a mistake, not a reset.
        if (windowGiven && (*k)[0] != q.window)
            return false;
        q.window = int((*k)[0]);
        q.anchorMicros = (*k)[1];
        q.afterScore = (*k)[2];
        q.afterId = (*k)[3];
        return true;
    }
    }
    return false;
}

/// Parses sort, t, limit, cursor (and tag for the all-posts feed); every bad field is
/// reported at once.
Result<FeedQuery> parseFeedQuery(const HttpRequest &req, Feed feed, const ContentConfig &cfg)
{
    FeedQuery q;
    q.feed = feed;
    QList<FieldError> errors;

    const QString sort = req.query.queryItemValue(QStringLiteral("sort"));
    bool sortOk = true;
    if (sort.isEmpty() || sort == QLatin1String("hot"))
        q.sort = Sort::Hot;
    else if (sort == QLatin1String("new"))
        q.sort = Sort::New;
    else if (sort == QLatin1String("top"))
        q.sort = Sort::Top;
    else {
        sortOk = false;
        errors.append({QStringLiteral("sort"), QStringLiteral("must be hot, new or top"), QStringLiteral("invalid_choice")});
    }

    const QString t = req.query.queryItemValue(QStringLiteral("t"));
    const bool windowGiven = !t.isEmpty();
    if (windowGiven) {
        q.window = -1;
        for (int i = 0; i < kWindowCount; ++i)
            if (t == QLatin1String(kWindows[i].name))
                q.window = i;
        if (q.window < 0) {
            q.window = 0;
            errors.append({QStringLiteral("t"), QStringLiteral("must be day, week, month, year or all"),
                           QStringLiteral("invalid_choice")});
        }
    }

    auto limit = parseLimit(req.query.queryItemValue(QStringLiteral("limit")), cfg.defaultPageSize, cfg.maxPageSize);
    if (limit)
        q.limit = *limit;
    else
        errors.append(limit.error().fields);

    if (feed == Feed::All && req.query.hasQueryItem(QStringLiteral("tag"))) {
        QList<FieldError> tagErrors;
        const QStringList tags = parseTags(QJsonArray{req.query.queryItemValue(QStringLiteral("tag"))}, cfg, tagErrors);
        for (FieldError e : tagErrors) {
            e.field = QStringLiteral("tag");
            errors.append(e);
        }
        if (tagErrors.isEmpty() && !tags.isEmpty())
            q.tag = tags.front();
    }

    const QString cursor = req.query.queryItemValue(QStringLiteral("cursor"));
    if (!cursor.isEmpty() && sortOk) {
        q.firstPage = false;
        if (!readCursor(cursor, windowGiven, q))
            errors.append({QStringLiteral("cursor"),
                           QStringLiteral("is not a cursor of this feed's sort and window"), QStringLiteral("invalid")});
    }
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    return q;
}

// ---- SQL -----------------------------------------------------------------------------
//
// Statements are prepared once per pooled connection and shape: planning one costs more
// than running it. PostgreSQL reuses a generic plan only when it is not estimated dearer
// than the custom ones, so the first page (most of the traffic) carries no parameter that
// sways estimates: its anchor is the database's now(), returned in the last column, and
// LIMIT is a literal from a few sizes (extra rows are cut here), which also bounds the
// number of shapes. Later pages (keyset parameters) usually get custom plans.

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
std::string orderBy(Sort sort, const char *a = "p")
{
    const char *key = sort == Sort::New ? "created_at" : sort == Sort::Top ? "score" : "hot";
    return std::string(a) + "." + key + " DESC, " + a + ".id DESC";
}

/// " AND ..." conditions on `p` shared by every feed: visible, after the cursor, inside the
/// anchor and window, and not by a hidden author.
std::string conditions(const FeedQuery &q, const QList<qint64> &hidden, Params &params)
{
    std::string sql = " AND p.state = 'visible'";
    const qint64 window = q.sort == Sort::Top ? kWindows[q.window].seconds : 0;
    if (q.firstPage) {
        if (window > 0)
            sql += " AND p.created_at >= now() - interval '" + std::to_string(window) + " seconds'";
    } else {
        switch (q.sort) {
        case Sort::New:
            sql += " AND (p.created_at, p.id) < (" + params.add(timestampText(q.afterCreated)) + "::timestamptz, "
                   + params.add(std::to_string(q.afterId)) + "::bigint)";
            break;
        case Sort::Hot:
            sql += " AND (p.hot, p.id) < (" + params.add(QString::number(q.afterHot, 'g', 17).toStdString())
                   + "::float8, " + params.add(std::to_string(q.afterId)) + "::bigint)";
            break;
        case Sort::Top:
            sql += " AND (p.score, p.id) < (" + params.add(std::to_string(q.afterScore)) + "::int, "
                   + params.add(std::to_string(q.afterId)) + "::bigint)";
            break;
        }
        if (q.sort != Sort::New)
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
    const bool sorts = (q.sort == Sort::Top && kWindows[q.window].seconds > 0) || !q.tag.isEmpty();
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
std::string feedSql(const FeedQuery &q, qint64 viewer, const Contracts::ViewerRelations &rel, Params &params)
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

// ---- answer --------------------------------------------------------------------------

struct Entry {
    PostRow post;
    qint64 createdMicros = 0;
};

/// Descending by the sort's key, then id: the SQL order, applied here because the rows
/// of a UNION ALL or of an IN list come in no guaranteed order.
bool before(Sort sort, const Entry &a, const Entry &b)
{
    switch (sort) {
    case Sort::New:
        if (a.createdMicros != b.createdMicros)
            return a.createdMicros > b.createdMicros;
        break;
    case Sort::Top:
        if (a.post.score != b.post.score)
            return a.post.score > b.post.score;
        break;
    case Sort::Hot:
        if (a.post.hot != b.post.hot)
            return a.post.hot > b.post.hot;
        break;
    }
    return a.post.id > b.post.id;
}

QString nextCursor(const FeedQuery &q, qint64 anchor, const Entry &last)
{
    switch (q.sort) {
    case Sort::New:
        return encodeCursor(cursorKind(q.sort), {last.createdMicros, last.post.id});
    case Sort::Top:
        return encodeCursor(cursorKind(q.sort), {q.window, anchor, last.post.score, last.post.id});
    case Sort::Hot:
        break;
    }
    return encodeCursor(cursorKind(q.sort), {anchor, std::bit_cast<qint64>(last.post.hot), last.post.id});
}

// JSON written directly: QJsonObject (CBOR underneath) and QJsonDocument::toJson cost
// about twice the rest of a feed request. Same output as QJsonDocument (compact, keys in
// order, UTF-8, the same escapes); tst_contentfeeds compares items with postJson's.

void appendString(QByteArray &out, QStringView s)
{
    static constexpr char hex[] = "0123456789abcdef";
    const QByteArray utf8 = s.toUtf8();
    const char *p = utf8.constData();
    const qsizetype n = utf8.size();
    out += '"';
    qsizetype run = 0;   // start of the bytes not yet copied
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(p + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    out.append(p + run, n - run);
    out += '"';
}

void appendNumber(QByteArray &out, qint64 v)
{
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    out.append(buf, end - buf);
}

/// ,"key":<integer>
void appendField(QByteArray &out, const char *key, qint64 v)
{
    out += key;
    appendNumber(out, v);
}

void appendId(QByteArray &out, qint64 id)
{
    out += '"';
    appendNumber(out, id);
    out += '"';
}

/// iso() of a time in milliseconds since the epoch ("2026-11-24T02:24:52.175Z").
void appendTime(QByteArray &out, qint64 ms)
{
    const qint64 days = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
    const qint64 inDay = ms - days * 86'400'000;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    const qint64 z = days + 719'468;
    const qint64 era = (z >= 0 ? z : z - 146'096) / 146'097;
    const qint64 doe = z - era * 146'097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 day = doy - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 1000 || year > 9999) {   // not four digits: leave it to Qt
        appendString(out, iso(QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())));
        return;
    }
    char buf[32];
    const int len = std::snprintf(buf, sizeof buf, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"", int(year), int(month),
                                  int(day), int(inDay / 3'600'000), int(inDay / 60'000 % 60), int(inDay / 1000 % 60),
                                  int(inDay % 1000));
    out.append(buf, len);
}

/// postJson(post, false, false) of a visible post, appended as JSON text.
void appendPost(QByteArray &out, const PostRow &p)
{
    if (p.state != QLatin1String("visible")) {   // feeds list none, but stay exact if one slips in
        out += QJsonDocument(postJson(p, false, false)).toJson(QJsonDocument::Compact);
        return;
    }
    QString excerpt = p.body.left(280);
    if (p.body.size() > 280)
        excerpt += QChar(0x2026);
    const auto flag = [](bool b) { return b ? "true" : "false"; };
    out += "{\"author\":{\"id\":";
    appendId(out, p.authorId);
    out += ",\"username\":";
    appendString(out, p.authorName);
    out += "},\"bookmarked\":";
    out += flag(p.bookmarked);
    appendField(out, ",\"commentCount\":", p.commentCount);
    out += ",\"community\":{\"id\":";
    appendId(out, p.communityId);
    out += ",\"slug\":";
    appendString(out, p.communitySlug);
    out += "},\"createdAt\":";
    appendTime(out, p.createdAt.toMSecsSinceEpoch());
    appendField(out, ",\"downvotes\":", p.downvotes);
    out += ",\"editedAt\":";
    if (p.editedAt.isValid())
        appendTime(out, p.editedAt.toMSecsSinceEpoch());
    else
        out += "null";
    out += ",\"excerpt\":";
    appendString(out, excerpt);
    out += ",\"id\":";
    appendId(out, p.id);
    out += ",\"locked\":";
    out += flag(p.locked);
    appendField(out, ",\"myVote\":", p.myVote);
    out += ",\"pinned\":";
    out += flag(p.pinned);
    appendField(out, ",\"revision\":", p.revision);
    appendField(out, ",\"score\":", p.score);
    out += ",\"state\":\"visible\",\"tags\":[";
    for (qsizetype i = 0; i < p.tags.size(); ++i) {
        if (i)
            out += ',';
        appendString(out, p.tags[i]);
    }
    out += "],\"title\":";
    appendString(out, p.title);
    appendField(out, ",\"upvotes\":", p.upvotes);
    out += '}';
}

void appendPosts(QByteArray &out, const QList<Entry> &entries, qsizetype count)
{
    out += '[';
    for (qsizetype i = 0; i < count && i < entries.size(); ++i) {
        if (i)
            out += ',';
        appendPost(out, entries[i].post);
    }
    out += ']';
}

Result<HttpResponse> runFeed(pqxx::transaction_base &tx, const FeedQuery &q, qint64 viewer,
                             const Contracts::ViewerRelations &rel)
{
    Params params;
    const std::string sql = feedSql(q, viewer, rel, params);
    const std::string name = "content_feed_" + std::to_string(std::hash<std::string>{}(sql));
    tx.conn().prepare(name, sql);
    const pqxx::result rows = tx.exec_prepared(name, pqxx::prepare::make_dynamic_params(params.values()));
    if (q.feed == Feed::Community && rows.empty())
        return tl::unexpected(notFound(QStringLiteral("No such community.")));

    QList<Entry> pinned, page;
    qint64 now = 0;
    for (const auto &row : rows) {
        now = row[row.size() - 1].as<qint64>();
        if (row[0].is_null())   // a community without posts
            continue;
        Entry e{postFromRow(row), row[19].as<qint64>()};
        (pinnedApart(q) && e.post.pinned ? pinned : page).append(std::move(e));
    }
    std::sort(pinned.begin(), pinned.end(), [](const Entry &a, const Entry &b) { return before(Sort::New, a, b); });
    std::sort(page.begin(), page.end(), [&q](const Entry &a, const Entry &b) { return before(q.sort, a, b); });

    QByteArray body;
    body.reserve(1024 + 800 * std::min<qsizetype>(page.size() + pinned.size(), q.limit + kMaxPinned));
    body += "{\"items\":";
    appendPosts(body, page, q.limit);
    body += ",\"nextCursor\":";
    if (page.size() > q.limit)
        appendString(body, nextCursor(q, q.firstPage ? now : q.anchorMicros, page[q.limit - 1]));
    else
        body += "null";
    if (q.feed == Feed::Community) {
        body += ",\"pinned\":";
        appendPosts(body, pinned, pinned.size());
    }
    body += '}';
    return HttpResponse::text(200, body, "application/json");
}

/// Answers one feed request: anonymous viewers in one autocommit read; signed-in viewers
/// after their relations (followed users, hidden users) are known.
void answer(ContentContext *c, const HttpRequest &req, const Responder &res, Feed feed, qint64 viewer)
{
    auto q = parseFeedQuery(req, feed, c->config);
    if (!q) {
        sendError(req, res, q.error());
        return;
    }
    if (feed == Feed::Community) {
        q->slug = req.pathParams.value(QStringLiteral("slug"));
        if (!isValidSlug(q->slug.toLower())) {
            sendError(req, res, notFound(QStringLiteral("No such community.")));
            return;
        }
    }
    if (viewer == 0) {
        c->db.respondRead(req, res, [q = *q](pqxx::nontransaction &tx) {
            return runFeed(tx, q, 0, Contracts::ViewerRelations{});
        });
        return;
    }
    c->db.respondWith(req, res, [c, q = *q, viewer]() -> Result<HttpResponse> {
        auto rel = c->relations.relationsOf(viewer);
        if (!rel)
            return tl::unexpected(rel.error());
        return c->db.read<HttpResponse>([&](pqxx::nontransaction &tx) { return runFeed(tx, q, viewer, *rel); });
    });
}

} // namespace

Result<void> registerFeedRoutes(Router &router, ContentContext &ctx)
{
    ContentContext *c = &ctx;

    // Anonymous readers share a micro-cached answer (anoncache.h).
    if (auto r = router.add("GET", QStringLiteral("/v1/communities/{slug}/posts"),
                            ctx.anonymousCache->wrap([c](HttpRequest &req, const Responder &res) {
                                answer(c, req, res, Feed::Community, viewerOf(req.principal));
                            }), readRoute()); !r)
        return r;

    if (auto r = router.add("GET", QStringLiteral("/v1/posts"), ctx.anonymousCache->wrap([c](HttpRequest &req, const Responder &res) {
                                answer(c, req, res, Feed::All, viewerOf(req.principal));
                            }), readRoute()); !r)
        return r;

    const RouteOptions home = RouteOptions::authenticated(Role::User, QLatin1String(kReadScope));
    if (auto r = router.add("GET", QStringLiteral("/v1/feed"), [c](HttpRequest &req, const Responder &res) {
            answer(c, req, res, Feed::Home, req.principal.userId);
        }, home); !r)
        return r;
    return {};
}

} // namespace Content
