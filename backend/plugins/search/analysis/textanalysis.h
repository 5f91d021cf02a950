// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Text analysis for search, in C++ so that index and query agree exactly (docs/search.md).
///
/// Text is NFKC-normalised, lower-cased and split into runs of one script:
///  - Latin and other alphabetic scripts, digits: left to PostgreSQL's `english`
///    configuration (stemming, stop words) — returned as `latin` text.
///  - Hangul: each word yields itself, its stem after stripping particles (josa, checked
///    against the batchim rule: 은/이/을/과/으로 only after a final consonant, 는/가/를/와/로
///    only after a vowel), plural 들 and common verb/adjective endings, and the
///    stem's syllable bigrams (for compounds and partial words).
///  - Han, Hiragana, Katakana: character bigrams (a lone character stays a unigram).
/// Returned as `cjk` tokens for PostgreSQL's `simple` configuration.
///
/// Autocomplete keys: `jamo()` decomposes Hangul into compatibility jamo (커뮤닡 →
/// ㅋㅓㅁㅠㄴㅣㅌ, a prefix of 커뮤니티's ㅋㅓㅁㅠㄴㅣㅌㅣ) and `choseong()` keeps each
/// syllable's initial consonant (커뮤니티 → ㅋㅁㄴㅌ).
///
/// Pure functions; thread-safe.

#include <QString>
#include <QStringList>

namespace Search {

/// One Hangul or Han/Kana word of the text.
struct Word {
    bool hangul = true;    ///< false: a Han/Kana run
    QStringList forms;     ///< Hangul: the word and its stems (any of them matches); Han/Kana: empty
    QStringList grams;     ///< Hangul stems longer than two syllables: their bigrams; Han/Kana: the
                           ///< run's bigrams (all of them together match the word)
};

struct Analyzed {
    QString latin;         ///< non-CJK words, space-separated (for to_tsvector('english', ...))
    QList<Word> words;     ///< Hangul and Han/Kana words in text order

    /// Index tokens of the first rank: Hangul forms and Han/Kana bigrams (deduplicated).
    QStringList stems() const;
    /// Index tokens of the second rank: bigrams inside long Hangul stems (deduplicated).
    QStringList grams() const;
};

/// Analyses document text (a title or a body).
Analyzed analyze(const QString &text);

/// Hangul stems of one word (the word itself first, then what stripping produced),
/// deduplicated. Non-Hangul input is returned unchanged as the only element.
QStringList hangulStems(const QString &word);

/// Syllable bigrams of `word` ("커뮤니티" → 커뮤, 뮤니, 니티); a word of one or two
/// characters yields itself.
QStringList bigrams(const QString &word);

/// Compatibility-jamo decomposition of Hangul syllables (compound finals split, e.g.
/// 닭 → ㄷㅏㄹㄱ); other characters lower-cased and kept.
QString jamo(const QString &text);

/// Initial consonants of Hangul syllables (커뮤니티 → ㅋㅁㄴㅌ); other characters dropped.
QString choseong(const QString &text);

/// True when `text` consists only of Hangul compatibility consonants (ㄱ..ㅎ), e.g. ㅋㅁㄴㅌ.
bool isChoseongQuery(const QString &text);

/// NFKC + lower case + whitespace collapsed + trimmed: the normal form of a query.
QString normalizeQuery(const QString &text);

} // namespace Search
