// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Conditional and range requests for downloads (RFC 9110 sections 13 and 14): which
/// status and which byte ranges answer a GET given If-None-Match, If-Range and Range.
/// Pure functions on values; any thread.

#include <QByteArray>
#include <QList>
#include <QPair>

namespace Files {

struct ByteRange {
    qint64 first = 0;
    qint64 last = 0;    ///< inclusive
    qint64 length() const { return last - first + 1; }
    bool operator==(const ByteRange &) const = default;
};

struct RangeDecision {
    int status = 200;             ///< 200 whole, 206 ranges, 304 not modified, 416 unsatisfiable
    QList<ByteRange> ranges;      ///< for 206: one or more, sorted and coalesced
};

/// Parses a Range header against a representation of `size` bytes. Returns status 200
/// (ignore: not "bytes=", malformed, or more than `maxRanges`), 206 with the satisfiable
/// ranges, or 416 when none is satisfiable.
RangeDecision parseRange(QByteArrayView header, qint64 size, int maxRanges = 16);

/// The whole decision: 304 when If-None-Match matches `etag` (a strong "..."), the Range
/// only when If-Range is absent or equals `etag`.
RangeDecision decideDownload(qint64 size, const QByteArray &etag, const QByteArray &ifNoneMatch,
                             const QByteArray &ifRange, const QByteArray &range);

/// "bytes 0-99/1234"
QByteArray contentRange(const ByteRange &r, qint64 size);

} // namespace Files
