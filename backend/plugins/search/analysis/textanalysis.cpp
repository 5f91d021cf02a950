// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "textanalysis.h"

#include <QSet>

#include <array>

namespace Search {

namespace {

constexpr char32_t kSyllableFirst = 0xAC00;
constexpr char32_t kSyllableLast = 0xD7A3;

bool isSyllable(char32_t c) { return c >= kSyllableFirst && c <= kSyllableLast; }
bool isCompatJamo(char32_t c) { return c >= 0x3131 && c <= 0x318E; }
bool isHangul(char32_t c) { return isSyllable(c) || isCompatJamo(c) || (c >= 0x1100 && c <= 0x11FF); }

bool isHanOrKana(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
           || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x3040 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FF)
           || (c >= 0x31F0 && c <= 0x31FF);
}

// Compatibility jamo for the 19 initials, 21 medials (compound vowels spelled out) and
// 27 finals (compound finals spelled out), so that typing order and decomposition agree.
constexpr std::array<const char16_t *, 19> kInitials = {
    u"ㄱ", u"ㄲ", u"ㄴ", u"ㄷ", u"ㄸ", u"ㄹ", u"ㅁ", u"ㅂ", u"ㅃ", u"ㅅ",
    u"ㅆ", u"ㅇ", u"ㅈ", u"ㅉ", u"ㅊ", u"ㅋ", u"ㅌ", u"ㅍ", u"ㅎ"};
constexpr std::array<const char16_t *, 21> kMedials = {
    u"ㅏ", u"ㅐ", u"ㅑ", u"ㅒ", u"ㅓ", u"ㅔ", u"ㅕ", u"ㅖ", u"ㅗ", u"ㅗㅏ", u"ㅗㅐ",
    u"ㅗㅣ", u"ㅛ", u"ㅜ", u"ㅜㅓ", u"ㅜㅔ", u"ㅜㅣ", u"ㅠ", u"ㅡ", u"ㅡㅣ", u"ㅣ"};
constexpr std::array<const char16_t *, 28> kFinals = {
    u"", u"ㄱ", u"ㄲ", u"ㄱㅅ", u"ㄴ", u"ㄴㅈ", u"ㄴㅎ", u"ㄷ", u"ㄹ", u"ㄹㄱ", u"ㄹㅁ", u"ㄹㅂ", u"ㄹㅅ", u"ㄹㅌ",
    u"ㄹㅍ", u"ㄹㅎ", u"ㅁ", u"ㅂ", u"ㅂㅅ", u"ㅅ", u"ㅆ", u"ㅇ", u"ㅈ", u"ㅊ", u"ㅋ", u"ㅌ", u"ㅍ", u"ㅎ"};

/// Lone compatibility jamo that are compounds, spelled out like the tables above.
QString spellCompatJamo(char32_t c)
{
    switch (c) {
    case U'ㄳ': return QStringLiteral("ㄱㅅ");
    case U'ㄵ': return QStringLiteral("ㄴㅈ");
    case U'ㄶ': return QStringLiteral("ㄴㅎ");
    case U'ㄺ': return QStringLiteral("ㄹㄱ");
    case U'ㄻ': return QStringLiteral("ㄹㅁ");
    case U'ㄼ': return QStringLiteral("ㄹㅂ");
    case U'ㄽ': return QStringLiteral("ㄹㅅ");
    case U'ㄾ': return QStringLiteral("ㄹㅌ");
    case U'ㄿ': return QStringLiteral("ㄹㅍ");
    case U'ㅀ': return QStringLiteral("ㄹㅎ");
    case U'ㅄ': return QStringLiteral("ㅂㅅ");
    case U'ㅘ': return QStringLiteral("ㅗㅏ");
    case U'ㅙ': return QStringLiteral("ㅗㅐ");
    case U'ㅚ': return QStringLiteral("ㅗㅣ");
    case U'ㅝ': return QStringLiteral("ㅜㅓ");
    case U'ㅞ': return QStringLiteral("ㅜㅔ");
    case U'ㅟ': return QStringLiteral("ㅜㅣ");
    case U'ㅢ': return QStringLiteral("ㅡㅣ");
    default: return QString::fromUcs4(&c, 1);
    }
}

/// Final consonant index of a syllable (0 = none).
int finalOf(QChar syllable)
{
    const char32_t c = syllable.unicode();
    return isSyllable(c) ? int((c - kSyllableFirst) % 28) : 0;
}

constexpr int kFinalRieul = 8;   // ㄹ

enum class After { Any, Consonant, Vowel, VowelOrRieul };

struct Suffix {
    const char16_t *text;
    After after;
    int minStem = 1;   ///< syllables that must remain (회의, 온도, 불만 end like particles)
};

// Particles (josa), longest first within the scan; the batchim rule avoids cutting words
// that merely end like a particle (나이, 사과, 하늘, 바다).
const Suffix kJosa[] = {
    {u"에게서는", After::Any}, {u"으로부터", After::Consonant}, {u"에서부터", After::Any},
    {u"에게서", After::Any}, {u"으로서", After::Consonant}, {u"으로써", After::Consonant}, {u"에서는", After::Any},
    {u"에서도", After::Any}, {u"에게는", After::Any}, {u"에게도", After::Any}, {u"이라고", After::Consonant},
    {u"으로는", After::Consonant}, {u"까지는", After::Any}, {u"부터는", After::Any}, {u"한테서", After::Any},
    {u"로부터", After::VowelOrRieul}, {u"이라는", After::Consonant},
    {u"에서", After::Any}, {u"에게", After::Any}, {u"한테", After::Any}, {u"께서", After::Any},
    {u"으로", After::Consonant}, {u"로서", After::VowelOrRieul}, {u"로써", After::VowelOrRieul}, {u"로는", After::VowelOrRieul},
    {u"부터", After::Any}, {u"까지", After::Any}, {u"보다", After::Any}, {u"처럼", After::Any}, {u"마저", After::Any},
    {u"조차", After::Any}, {u"밖에", After::Any}, {u"만큼", After::Any}, {u"마다", After::Any}, {u"에는", After::Any},
    {u"에도", After::Any}, {u"이랑", After::Consonant}, {u"이나", After::Consonant}, {u"이며", After::Consonant},
    {u"라고", After::Vowel}, {u"라는", After::Vowel},
    {u"은", After::Consonant}, {u"는", After::Vowel}, {u"이", After::Consonant}, {u"가", After::Vowel},
    {u"을", After::Consonant}, {u"를", After::Vowel}, {u"과", After::Consonant}, {u"와", After::Vowel},
    {u"로", After::VowelOrRieul}, {u"랑", After::Vowel}, {u"의", After::Any, 2}, {u"에", After::Any},
    {u"도", After::Any, 2}, {u"만", After::Any, 2}, {u"께", After::Any, 2},
};

// Common verb/adjective endings after a noun stem (가입했습니다 → 가입, 공유하는 → 공유).
// minStem: syllables that must remain (short endings are ambiguous).
struct Ending {
    const char16_t *text;
    int minStem;
};
const Ending kEndings[] = {
    {u"하였습니다", 1}, {u"되었습니다", 1}, {u"했습니다", 1}, {u"됐습니다", 1}, {u"합니다", 1}, {u"됩니다", 1},
    {u"입니다", 1}, {u"했어요", 1}, {u"했었다", 1}, {u"하였다", 1}, {u"되었다", 1}, {u"이었다", 1}, {u"스럽다", 1},
    {u"스러운", 1}, {u"하세요", 1}, {u"해주세요", 1}, {u"해요", 1}, {u"했다", 1}, {u"한다", 1}, {u"하다", 1},
    {u"하는", 1}, {u"하고", 1}, {u"하여", 1}, {u"해서", 1}, {u"하기", 1}, {u"하면", 1}, {u"했던", 1}, {u"하지", 1},
    {u"된다", 1}, {u"되는", 1}, {u"됐다", 1}, {u"되다", 1}, {u"이다", 2}, {u"였다", 2}, {u"이에요", 1},
    {u"예요", 2}, {u"적인", 1}, {u"적으로", 1}, {u"했", 2}, {u"한", 2}, {u"할", 2}, {u"된", 2}, {u"될", 2}, {u"함", 2},
};

bool allowedAfter(QChar previous, After rule)
{
    const int fin = finalOf(previous);
    switch (rule) {
    case After::Any: return true;
    case After::Consonant: return fin != 0;
    case After::Vowel: return fin == 0;
    case After::VowelOrRieul: return fin == 0 || fin == kFinalRieul;
    }
    return true;
}

bool allSyllables(const QString &s)
{
    for (QChar c : s)
        if (!isSyllable(c.unicode()))
            return false;
    return !s.isEmpty();
}

/// Strips one particle; empty when none applies.
QString stripJosa(const QString &w)
{
    for (const Suffix &j : kJosa) {
        const QString suffix = QString::fromUtf16(j.text);
        if (w.size() >= suffix.size() + j.minStem && w.endsWith(suffix)
            && allowedAfter(w.at(w.size() - suffix.size() - 1), j.after))
            return w.left(w.size() - suffix.size());
    }
    return {};
}

QString stripEnding(const QString &w)
{
    for (const Ending &e : kEndings) {
        const QString suffix = QString::fromUtf16(e.text);
        if (w.size() >= suffix.size() + e.minStem && w.endsWith(suffix))
            return w.left(w.size() - suffix.size());
    }
    return {};
}

void appendUnique(QStringList &list, const QString &s)
{
    if (!s.isEmpty() && !list.contains(s))
        list.append(s);
}

bool isParticle(const QString &w)
{
    for (const Suffix &j : kJosa)
        if (w == QString::fromUtf16(j.text))
            return true;
    return false;
}

enum class Script { None, Hangul, HanKana, Other };

Script scriptOf(char32_t c)
{
    if (isHangul(c))
        return Script::Hangul;
    if (isHanOrKana(c))
        return Script::HanKana;
    if (QChar::isLetterOrNumber(c) || QChar::isMark(c))
        return Script::Other;
    return Script::None;
}

/// NFKC turns typed compatibility jamo (ㅋ, U+314B) into conjoining jamo (U+110F); map
/// the lone ones back so that choseong queries and jamo keys see what was typed.
char32_t compatJamo(char32_t c)
{
    static constexpr char16_t initials[19] = {0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141, 0x3142, 0x3143, 0x3145,
                                              0x3146, 0x3147, 0x3148, 0x3149, 0x314A, 0x314B, 0x314C, 0x314D, 0x314E};
    static constexpr char16_t finals[27] = {0x3131, 0x3132, 0x3133, 0x3134, 0x3135, 0x3136, 0x3137, 0x3139, 0x313A,
                                            0x313B, 0x313C, 0x313D, 0x313E, 0x313F, 0x3140, 0x3141, 0x3142, 0x3144,
                                            0x3145, 0x3146, 0x3147, 0x3148, 0x314A, 0x314B, 0x314C, 0x314D, 0x314E};
    if (c >= 0x1100 && c <= 0x1112)
        return initials[c - 0x1100];
    if (c >= 0x1161 && c <= 0x1175)
        return 0x314F + (c - 0x1161);
    if (c >= 0x11A8 && c <= 0x11C2)
        return finals[c - 0x11A8];
    return c;
}

/// NFKC, lower case, lone jamo back to their compatibility form.
QList<uint> foldedCodePoints(const QString &text)
{
    QList<uint> cps = text.normalized(QString::NormalizationForm_KC).toLower().toUcs4();
    for (uint &c : cps)
        c = compatJamo(char32_t(c));
    return cps;
}

} // namespace

QStringList Analyzed::stems() const
{
    QStringList out;
    for (const Word &w : words) {
        for (const QString &f : w.forms)
            appendUnique(out, f);
        if (!w.hangul)
            for (const QString &g : w.grams)
                appendUnique(out, g);
    }
    return out;
}

QStringList Analyzed::grams() const
{
    QStringList out;
    for (const Word &w : words)
        if (w.hangul)
            for (const QString &g : w.grams)
                appendUnique(out, g);
    return out;
}

QStringList hangulStems(const QString &word)
{
    QStringList out{word};
    if (!allSyllables(word))
        return out;
    // Up to three passes: ending, particle, plural 들 (회원들에게 → 회원들 → 회원).
    QString w = word;
    for (int pass = 0; pass < 3; ++pass) {
        QString next = stripEnding(w);
        if (next.isEmpty())
            next = stripJosa(w);
        if (next.isEmpty() && w.size() > 1 && w.endsWith(QChar(u'들')))
            next = w.left(w.size() - 1);
        if (next.isEmpty())
            break;
        appendUnique(out, next);
        w = next;
    }
    return out;
}

QStringList bigrams(const QString &word)
{
    const QList<uint> cps = word.toUcs4();
    if (cps.size() <= 2)
        return word.isEmpty() ? QStringList() : QStringList{word};
    QStringList out;
    for (qsizetype i = 0; i + 1 < cps.size(); ++i) {
        const char32_t pair[2] = {char32_t(cps[i]), char32_t(cps[i + 1])};
        appendUnique(out, QString::fromUcs4(pair, 2));
    }
    return out;
}

QString jamo(const QString &text)
{
    QString out;
    const QString lower = text.toLower();
    for (const uint cp : lower.toUcs4()) {
        const char32_t c = cp;
        if (isSyllable(c)) {
            const int index = int(c - kSyllableFirst);
            out += QString::fromUtf16(kInitials[index / 588]);
            out += QString::fromUtf16(kMedials[(index % 588) / 28]);
            out += QString::fromUtf16(kFinals[index % 28]);
        } else if (isCompatJamo(c)) {
            out += spellCompatJamo(c);
        } else {
            out += QString::fromUcs4(&c, 1);
        }
    }
    return out;
}

QString choseong(const QString &text)
{
    QString out;
    for (const QChar c : text) {
        const char32_t u = c.unicode();
        if (isSyllable(u))
            out += QString::fromUtf16(kInitials[(u - kSyllableFirst) / 588]);
    }
    return out;
}

bool isChoseongQuery(const QString &text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text)
        if (c.unicode() < 0x3131 || c.unicode() > 0x314E)
            return false;
    return true;
}

QString normalizeQuery(const QString &text)
{
    const QList<uint> cps = foldedCodePoints(text);
    return QString::fromUcs4(reinterpret_cast<const char32_t *>(cps.constData()), cps.size()).simplified();
}

Analyzed analyze(const QString &text)
{
    Analyzed out;
    const QList<uint> cps = foldedCodePoints(text);
    QStringList latin;
    qsizetype i = 0;
    Script previous = Script::None;   // script of the run right before (no separator between)
    while (i < cps.size()) {
        const Script s = scriptOf(cps[i]);
        if (s == Script::None) {
            previous = Script::None;
            ++i;
            continue;
        }
        qsizetype j = i;
        while (j < cps.size() && scriptOf(cps[j]) == s)
            ++j;
        std::u32string run;
        for (qsizetype k = i; k < j; ++k)
            run.push_back(char32_t(cps[k]));
        const QString word = QString::fromUcs4(run.data(), qsizetype(run.size()));
        if (s == Script::Other) {
            latin.append(word);
        } else if (s == Script::Hangul) {
            // "KBS에서": a particle glued to a Latin word or number is not a word of its own.
            if (!(previous == Script::Other && isParticle(word))) {
                Word w;
                w.forms = hangulStems(word);
                const QString stem = w.forms.last();
                if (stem.size() > 2)
                    w.grams = bigrams(stem);
                out.words.append(w);
            }
        } else {
            Word w;
            w.hangul = false;
            w.grams = bigrams(word);
            out.words.append(w);
        }
        previous = s;
        i = j;
    }
    out.latin = latin.join(QLatin1Char(' '));
    return out;
}

} // namespace Search
