// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Highlighted titles and snippets: the text is HTML-escaped first and the only markup
/// emitted is <mark>…</mark>. Latin words match a query word by a light English stem
/// (so "running" marks for "run"), Hangul words by a query form at their start (회원 in
/// 회원들에게) or a query bigram inside them, Han/Kana text by query bigrams. Pure
/// functions; thread-safe.

#include <QString>
#include <QStringList>

namespace Search {

struct HighlightTerms {
    QStringList latin;   ///< lower-case query words
    QStringList cjk;     ///< Hangul forms and bigrams, Han/Kana bigrams
    bool isEmpty() const { return latin.isEmpty() && cjk.isEmpty(); }
};

/// The whole text, escaped, with matches marked.
QString highlightAll(const QString &text, const HighlightTerms &terms);

/// An escaped window of about `maxChars` characters around the densest matches (the
/// beginning of the text when nothing matches), "…" where it was cut.
QString snippet(const QString &text, const HighlightTerms &terms, int maxChars = 200);

/// The light English stem used for matching (exposed for tests).
QString lightStem(const QString &word);

} // namespace Search
