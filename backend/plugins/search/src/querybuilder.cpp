// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "querybuilder.h"

#include "searchconfig.h"
#include "textanalysis.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace Search {

using Community::Error;
using Community::ErrorCode;

namespace {

bool isCjk(char32_t c)
{
    return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3131 && c <= 0x318E)
           || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
           || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x3040 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FF)
           || (c >= 0x31F0 && c <= 0x31FF);
}

bool isWordChar(char32_t c)
{
    return QChar::isLetterOrNumber(c) || QChar::isMark(c);
}

Error queryProblem(const QString &message, const QString &code)
{
    Error e = Error::make(ErrorCode::InvalidArgument, QStringLiteral("The search query is not acceptable."));
    e.fields.append({QStringLiteral("q"), message, code});
    return e;
}

void appendUnique(QStringList &list, const QStringList &items)
{
    for (const QString &s : items) {
        if (!s.isEmpty() && !list.contains(s))
            list.append(s);
    }
}

/// One whitespace-separated token of a query, split into what goes to the Latin text and
/// what goes to the CJK analysis.
struct Token {
    QString kept;       ///< Latin letters/digits, quotes and a leading "-"; the rest blanked
    QString cjk;        ///< the token with non-CJK characters blanked
    bool negated = false;
};

/// Scans a token; quote state carries across tokens. Counts Latin words into out.terms.
Token scanToken(const QString &token, bool &inQuote, int &quotes, ParsedQuery &out)
{
    Token t;
    bool latinWordStarted = false;
    const QList<uint> cps = token.toUcs4();
    for (qsizetype i = 0; i < cps.size(); ++i) {
        const char32_t c = cps[i];
        if (c == U'"') {
            inQuote = !inQuote;
            ++quotes;
            t.kept += QLatin1Char('"');
            continue;
        }
        if (i == 0 && c == U'-' && !inQuote) {
            t.negated = true;
            t.kept += QLatin1Char('-');
            continue;
        }
        if (isCjk(c)) {
            t.cjk += QString::fromUcs4(&c, 1);
            t.kept += QLatin1Char(' ');
            latinWordStarted = false;
            continue;
        }
        t.cjk += QLatin1Char(' ');
        const bool word = isWordChar(c);
        t.kept += word ? QString::fromUcs4(&c, 1) : QStringLiteral(" ");
        if (word && !latinWordStarted)
            ++out.terms;
        latinWordStarted = word;
    }
    return t;
}

/// Positive Latin words feed the highlighter and the typo fallback ("or" is an operator).
void addLatinWords(const Token &t, ParsedQuery &out, QStringList &fuzzyWords)
{
    static const QRegularExpression separators(QStringLiteral("[\\s\"-]+"));
    for (const QString &w : t.kept.split(separators, Qt::SkipEmptyParts)) {
        if (w == QLatin1String("or"))
            continue;
        appendUnique(out.latinWords, {w});
        fuzzyWords.append(w);
    }
}

/// Analyses the whole token so that a particle glued to a Latin word ("KBS에서") is
/// dropped exactly as it was when the document was indexed; one group per word.
void addCjkGroups(const QString &token, bool negated, ParsedQuery &out)
{
    const Analyzed a = analyze(token);
    for (const Word &w : a.words) {
        QJsonObject g;
        if (w.hangul)
            g.insert(QStringLiteral("any"), QJsonArray::fromStringList(w.forms));
        if (!w.grams.isEmpty())
            g.insert(QStringLiteral("all"), QJsonArray::fromStringList(w.grams));
        if (negated)
            g.insert(QStringLiteral("not"), true);
        out.groups.append(g);
        ++out.terms;
        if (!negated) {
            appendUnique(out.cjkTerms, w.forms);
            appendUnique(out.cjkTerms, w.grams);
        }
    }
}

} // namespace

Community::Result<ParsedQuery> parseQuery(const QString &q, const SearchConfig &config)
{
    // Count before normalising: NFKC can only shrink or keep a query of this size bounded.
    if (q.size() > config.maxQueryLength)
        return tl::unexpected(queryProblem(QStringLiteral("is longer than %1 characters").arg(config.maxQueryLength),
                                           QStringLiteral("too_long")));
    ParsedQuery out;
    // Control characters (a NUL would not even reach PostgreSQL) separate like spaces.
    QString cleaned = q;
    for (QChar &c : cleaned) {
        if (c.category() == QChar::Other_Control)
            c = QLatin1Char(' ');
    }
    out.normalized = normalizeQuery(cleaned);
    if (out.normalized.size() > config.maxQueryLength)
        return tl::unexpected(queryProblem(QStringLiteral("is longer than %1 characters").arg(config.maxQueryLength),
                                           QStringLiteral("too_long")));

    // Walk the query token by token (whitespace-separated), keeping quote state across
    // tokens: Latin letters/digits, quotes and a token's leading "-" go to the Latin text;
    // every other character becomes a space, as the document analysis splits there too.
    QString latin;
    QStringList fuzzyWords;
    bool inQuote = false;
    int quotes = 0;
    for (const QString &token : out.normalized.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const Token t = scanToken(token, inQuote, quotes, out);
        if (t.negated)
            ++out.terms;
        latin += t.kept + QLatin1Char(' ');
        if (!t.negated)
            addLatinWords(t, out, fuzzyWords);
        if (!t.cjk.trimmed().isEmpty())
            addCjkGroups(token, t.negated, out);
    }
    out.terms += quotes / 2 + (quotes % 2);
    out.latin = latin.simplified();
    out.fuzzyText = fuzzyWords.join(QLatin1Char(' '));
    if (out.terms > config.maxTerms)
        return tl::unexpected(queryProblem(QStringLiteral("has more than %1 words and operators").arg(config.maxTerms),
                                           QStringLiteral("too_many_terms")));
    // Only quotes, dashes and "or" left: nothing to search for.
    QString letters = out.latin;
    letters.remove(QLatin1Char('"')).remove(QLatin1Char('-'));
    if (letters.trimmed().isEmpty())
        out.latin.clear();
    return out;
}

QByteArray groupsJson(const ParsedQuery &query)
{
    return QJsonDocument(query.groups).toJson(QJsonDocument::Compact);
}

} // namespace Search
