// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// PostgreSQL array literals for `$n::bigint[]` and `$n::text[]` parameters. Pure.

#include <QList>
#include <QStringList>

#include <string>

namespace Content {

/// "{1,2,3}".
std::string idArrayLiteral(const QList<qint64> &ids);
/// "{a,b}" for validated tags (letters, digits and inner hyphens: nothing to quote).
std::string tagsLiteral(const QStringList &tags);

} // namespace Content
