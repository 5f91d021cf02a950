// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// libFuzzer target: the content plugin's markdown renderer and sanitiser. The input is a
// post body (UTF-8, invalid bytes included); it is rendered with the default options and,
// for half of the inputs, with strict ones. Beyond memory safety the output is checked
// against the sanitiser's promise (docs/adr/0006-markdown.md): only the tags cmark-gfm
// writes for the enabled syntax, no event-handler or style attributes, every href/src of a
// kind (scheme, relative) the options allow as a browser reads it, and every collected
// link one that isSafeUrl() accepts.

#include "markdown.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Markdown;

namespace {

[[noreturn]] void broken(const char *what, const QString &detail)
{
    std::fprintf(stderr, "fuzz_markdown: sanitiser contract broken: %s: %s\n", what, qPrintable(detail));
    std::abort();
}

QString unescapeAttribute(QString v)
{
    v.replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    v.replace(QStringLiteral("&#39;"), QStringLiteral("'"));
    v.replace(QStringLiteral("&lt;"), QStringLiteral("<"));
    v.replace(QStringLiteral("&gt;"), QStringLiteral(">"));
    v.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return v;
}

/// The scheme a browser reads in an attribute URL (WHATWG URL: C0 controls and spaces
/// trimmed, tabs and newlines removed; a scheme is ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")
/// before ':', percent-escapes not decoded) must be one the options allow. A URL without
/// a scheme is relative for the browser: harmless here (which relative links a post may
/// carry is policy, checked on the collected links). Not isSafeUrl() itself: cmark
/// percent-escapes hrefs ("\\\\x" -> "%5C%5Cx", "\\https://x" -> "%5Chttps://x").
bool browserSafe(QString url, const MarkdownOptions &opts, bool image)
{
    url.remove(QLatin1Char('\t')).remove(QLatin1Char('\n')).remove(QLatin1Char('\r'));
    while (!url.isEmpty() && url.front().unicode() <= 0x20)
        url.remove(0, 1);
    static const QRegularExpression schemeRe(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*):"));
    const auto m = schemeRe.match(url);
    if (!m.hasMatch())
        return !(image && opts.images == MarkdownOptions::Images::None);
    const QString scheme = m.captured(1).toLower();
    if (image)
        return scheme == QLatin1String("https")
               || (scheme == QLatin1String("http") && opts.images == MarkdownOptions::Images::Http);
    return scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("mailto");
}

void checkHtml(const QString &html, const MarkdownOptions &opts)
{
    static const QSet<QString> tags{
        QStringLiteral("p"), QStringLiteral("a"), QStringLiteral("img"), QStringLiteral("em"), QStringLiteral("strong"),
        QStringLiteral("code"), QStringLiteral("pre"), QStringLiteral("blockquote"), QStringLiteral("ul"),
        QStringLiteral("ol"), QStringLiteral("li"), QStringLiteral("h1"), QStringLiteral("h2"), QStringLiteral("h3"),
        QStringLiteral("h4"), QStringLiteral("h5"), QStringLiteral("h6"), QStringLiteral("hr"), QStringLiteral("br"),
        QStringLiteral("table"), QStringLiteral("thead"), QStringLiteral("tbody"), QStringLiteral("tr"),
        QStringLiteral("th"), QStringLiteral("td"), QStringLiteral("del"), QStringLiteral("input")};
    static const QSet<QString> attributes{
        QStringLiteral("href"), QStringLiteral("title"), QStringLiteral("rel"), QStringLiteral("target"),
        QStringLiteral("class"), QStringLiteral("src"), QStringLiteral("alt"), QStringLiteral("type"),
        QStringLiteral("checked"), QStringLiteral("disabled"), QStringLiteral("align"), QStringLiteral("start"),
        QStringLiteral("lang")};
    // A tag as cmark writes it: name, then name="value" pairs (values escaped, so no '"').
    static const QRegularExpression tagRe(QStringLiteral("<(/?)([A-Za-z0-9]*)([^<>]*?)(/?)>"));
    static const QRegularExpression attrRe(QStringLiteral("\\s([^\\s=/]+)(?:=\"([^\"]*)\")?"));

    qsizetype expect = 0;   // every '<' must start a tag we recognise
    auto it = tagRe.globalMatch(html);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString between = html.mid(expect, m.capturedStart() - expect);
        if (between.contains(QLatin1Char('<')) || between.contains(QLatin1Char('>')))
            broken("unescaped angle bracket", html);
        expect = m.capturedEnd();
        const QString name = m.captured(2).toLower();
        if (!tags.contains(name))
            broken("unexpected tag", m.captured(0));
        const QString attrs = m.captured(3);
        const bool mention = attrs.contains(QLatin1String(" class=\"mention\""));
        auto at = attrRe.globalMatch(attrs);
        while (at.hasNext()) {
            const auto a = at.next();
            const QString attr = a.captured(1).toLower();
            if (!attributes.contains(attr))
                broken("unexpected attribute", m.captured(0));
            const QString value = unescapeAttribute(a.captured(2));
            if (attr == QLatin1String("href") && !mention && !browserSafe(value, opts, false))
                broken("unsafe href", m.captured(0));
            if (attr == QLatin1String("href") && mention && !value.startsWith(opts.mentionPrefix))
                broken("mention link outside the mention prefix", m.captured(0));
            if (attr == QLatin1String("src") && !browserSafe(value, opts, true))
                broken("unsafe src", m.captured(0));
            if (attr == QLatin1String("class") && name != QLatin1String("code") && !mention)
                broken("class attribute", m.captured(0));
        }
    }
    const QString tail = html.mid(expect);
    if (tail.contains(QLatin1Char('<')) || tail.contains(QLatin1Char('>')))
        broken("unescaped angle bracket", html);
}

void renderAndCheck(const QString &text, const MarkdownOptions &opts)
{
    const Result<RenderedMarkdown> r = renderMarkdown(text, opts);
    if (!r) {
        // Too long or too deep; a cmark failure (Internal) would be a bug.
        if (r.error().code != Community::ErrorCode::InvalidArgument)
            broken("render failed", r.error().message);
        return;
    }
    checkHtml(r->html, opts);
    for (const QString &link : r->links) {
        if (!isSafeUrl(link, opts, false))
            broken("unsafe link collected", link);
    }
    for (const QString &name : r->mentions) {
        // Auth's username rule: 3 to 32 code points, nothing that separates words.
        if (name.size() < 3 || name.size() > 64 || name.contains(QLatin1Char('@')) || name.contains(QLatin1Char(' ')))
            broken("mention is not a name", name);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString text = QString::fromUtf8(bytes);
    renderAndCheck(text, MarkdownOptions{});

    const size_t h = qHash(bytes);
    if (h & 1) {
        MarkdownOptions strict;
        strict.maxNestingDepth = 8;
        strict.images = (h & 2) ? MarkdownOptions::Images::None : MarkdownOptions::Images::Http;
        strict.allowRelativeLinks = false;
        strict.linkTarget = (h & 4) ? QStringLiteral("_blank") : QStringLiteral("x\" onclick=\"y");
        strict.mentions = (h & 8) != 0;
        strict.mentionPrefix = QStringLiteral("https://community.example/u/");
        renderAndCheck(text, strict);
    }
    return 0;
}
