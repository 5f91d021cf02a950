// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Markdown source to the plain text the index stores and snippets are cut from: link
/// targets, images, HTML tags, emphasis and block markers go, the words stay. Not a
/// Markdown parser (the content plugin renders with cmark-gfm); good enough for search.
/// Pure function; thread-safe.

#include <QString>

namespace Search {

/// Plain text of `markdown`, whitespace collapsed, at most `maxChars` characters (cut at
/// a word boundary).
QString markdownToPlain(const QString &markdown, int maxChars = 100'000);

} // namespace Search
