// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "suggestkeys.h"

#include "textanalysis.h"

namespace Search {

namespace {

// Revised-Romanisation-like spellings; distinct per jamo rather than phonetic, because
// they only need to make one-jamo typos small trigram differences.
constexpr const char *kInitials[19] = {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
                                       "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
constexpr const char *kMedials[21] = {"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
                                      "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"};
constexpr const char *kFinals[28] = {"", "g", "kk", "gs", "n", "nj", "nh", "d", "l", "lg", "lm", "lb", "ls", "lt",
                                     "lp", "lh", "m", "b", "bs", "s", "ss", "ng", "j", "ch", "k", "t", "p", "h"};
// Compatibility consonants U+3131..U+314E.
constexpr const char *kCompatConsonants[30] = {"g", "kk", "gs", "n", "nj", "nh", "d", "tt", "r", "lg",
                                               "lm", "lb", "ls", "lt", "lp", "lh", "m", "b", "pp", "bs",
                                               "s", "ss", "ng", "j", "jj", "ch", "k", "t", "p", "h"};

// Conjoining jamo (U+1100.., U+1161.., U+11A8..) to compatibility jamo (U+3131..).
constexpr char16_t kCompatOfInitial[19] = {u'ㄱ', u'ㄲ', u'ㄴ', u'ㄷ', u'ㄸ', u'ㄹ', u'ㅁ', u'ㅂ', u'ㅃ', u'ㅅ',
                                           u'ㅆ', u'ㅇ', u'ㅈ', u'ㅉ', u'ㅊ', u'ㅋ', u'ㅌ', u'ㅍ', u'ㅎ'};
constexpr char16_t kCompatOfFinal[27] = {u'ㄱ', u'ㄲ', u'ㄳ', u'ㄴ', u'ㄵ', u'ㄶ', u'ㄷ', u'ㄹ', u'ㄺ',
                                         u'ㄻ', u'ㄼ', u'ㄽ', u'ㄾ', u'ㄿ', u'ㅀ', u'ㅁ', u'ㅂ', u'ㅄ',
                                         u'ㅅ', u'ㅆ', u'ㅇ', u'ㅈ', u'ㅊ', u'ㅋ', u'ㅌ', u'ㅍ', u'ㅎ'};

QChar compatJamo(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= 0x1100 && u <= 0x1112)
        return QChar(kCompatOfInitial[u - 0x1100]);
    if (u >= 0x1161 && u <= 0x1175)
        return QChar(char16_t(0x314F + (u - 0x1161)));
    if (u >= 0x11A8 && u <= 0x11C2)
        return QChar(kCompatOfFinal[u - 0x11A8]);
    return c;
}

QString cut(const QString &s)
{
    if (s.size() <= kMaxKeyChars)
        return s;
    qsizetype n = kMaxKeyChars;
    if (s.at(n - 1).isHighSurrogate())
        --n;
    return s.left(n);
}

} // namespace

QString normalizeForSuggest(const QString &text)
{
    QString s = text;
    for (QChar &c : s) {
        if (c.category() == QChar::Other_Control)
            c = QLatin1Char(' ');
    }
    s = normalizeQuery(s);
    for (QChar &c : s)
        c = compatJamo(c);
    return s;
}

QList<SuggestionKey> suggestionKeys(const QString &term, const QStringList &aliases, int maxWords)
{
    QList<SuggestionKey> out;
    const QStringList words = normalizeForSuggest(term).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    int pos = 0;
    for (int i = 0; i < words.size() && i < maxWords; ++i) {
        const QString rest = cut(QStringList(words.mid(i)).join(QLatin1Char(' ')));
        out.append({pos++, cut(jamo(rest)), cut(choseong(rest))});
    }
    if (out.isEmpty())
        out.append({pos++, QString(), QString()});
    for (const QString &alias : aliases) {
        const QString a = cut(normalizeForSuggest(alias));
        if (a.isEmpty())
            continue;
        bool duplicate = false;
        for (const SuggestionKey &k : std::as_const(out))
            duplicate = duplicate || k.jamo == cut(jamo(a));
        if (!duplicate)
            out.append({pos++, cut(jamo(a)), cut(choseong(a))});
    }
    return out;
}

QString queryJamoKey(const QString &normalizedQuery)
{
    return cut(jamo(normalizedQuery));
}

QString transliterate(const QString &text)
{
    QString out;
    const QString lower = normalizeForSuggest(text);
    for (const uint cp : lower.toUcs4()) {
        const char32_t c = cp;
        if (c >= 0xAC00 && c <= 0xD7A3) {
            const int index = int(c - 0xAC00);
            out += QLatin1String(kInitials[index / 588]);
            out += QLatin1String(kMedials[(index % 588) / 28]);
            out += QLatin1String(kFinals[index % 28]);
        } else if (c >= 0x3131 && c <= 0x314E) {
            out += QLatin1String(kCompatConsonants[c - 0x3131]);
        } else if (c >= 0x314F && c <= 0x3163) {
            out += QLatin1String(kMedials[c - 0x314F]);
        } else if (c < 0x80) {
            const char a = char(c);
            out += ((a >= 'a' && a <= 'z') || (a >= '0' && a <= '9')) ? QChar(QLatin1Char(a)) : QChar(u' ');
        } else if (QChar::isLetter(c)) {
            // é -> e: keep the ASCII base letters of the decomposition.
            const QString decomposed = QString::fromUcs4(&c, 1).normalized(QString::NormalizationForm_D);
            bool any = false;
            for (const QChar d : decomposed) {
                if (d.unicode() < 0x80 && d.isLetterOrNumber()) {
                    out += d;
                    any = true;
                }
            }
            if (!any)
                out += QLatin1Char(' ');
        } else {
            out += QLatin1Char(' ');
        }
    }
    return cut(out.simplified());
}

} // namespace Search
