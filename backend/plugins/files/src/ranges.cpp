// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "ranges.h"

#include <algorithm>
#include <optional>

namespace Files {

namespace {

std::optional<qint64> digits(QByteArrayView s)
{
    if (s.isEmpty() || s.size() > 18)
        return std::nullopt;
    qint64 v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

bool etagListMatches(const QByteArray &list, const QByteArray &etag)
{
    for (const QByteArray &item : list.split(',')) {
        QByteArray t = item.trimmed();
        if (t == "*")
            return true;
        if (t.startsWith("W/"))
            t = t.mid(2);   // weak comparison for If-None-Match (RFC 9110 13.1.2)
        if (t == etag)
            return true;
    }
    return false;
}

} // namespace

RangeDecision parseRange(QByteArrayView header, qint64 size, int maxRanges)
{
    RangeDecision whole;
    const QByteArrayView h = QByteArrayView(header).trimmed();
    if (!h.startsWith("bytes="))
        return whole;
    QList<ByteRange> ranges;
    const QList<QByteArray> specs = h.sliced(6).toByteArray().split(',');
    if (specs.size() > maxRanges)
        return whole;
    for (const QByteArray &raw : specs) {
        const QByteArray spec = raw.trimmed();
        const qsizetype dash = spec.indexOf('-');
        if (dash < 0)
            return whole;
        const QByteArrayView a = QByteArrayView(spec).first(dash);
        const QByteArrayView b = QByteArrayView(spec).sliced(dash + 1);
        if (a.isEmpty()) {   // suffix: the last N bytes
            const auto n = digits(b);
            if (!n)
                return whole;
            if (*n > 0 && size > 0)
                ranges.append({qMax<qint64>(0, size - *n), size - 1});
            continue;
        }
        const auto first = digits(a);
        const auto last = b.isEmpty() ? std::optional<qint64>(size - 1) : digits(b);
        if (!first || !last || (!b.isEmpty() && *last < *first))
            return whole;
        if (*first < size)
            ranges.append({*first, qMin(*last, size - 1)});
    }
    if (ranges.isEmpty())
        return {416, {}};
    std::sort(ranges.begin(), ranges.end(), [](const ByteRange &x, const ByteRange &y) { return x.first < y.first; });
    QList<ByteRange> merged{ranges.first()};
    for (qsizetype i = 1; i < ranges.size(); ++i) {
        if (ranges[i].first <= merged.last().last + 1)
            merged.last().last = qMax(merged.last().last, ranges[i].last);
        else
            merged.append(ranges[i]);
    }
    return {206, merged};
}

RangeDecision decideDownload(qint64 size, const QByteArray &etag, const QByteArray &ifNoneMatch,
                             const QByteArray &ifRange, const QByteArray &range)
{
    if (!ifNoneMatch.isNull() && etagListMatches(ifNoneMatch, etag))
        return {304, {}};
    if (range.isNull())
        return {};
    // If-Range needs a strong match; a date or another tag means "send it all".
    if (!ifRange.isNull() && ifRange.trimmed() != etag)
        return {};
    return parseRange(range, size);
}

QByteArray contentRange(const ByteRange &r, qint64 size)
{
    return "bytes " + QByteArray::number(r.first) + '-' + QByteArray::number(r.last) + '/' + QByteArray::number(size);
}

} // namespace Files
