// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// libFuzzer target: search's text analysis (Korean stems and particles, CJK bigrams,
// jamo and choseong keys) and what the indexer builds on it (autocomplete keys,
// transliteration, markdown to plain text). The input is document text (UTF-8). Checked:
// the documented shapes of every result (first stem is the word, bigrams of two code
// points, jamo keys without syllables, choseong keys of initial consonants only, keys cut
// to kMaxKeyChars without splitting a surrogate pair, transliteration in ASCII).

#include "plaintext.h"
#include "suggestkeys.h"
#include "textanalysis.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Search;

namespace {

[[noreturn]] void broken(const char *what, const QString &detail)
{
    std::fprintf(stderr, "fuzz_analysis: contract broken: %s: %s\n", what, qPrintable(detail));
    std::abort();
}

bool endsInsidePair(const QString &s)
{
    return !s.isEmpty() && s.back().isHighSurrogate();
}

void checkJamoKey(const QString &key, const QString &from)
{
    for (QChar c : key) {
        if (c.unicode() >= 0xAC00 && c.unicode() <= 0xD7A3)
            broken("syllable left in a jamo key", from);
    }
}

void checkChoseong(const QString &key, const QString &from)
{
    for (QChar c : key) {
        if (c.unicode() < 0x3131 || c.unicode() > 0x314E)
            broken("choseong key holds something else", from);
    }
    if (!key.isEmpty() && !isChoseongQuery(key))
        broken("a choseong key is not a choseong query", from);
}

void checkWord(const QString &word)
{
    const QStringList stems = hangulStems(word);
    if (stems.isEmpty() || stems.first() != word)
        broken("hangulStems does not start with the word", word);
    for (const QString &s : stems) {
        if (s.isEmpty() || !word.startsWith(s))
            broken("a stem that is not a prefix of its word", word);
    }
    for (const QString &g : bigrams(word)) {
        if (g.toUcs4().size() > 2 || g.isEmpty())
            broken("bigram longer than two code points", word);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));

    const Analyzed a = analyze(text);
    for (const Word &w : a.words) {
        if (w.hangul && w.forms.isEmpty())
            broken("Hangul word without forms", text);
        if (!w.hangul && w.grams.isEmpty())
            broken("Han/Kana word without bigrams", text);
        for (const QString &f : w.forms)
            checkWord(f);
        for (const QString &g : w.grams) {
            if (g.isEmpty() || g.toUcs4().size() > 2)
                broken("gram longer than two code points", text);
        }
    }
    (void)a.stems();
    (void)a.grams();
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        checkWord(word);

    checkJamoKey(jamo(text), text);
    checkChoseong(choseong(text), text);
    const QString normalized = normalizeQuery(text);
    if (normalized != normalized.trimmed() || normalized.contains(QLatin1String("  ")))
        broken("normalizeQuery leaves outer or double spaces", text);

    // Autocomplete keys of the text as a term with itself (cut in two) as an alias.
    const QList<SuggestionKey> keys = suggestionKeys(text, {text.left(text.size() / 2), text}, int(1 + size % 9));
    if (keys.isEmpty())
        broken("no suggestion key", text);
    for (const SuggestionKey &k : keys) {
        if (k.jamo.size() > kMaxKeyChars || k.choseong.size() > kMaxKeyChars || endsInsidePair(k.jamo))
            broken("key not cut", text);
        checkJamoKey(k.jamo, text);
        checkChoseong(k.choseong, text);
    }
    const QString key = queryJamoKey(normalizeForSuggest(text));
    if (key.size() > kMaxKeyChars || endsInsidePair(key))
        broken("query key not cut", text);
    const QString latin = transliterate(text);
    for (QChar c : latin) {
        if (c.unicode() >= 0x80)
            broken("transliteration is not ASCII", text);
    }
    if (latin.size() > kMaxKeyChars)
        broken("transliteration not cut", text);

    const int maxChars = int(1 + qHash(text) % 400);
    const QString plain = markdownToPlain(text, maxChars);
    if (plain.size() > maxChars || endsInsidePair(plain))
        broken("markdownToPlain over its limit or cut inside a pair", text);
    return 0;
}
