// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Opaque page cursors. A keyset cursor (relation rows: created_at in microseconds + id)
/// and an offset cursor (search results). Both are base64url text with a kind prefix, so
/// a cursor from one list is refused by another. Pure functions; thread-safe.

#include <QString>

#include <optional>

namespace Users {

struct KeysetCursor {
    qint64 micros = 0;   ///< created_at, microseconds since the Unix epoch
    qint64 id = 0;       ///< row id, the tiebreak
    friend bool operator==(const KeysetCursor &, const KeysetCursor &) = default;
};

QString encodeKeysetCursor(const KeysetCursor &c);
/// nullopt for anything that is not a cursor made by encodeKeysetCursor.
std::optional<KeysetCursor> decodeKeysetCursor(const QString &text);

QString encodeOffsetCursor(int offset);
/// nullopt for a malformed cursor or an offset outside 0..maxOffset.
std::optional<int> decodeOffsetCursor(const QString &text, int maxOffset);

} // namespace Users
