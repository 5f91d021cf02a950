// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Turns what a user typed into the pieces the SQL function search.make_query() combines
/// (docs/search.md): Latin text for websearch_to_tsquery('english') with only letters,
/// digits, quotes, "or" and leading "-" left in it (the same splitting the index used), and
/// one group per Hangul or Han/Kana word from the shared text analysis. Nothing the user
/// typed is ever parsed as tsquery syntax. Pure functions; thread-safe.

#include "community/result.h"

#include <QJsonArray>
#include <QString>
#include <QStringList>

namespace Search {

struct SearchConfig;

struct ParsedQuery {
    QString normalized;        ///< normalizeQuery(q): what analytics store
    QString latin;             ///< for websearch_to_tsquery('english', ...)
    QJsonArray groups;         ///< [{"any": [...], "all": [...], "not": bool}]
    int terms = 0;             ///< words, phrases and operators counted against maxTerms
    QStringList latinWords;    ///< positive Latin words, for the highlighter
    QStringList cjkTerms;      ///< positive Hangul forms/bigrams and Han/Kana bigrams, for the highlighter
    QString fuzzyText;         ///< the positive Latin words joined, for the trigram fallback

    bool isEmpty() const { return latin.trimmed().isEmpty() && groups.isEmpty(); }
};

/// Parses and checks `q` (length, number of terms). InvalidArgument with a field error on
/// `q` (codes too_long, too_many_terms) when a limit is exceeded. An empty result
/// (isEmpty()) means the text had nothing to search for (only punctuation, say).
Community::Result<ParsedQuery> parseQuery(const QString &q, const SearchConfig &config);

/// The groups as compact JSON text (the second argument of search.make_query).
QByteArray groupsJson(const ParsedQuery &query);

} // namespace Search
