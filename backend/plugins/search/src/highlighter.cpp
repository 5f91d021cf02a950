// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "highlighter.h"

#include <QList>

#include <algorithm>

namespace Search {

namespace {

struct Range {
    qsizetype begin;
    qsizetype end;
};

enum class Kind { Latin, Hangul, HanKana };

bool isHangul(char32_t c)
{
    return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3131 && c <= 0x318E);
}

bool isHanKana(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
           || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x3040 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FF)
           || (c >= 0x31F0 && c <= 0x31FF);
}

char32_t codePointAt(const QString &s, qsizetype i, int *width)
{
    const QChar c = s.at(i);
    if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
        *width = 2;
        return QChar::surrogateToUcs4(c, s.at(i + 1));
    }
    *width = 1;
    return c.unicode();
}

Kind kindOf(char32_t c)
{
    if (isHangul(c))
        return Kind::Hangul;
    if (isHanKana(c))
        return Kind::HanKana;
    return Kind::Latin;
}

bool isWord(char32_t c)
{
    return QChar::isLetterOrNumber(c) || QChar::isMark(c);
}

/// Every occurrence of any of `needles` inside [begin, end) of `text`.
void markOccurrences(const QString &text, qsizetype begin, qsizetype end, const QStringList &needles,
                     QList<Range> &out)
{
    const QStringView word = QStringView(text).mid(begin, end - begin);
    for (const QString &n : needles) {
        if (n.isEmpty())
            continue;
        qsizetype from = 0;
        while (true) {
            const qsizetype at = word.indexOf(n, from, Qt::CaseInsensitive);
            if (at < 0)
                break;
            out.append({begin + at, begin + at + n.size()});
            from = at + 1;
        }
    }
}

QList<Range> findMatches(const QString &text, const HighlightTerms &terms)
{
    QList<Range> ranges;
    QStringList latinStems;
    for (const QString &w : terms.latin)
        latinStems.append(lightStem(w));
    QStringList forms;   // Hangul forms/bigrams and Han/Kana bigrams, longest first
    forms = terms.cjk;
    std::sort(forms.begin(), forms.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });

    qsizetype i = 0;
    while (i < text.size()) {
        int width = 1;
        const char32_t c = codePointAt(text, i, &width);
        if (!isWord(c)) {
            i += width;
            continue;
        }
        const Kind kind = kindOf(c);
        qsizetype j = i;
        while (j < text.size()) {
            int w = 1;
            const char32_t d = codePointAt(text, j, &w);
            if (!isWord(d) || kindOf(d) != kind)
                break;
            j += w;
        }
        if (kind == Kind::Latin) {
            if (!latinStems.isEmpty()) {
                const QString word = text.mid(i, j - i).toLower();
                const QString stem = lightStem(word);
                for (qsizetype k = 0; k < latinStems.size(); ++k) {
                    const QString &q = terms.latin.at(k);
                    if (stem == latinStems.at(k) || word == q || (q.size() >= 4 && word.startsWith(q))) {
                        ranges.append({i, j});
                        break;
                    }
                }
            }
        } else if (kind == Kind::Hangul) {
            // A form at the start of the word marks that part (회원 in 회원들에게); a
            // bigram anywhere marks itself (partial words).
            bool marked = false;
            for (const QString &f : std::as_const(forms)) {
                if (f.size() <= j - i && QStringView(text).mid(i, j - i).startsWith(f)) {
                    ranges.append({i, i + f.size()});
                    marked = true;
                    break;
                }
            }
            if (!marked)
                markOccurrences(text, i, j, forms, ranges);
        } else {
            markOccurrences(text, i, j, forms, ranges);
        }
        i = j;
    }
    std::sort(ranges.begin(), ranges.end(), [](const Range &a, const Range &b) { return a.begin < b.begin; });
    QList<Range> merged;
    for (const Range &r : std::as_const(ranges)) {
        if (!merged.isEmpty() && r.begin <= merged.last().end)
            merged.last().end = std::max(merged.last().end, r.end);
        else
            merged.append(r);
    }
    return merged;
}

QString render(const QString &text, qsizetype begin, qsizetype end, const QList<Range> &ranges)
{
    QString out;
    qsizetype at = begin;
    for (const Range &r : ranges) {
        if (r.end <= begin || r.begin >= end)
            continue;
        const qsizetype b = std::max(r.begin, begin);
        const qsizetype e = std::min(r.end, end);
        out += text.mid(at, b - at).toHtmlEscaped();
        out += QStringLiteral("<mark>") + text.mid(b, e - b).toHtmlEscaped() + QStringLiteral("</mark>");
        at = e;
    }
    out += text.mid(at, end - at).toHtmlEscaped();
    return out;
}

/// `pos` moved back to a space within 20 characters (else kept, but never left inside a
/// surrogate pair).
qsizetype backToSpace(const QString &text, qsizetype pos)
{
    for (qsizetype p = pos, stop = std::max<qsizetype>(0, pos - 20); p > stop; --p) {
        if (p < text.size() && text.at(p).isSpace())
            return p;
    }
    if (pos > 0 && pos < text.size() && text.at(pos).isLowSurrogate())
        return pos - 1;
    return pos;
}

} // namespace

QString lightStem(const QString &word)
{
    static const char *const suffixes[] = {"ations", "ation", "ingly", "ings", "ing", "edly", "ies", "ied", "ers",
                                           "er", "ed", "es", "ly", "s"};
    QString w = word.toLower();
    for (const char *suffix : suffixes) {
        const QLatin1String s(suffix);
        if (w.size() >= s.size() + 3 && w.endsWith(s)) {
            w.chop(s.size());
            break;
        }
    }
    // running -> runn -> run; stopped -> stopp -> stop
    if (w.size() >= 4 && w.at(w.size() - 1) == w.at(w.size() - 2) && w.at(w.size() - 1).isLetter())
        w.chop(1);
    if (w.size() >= 4 && w.endsWith(QLatin1Char('e')))
        w.chop(1);
    return w;
}

QString highlightAll(const QString &text, const HighlightTerms &terms)
{
    if (terms.isEmpty())
        return text.toHtmlEscaped();
    return render(text, 0, text.size(), findMatches(text, terms));
}

QString snippet(const QString &text, const HighlightTerms &terms, int maxChars)
{
    const QList<Range> ranges = terms.isEmpty() ? QList<Range>() : findMatches(text, terms);
    if (text.size() <= maxChars)
        return render(text, 0, text.size(), ranges);
    // The window (of maxChars) that covers the most matches, starting a little before
    // its first one so that the match has some context.
    qsizetype bestStart = 0;
    int bestCount = 0;
    for (qsizetype k = 0; k < ranges.size(); ++k) {
        int count = 0;
        for (qsizetype m = k; m < ranges.size() && ranges.at(m).end <= ranges.at(k).begin + maxChars; ++m)
            ++count;
        if (count > bestCount) {
            bestCount = count;
            bestStart = ranges.at(k).begin;
        }
    }
    qsizetype begin = std::max<qsizetype>(0, bestStart - maxChars / 5);
    if (begin > 0)
        begin = backToSpace(text, begin);
    qsizetype end = std::min<qsizetype>(text.size(), begin + maxChars);
    if (end < text.size())
        end = backToSpace(text, end);
    const QString body = render(text, begin, end, ranges).trimmed();
    return (begin > 0 ? QStringLiteral("…") : QString()) + body + (end < text.size() ? QStringLiteral("…") : QString());
}

} // namespace Search
