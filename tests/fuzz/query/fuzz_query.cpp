// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// libFuzzer target: the search query parser (parseQuery, groupsJson) and the highlighter
// fed with what it produced. The input is the `q` a user typed (UTF-8). Checked: a query
// over the limits is refused with the right field code; what goes to
// websearch_to_tsquery holds only letters, digits, marks, quotes, '-' and spaces (nothing
// the user typed is parsed as tsquery syntax); the groups are a JSON array of objects; the
// highlighted title and snippet are escaped HTML whose only markup is <mark>.

#include "highlighter.h"
#include "querybuilder.h"
#include "searchconfig.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Search;

namespace {

[[noreturn]] void broken(const char *what, const QString &detail)
{
    std::fprintf(stderr, "fuzz_query: contract broken: %s: %s\n", what, qPrintable(detail));
    std::abort();
}

void checkEscaped(const QString &html, const char *what)
{
    QString rest = html;
    rest.remove(QStringLiteral("<mark>")).remove(QStringLiteral("</mark>"));
    if (rest.contains(QLatin1Char('<')) || rest.contains(QLatin1Char('>')) || rest.contains(QLatin1Char('"')))
        broken(what, html);
    if (html.count(QStringLiteral("<mark>")) != html.count(QStringLiteral("</mark>")))
        broken(what, html);
}

void parseAndCheck(const QString &q, const SearchConfig &config)
{
    const auto parsed = parseQuery(q, config);
    if (!parsed) {
        const auto &fields = parsed.error().fields;
        if (fields.size() != 1 || fields.first().field != QLatin1String("q")
            || (fields.first().code != QLatin1String("too_long") && fields.first().code != QLatin1String("too_many_terms")))
            broken("unexpected refusal", parsed.error().message);
        return;
    }
    const ParsedQuery &p = *parsed;
    if (p.normalized.size() > config.maxQueryLength)
        broken("normalized query over the limit", p.normalized);
    if (p.terms > config.maxTerms)
        broken("too many terms accepted", p.normalized);
    for (QChar c : p.latin) {
        if (!(c.isLetterOrNumber() || c.isMark() || c == QLatin1Char('"') || c == QLatin1Char('-')
              || c == QLatin1Char(' ') || c.isSurrogate()))
            broken("tsquery text holds a syntax character", p.latin);
    }
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(groupsJson(p), &err);
    if (err.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != p.groups.size())
        broken("groups are not a JSON array", QString::fromUtf8(groupsJson(p)));
    for (const QJsonValue &g : doc.array()) {
        if (!g.isObject() || (!g.toObject().contains(QLatin1String("any")) && !g.toObject().contains(QLatin1String("all"))))
            broken("group without terms", QString::fromUtf8(groupsJson(p)));
    }

    const HighlightTerms terms{p.latinWords, p.cjkTerms};
    checkEscaped(highlightAll(q, terms), "highlightAll");
    const int width = int(8 + qHash(q) % 200);
    checkEscaped(snippet(q + QLatin1Char(' ') + q, terms, width), "snippet");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString q = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    parseAndCheck(q, SearchConfig{});
    // Past the default limits too, so that long inputs reach the analysis.
    SearchConfig wide;
    wide.maxQueryLength = 4096;
    wide.maxTerms = 1024;
    if (q.size() > SearchConfig{}.maxQueryLength / 2)
        parseAndCheck(q, wide);
    return 0;
}
