// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "feedquery.h"

#include "contenttext.h"

#include "community/request.h"

#include <QJsonArray>

#include <bit>
#include <cmath>
#include <limits>

using Community::FieldError;
using Community::Result;
using Community::Http::HttpRequest;

namespace Content {

namespace {

/// Top windows; the index is the code stored in top cursors.
struct Window {
    const char *name;
    qint64 seconds;   ///< 0 = all time
};
constexpr Window kWindows[] = {{"all", 0}, {"day", 86'400}, {"week", 7 * 86'400}, {"month", 30 * 86'400},
                               {"year", 365 * 86'400}};
constexpr int kWindowCount = int(std::size(kWindows));

/// Largest timestamp a cursor may carry (9999-12-31, in microseconds since the epoch).
constexpr qint64 kMaxMicros = 253'402'300'799'999'999;

QLatin1StringView cursorKind(FeedSort sort)
{
    switch (sort) {
    case FeedSort::New: return QLatin1StringView("fn");
    case FeedSort::Top: return QLatin1StringView("ft");
    case FeedSort::Hot: break;
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
    case FeedSort::New: {
        const auto k = Community::Http::decodeCursor(cursorKind(q.sort), text, 2);
        if (!k || !validMicros((*k)[0]) || (*k)[1] <= 0)
            return false;
        q.afterCreated = (*k)[0];
        q.afterId = (*k)[1];
        return true;
    }
    case FeedSort::Hot: {
        const auto k = Community::Http::decodeCursor(cursorKind(q.sort), text, 3);
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
    case FeedSort::Top: {
        const auto k = Community::Http::decodeCursor(cursorKind(q.sort), text, 4);
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

} // namespace

Result<FeedQuery> parseFeedQuery(const HttpRequest &req, Feed feed, const ContentConfig &cfg)
{
    FeedQuery q;
    q.feed = feed;
    QList<FieldError> errors;

    const QString sort = Community::Http::queryValue(req, QStringLiteral("sort"));
    bool sortOk = true;
    if (sort.isEmpty())
        q.sort = feed == Feed::Author ? FeedSort::New : FeedSort::Hot;   // a profile lists newest first
    else if (sort == QLatin1String("hot"))
        q.sort = FeedSort::Hot;
    else if (sort == QLatin1String("new"))
        q.sort = FeedSort::New;
    else if (sort == QLatin1String("top"))
        q.sort = FeedSort::Top;
    else {
        sortOk = false;
        errors.append({QStringLiteral("sort"), QStringLiteral("must be hot, new or top"), QStringLiteral("invalid_choice")});
    }

    const QString t = Community::Http::queryValue(req, QStringLiteral("t"));
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

    auto limit = Community::Http::queryLimit(req, cfg.defaultPageSize, cfg.maxPageSize);
    if (limit)
        q.limit = *limit;
    else
        errors.append(limit.error().fields);

    if (feed == Feed::All && req.query.hasQueryItem(QStringLiteral("tag"))) {
        QList<FieldError> tagErrors;
        const QStringList tags = parseTags(QJsonArray{Community::Http::queryValue(req, QStringLiteral("tag"))}, cfg, tagErrors);
        for (FieldError e : tagErrors) {
            e.field = QStringLiteral("tag");
            errors.append(e);
        }
        if (tagErrors.isEmpty() && !tags.isEmpty())
            q.tag = tags.front();
    }

    const QString cursor = Community::Http::queryValue(req, QStringLiteral("cursor"));
    if (!cursor.isEmpty() && sortOk) {
        q.firstPage = false;
        if (!readCursor(cursor, windowGiven, q))
            errors.append({QStringLiteral("cursor"),
                           QStringLiteral("is not a cursor of this feed's sort and window"), QStringLiteral("invalid")});
    }
    if (!errors.isEmpty())
        return tl::unexpected(Community::invalidFields(errors));
    return q;
}

qint64 windowSeconds(const FeedQuery &q)
{
    return q.sort == FeedSort::Top ? kWindows[q.window].seconds : 0;
}

bool pinnedApart(const FeedQuery &q)
{
    return q.feed == Feed::Community && q.sort != FeedSort::Top;
}

bool feedBefore(FeedSort sort, const FeedEntry &a, const FeedEntry &b)
{
    switch (sort) {
    case FeedSort::New:
        if (a.createdMicros != b.createdMicros)
            return a.createdMicros > b.createdMicros;
        break;
    case FeedSort::Top:
        if (a.post.score != b.post.score)
            return a.post.score > b.post.score;
        break;
    case FeedSort::Hot:
        if (a.post.hot != b.post.hot)
            return a.post.hot > b.post.hot;
        break;
    }
    return a.post.id > b.post.id;
}

QString nextFeedCursor(const FeedQuery &q, qint64 anchor, const FeedEntry &last)
{
    switch (q.sort) {
    case FeedSort::New:
        return Community::Http::encodeCursor(cursorKind(q.sort), {last.createdMicros, last.post.id});
    case FeedSort::Top:
        return Community::Http::encodeCursor(cursorKind(q.sort), {q.window, anchor, last.post.score, last.post.id});
    case FeedSort::Hot:
        break;
    }
    return Community::Http::encodeCursor(cursorKind(q.sort), {anchor, std::bit_cast<qint64>(last.post.hot), last.post.id});
}

} // namespace Content
