// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Keys of the autocomplete table (docs/search.md): one row per word start of a term
/// (and per extra alias such as a slug), each with its jamo key (prefixes, unfinished
/// syllables) and choseong key (initial-consonant queries); plus an ASCII
/// transliteration of the whole term for trigram typo matching, which pg_trgm handles
/// whatever the database locale. Pure functions; thread-safe.

#include <QList>
#include <QString>
#include <QStringList>

namespace Search {

struct SuggestionKey {
    int pos = 0;          ///< 0 = the whole term; then later word starts; then aliases
    QString jamo;
    QString choseong;
};

inline constexpr int kMaxKeyChars = 120;   ///< keys are cut to this (btree entries stay small)

/// normalizeQuery() followed by mapping conjoining jamo back to compatibility jamo: NFKC
/// turns a typed ㅋ (U+314B) into U+110F, which neither jamo() keys nor isChoseongQuery()
/// expect. Used for stored keys and queries alike.
QString normalizeForSuggest(const QString &text);

/// Keys of `term` at its first `maxWords` word starts, then of each alias.
QList<SuggestionKey> suggestionKeys(const QString &term, const QStringList &aliases = {}, int maxWords = 8);

/// The key a query is matched with (jamo(normalizeForSuggest(q)), cut like the stored keys).
QString queryJamoKey(const QString &normalizedQuery);

/// ASCII transliteration for trigram matching: Hangul romanised syllable by syllable
/// (compatibility jamo too), Latin letters without diacritics, digits kept; Han/Kana and
/// punctuation become spaces. Lower case, whitespace collapsed.
QString transliterate(const QString &text);

} // namespace Search
