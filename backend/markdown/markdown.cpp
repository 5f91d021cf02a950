// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "markdown.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

namespace Markdown {

using Community::Error;
using Community::ErrorCode;
using Community::FieldError;

namespace {

struct ParserDeleter {
    void operator()(cmark_parser *p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
    void operator()(cmark_node *n) const { cmark_node_free(n); }
};
struct IterDeleter {
    void operator()(cmark_iter *i) const { cmark_iter_free(i); }
};
struct CharDeleter {
    void operator()(char *c) const { std::free(c); }
};

tl::unexpected<Error> bodyError(const QString &message, const QString &code)
{
    Error e = Error::make(ErrorCode::InvalidArgument, message);
    e.fields.append(FieldError{QStringLiteral("body"), message, code});
    return tl::unexpected<Error>(std::move(e));
}

// ---- URLs ---------------------------------------------------------------------------------

/// Numeric character references and the named ones that matter for schemes.
QString decodeEntities(const QString &in)
{
    if (!in.contains(QLatin1Char('&')))
        return in;
    static const QRegularExpression re(QStringLiteral("&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[A-Za-z]{2,10});?"));
    static const QHash<QString, QString> named{
        {QStringLiteral("colon"), QStringLiteral(":")},  {QStringLiteral("tab"), QStringLiteral("\t")},
        {QStringLiteral("newline"), QStringLiteral("\n")}, {QStringLiteral("sol"), QStringLiteral("/")},
        {QStringLiteral("amp"), QStringLiteral("&")},    {QStringLiteral("lpar"), QStringLiteral("(")},
        {QStringLiteral("rpar"), QStringLiteral(")")},   {QStringLiteral("nbsp"), QStringLiteral(" ")},
    };
    QString out;
    qsizetype last = 0;
    auto it = re.globalMatch(in);
    while (it.hasNext()) {
        const auto m = it.next();
        out += in.mid(last, m.capturedStart() - last);
        const QString body = m.captured(1);
        QString rep;
        if (body.startsWith(QLatin1Char('#'))) {
            bool ok = false;
            const bool hex = body.size() > 1 && (body.at(1) == QLatin1Char('x') || body.at(1) == QLatin1Char('X'));
            const qulonglong v = hex ? body.mid(2).toULongLong(&ok, 16) : body.mid(1).toULongLong(&ok, 10);
            if (ok && v > 0 && v <= 0x10FFFF) {
                const char32_t c = char32_t(v);
                rep = QString::fromUcs4(&c, 1);
            } else {
                rep = QStringLiteral("\uFFFD");
            }
        } else {
            rep = named.value(body.toLower(), m.captured(0));
        }
        out += rep;
        last = m.capturedEnd();
    }
    out += in.mid(last);
    return out;
}

/// What a browser might end up seeing: entities and percent-escapes undone (repeatedly),
/// whitespace, control and invisible format characters removed.
QString normaliseUrl(const QString &url)
{
    QString s = url;
    for (int round = 0; round < 5; ++round) {
        const QString before = s;
        s = decodeEntities(s);
        if (s.contains(QLatin1Char('%')))
            s = QString::fromUtf8(QByteArray::fromPercentEncoding(s.toUtf8()));
        if (s == before)
            break;
    }
    QString out;
    out.reserve(s.size());
    for (QChar c : s) {
        const ushort u = c.unicode();
        if (u <= 0x20 || u == 0x7F || (u >= 0x80 && u <= 0x9F) || c.isSpace() || c.category() == QChar::Other_Format)
            continue;
        out += c;
    }
    return out;
}

enum class UrlKind { Relative, SchemeRelative, Http, Https, Mailto, Other };

UrlKind classify(const QString &s)
{
    if (s.startsWith(QLatin1String("//")) || s.startsWith(QLatin1String("\\\\")) || s.startsWith(QLatin1String("/\\"))
        || s.startsWith(QLatin1String("\\/")))
        return UrlKind::SchemeRelative;
    const qsizetype colon = s.indexOf(QLatin1Char(':'));
    if (colon < 0)
        return UrlKind::Relative;
    for (qsizetype i = 0; i < colon; ++i) {
        const QChar c = s.at(i);
        if (c == QLatin1Char('/') || c == QLatin1Char('?') || c == QLatin1Char('#') || c == QLatin1Char('\\'))
            return UrlKind::Relative;
    }
    const QString scheme = s.left(colon).toLower();
    if (scheme == QLatin1String("http"))
        return UrlKind::Http;
    if (scheme == QLatin1String("https"))
        return UrlKind::Https;
    if (scheme == QLatin1String("mailto"))
        return UrlKind::Mailto;
    return UrlKind::Other;  // javascript:, vbscript:, data:, file:, anything unknown
}

bool kindAllowed(UrlKind k, const MarkdownOptions &opts, bool image)
{
    if (image) {
        switch (opts.images) {
        case MarkdownOptions::Images::None:
            return false;
        case MarkdownOptions::Images::HttpsOnly:
            return k == UrlKind::Https;
        case MarkdownOptions::Images::Http:
            return k == UrlKind::Https || k == UrlKind::Http;
        }
        return false;
    }
    switch (k) {
    case UrlKind::Http:
    case UrlKind::Https:
    case UrlKind::Mailto:
    case UrlKind::SchemeRelative:
        return true;
    case UrlKind::Relative:
        return opts.allowRelativeLinks;
    case UrlKind::Other:
        return false;
    }
    return false;
}

// ---- mentions -----------------------------------------------------------------------------

bool isNameChar(char32_t c)
{
    return QChar::isLetterOrNumber(c) || c == U'_' || c == U'.' || c == U'-';
}

bool isReserved(const QString &name)
{
    static const QSet<QString> reserved{QStringLiteral("me"), QStringLiteral("search"), QStringLiteral("admin"),
                                        QStringLiteral("system"), QStringLiteral("root")};
    return reserved.contains(name.toCaseFolded());
}

struct MentionHit {
    qsizetype start;  ///< index of '@' in code points
    qsizetype end;    ///< one past the name
    QString name;
};

/// @name tokens in a run of text, by the auth username rules (3-32 letters/digits/_.-,
/// starting with a letter or digit). "a@b.c" (an email) is not a mention.
std::vector<MentionHit> findMentions(const QList<uint> &ucs)
{
    std::vector<MentionHit> hits;
    const qsizetype n = ucs.size();
    for (qsizetype i = 0; i < n; ++i) {
        if (ucs.at(i) != U'@')
            continue;
        if (i > 0 && (isNameChar(ucs.at(i - 1)) || ucs.at(i - 1) == U'@' || ucs.at(i - 1) == U'/'))
            continue;
        qsizetype j = i + 1;
        while (j < n && isNameChar(ucs.at(j)))
            ++j;
        qsizetype end = j;
        while (end > i + 1 && (ucs.at(end - 1) == U'.' || ucs.at(end - 1) == U'-'))
            --end;
        if (j < n && ucs.at(j) == U'@')
            continue;  // user@host@... or @a@b: not a mention
        const qsizetype len = end - (i + 1);
        if (len < 3 || len > 32 || !QChar::isLetterOrNumber(ucs.at(i + 1))) {
            i = j - 1;
            continue;
        }
        const QString name = QString::fromUcs4(reinterpret_cast<const char32_t *>(ucs.constData() + i + 1), len);
        if (!isReserved(name))
            hits.push_back({i, end, name});
        i = end - 1;
    }
    return hits;
}

QByteArray ucsUtf8(const QList<uint> &ucs, qsizetype from, qsizetype to)
{
    return QString::fromUcs4(reinterpret_cast<const char32_t *>(ucs.constData() + from), to - from).toUtf8();
}

cmark_node *textNode(const QByteArray &utf8)
{
    cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(t, utf8.constData());
    return t;
}

/// Moves the children of \a node in front of it, then removes \a node.
void unwrap(cmark_node *node)
{
    while (cmark_node *child = cmark_node_first_child(node)) {
        cmark_node_unlink(child);
        cmark_node_insert_before(node, child);
    }
    cmark_node_free(node);  // unlinks
}

void ensureExtensions()
{
    static std::once_flag once;
    std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

QStringList dedupeCaseInsensitive(const QStringList &in)
{
    QStringList out;
    QSet<QString> seen;
    for (const QString &s : in) {
        const QString key = s.toCaseFolded();
        if (!seen.contains(key)) {
            seen.insert(key);
            out.append(s);
        }
    }
    return out;
}

} // namespace

bool isSafeUrl(const QString &url, const MarkdownOptions &opts, bool image)
{
    // Both the URL as written and its decoded form must pass.
    return kindAllowed(classify(url.trimmed()), opts, image) && kindAllowed(classify(normaliseUrl(url)), opts, image);
}

namespace {

using Parser = std::unique_ptr<cmark_parser, ParserDeleter>;
using Node = std::unique_ptr<cmark_node, NodeDeleter>;

tl::unexpected<Error> renderFailed(const QString &detail)
{
    return Community::fail(ErrorCode::Internal, QStringLiteral("Markdown rendering failed."), detail);
}

/// A parser with the GFM extensions we use.
Result<Parser> newParser()
{
    ensureExtensions();
    Parser parser(cmark_parser_new(CMARK_OPT_VALIDATE_UTF8));
    if (!parser)
        return renderFailed(QStringLiteral("cmark_parser_new failed"));
    for (const char *ext : {"table", "strikethrough", "autolink", "tasklist"}) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(ext);
        if (!e || !cmark_parser_attach_syntax_extension(parser.get(), e))
            return renderFailed(QStringLiteral("cmark-gfm extension missing: %1").arg(QLatin1String(ext)));
    }
    return parser;
}

/// Whether quotes and lists nest deeper than `max` (the iterator is not recursive, so deep
/// input cannot overflow the stack here).
bool nestedTooDeeply(cmark_node *root, int max)
{
    int depth = 0;
    std::unique_ptr<cmark_iter, IterDeleter> it(cmark_iter_new(root));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
        const cmark_node_type t = cmark_node_get_type(cmark_iter_get_node(it.get()));
        if (t != CMARK_NODE_BLOCK_QUOTE && t != CMARK_NODE_LIST)
            continue;
        if (ev == CMARK_EVENT_ENTER && ++depth > max)
            return true;
        if (ev == CMARK_EVENT_EXIT)
            --depth;
    }
    return false;
}

enum class Kind { Html, Link, Image, Text };
struct Item {
    cmark_node *node;
    Kind kind;
};

/// The nodes to check or change, in pre-order: raw HTML, links, images, and text outside links.
std::vector<Item> collectItems(cmark_node *root)
{
    std::vector<Item> items;
    int inLink = 0;
    std::unique_ptr<cmark_iter, IterDeleter> it(cmark_iter_new(root));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it.get());
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE:
            items.push_back({n, Kind::Html});
            break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE:
            if (ev == CMARK_EVENT_ENTER) {
                ++inLink;
                items.push_back({n, cmark_node_get_type(n) == CMARK_NODE_LINK ? Kind::Link : Kind::Image});
            } else if (ev == CMARK_EVENT_EXIT) {
                --inLink;
            }
            break;
        case CMARK_NODE_TEXT:
            if (inLink == 0)
                items.push_back({n, Kind::Text});
            break;
        default:
            break;
        }
    }
    return items;
}

/// What a render collects while it rewrites the tree.
struct Rewrite {
    const MarkdownOptions &opts;
    QByteArray nonce;        ///< marks our mention links (their title), replaced by class="mention"
    QStringList links;       ///< in reverse
    QStringList mentions;    ///< in reverse
};

/// Collects a text node's mentions and, when enabled, turns them into links.
void linkMentions(cmark_node *n, Rewrite &rw)
{
    const QList<uint> ucs = QString::fromUtf8(cmark_node_get_literal(n)).toUcs4();
    const std::vector<MentionHit> hits = findMentions(ucs);
    if (hits.empty())
        return;
    for (auto h = hits.rbegin(); h != hits.rend(); ++h)
        rw.mentions.append(h->name);
    if (!rw.opts.mentions)
        return;
    qsizetype pos = 0;
    for (const MentionHit &h : hits) {
        if (h.start > pos)
            cmark_node_insert_before(n, textNode(ucsUtf8(ucs, pos, h.start)));
        cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
        const QByteArray url = rw.opts.mentionPrefix.toUtf8() + QUrl::toPercentEncoding(h.name);
        cmark_node_set_url(link, url.constData());
        cmark_node_set_title(link, rw.nonce.constData());
        cmark_node_append_child(link, textNode(ucsUtf8(ucs, h.start, h.end)));
        cmark_node_insert_before(n, link);
        pos = h.end;
    }
    if (pos < ucs.size())
        cmark_node_set_literal(n, ucsUtf8(ucs, pos, ucs.size()).constData());
    else
        cmark_node_free(n);
}

/// Changes the collected nodes in reverse, so descendants go before ancestors.
void rewrite(const std::vector<Item> &items, Rewrite &rw)
{
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
        cmark_node *n = it->node;
        switch (it->kind) {
        case Kind::Html:
            cmark_node_free(n);  // raw HTML never passes, not even as a comment
            break;
        case Kind::Link: {
            const QString url = QString::fromUtf8(cmark_node_get_url(n));
            if (isSafeUrl(url, rw.opts, false))
                rw.links.append(url);
            else
                unwrap(n);  // text kept, href gone
            break;
        }
        case Kind::Image:
            if (!isSafeUrl(QString::fromUtf8(cmark_node_get_url(n)), rw.opts, true))
                unwrap(n);  // alt text kept
            break;
        case Kind::Text:
            linkMentions(n, rw);
            break;
        }
    }
}

/// Link attributes and mention classes on cmark's HTML.
QString finishHtml(QString html, const MarkdownOptions &opts, const QByteArray &nonce)
{
    // Safe mode never lets raw HTML through, so every "<a href=" below was written by cmark
    // (text is escaped to &lt;a). Belt and braces: drop any omitted-HTML marker.
    html.remove(QStringLiteral("<!-- raw HTML omitted -->"));
    QString attrs = QStringLiteral("<a rel=\"%1\"").arg(QLatin1String(kLinkRel));
    static const QRegularExpression targetRe(QStringLiteral("^[A-Za-z_]{1,32}$"));
    if (!opts.linkTarget.isEmpty() && targetRe.match(opts.linkTarget).hasMatch())
        attrs += QStringLiteral(" target=\"%1\"").arg(opts.linkTarget);
    html.replace(QStringLiteral("<a href=\""), attrs + QStringLiteral(" href=\""));
    html.replace(QStringLiteral(" title=\"%1\"").arg(QString::fromUtf8(nonce)), QStringLiteral(" class=\"mention\""));
    return html;
}

} // namespace

Result<RenderedMarkdown> renderMarkdown(const QString &markdown, const MarkdownOptions &opts)
{
    const QByteArray input = markdown.toUtf8();  // lone surrogates become U+FFFD
    if (input.size() > opts.maxInputBytes)
        return bodyError(QStringLiteral("The text is too long (at most %1 bytes).").arg(opts.maxInputBytes),
                         QStringLiteral("too_long"));
    auto parser = newParser();
    if (!parser)
        return tl::unexpected(parser.error());
    cmark_parser_feed(parser->get(), input.constData(), size_t(input.size()));
    Node root(cmark_parser_finish(parser->get()));
    if (!root)
        return renderFailed(QStringLiteral("cmark_parser_finish returned null"));
    if (nestedTooDeeply(root.get(), opts.maxNestingDepth))
        return bodyError(QStringLiteral("The text is nested too deeply (at most %1 levels of quotes and lists).")
                             .arg(opts.maxNestingDepth),
                         QStringLiteral("too_deep"));
    cmark_consolidate_text_nodes(root.get());

    // A per-render marker: only our mention links carry it.
    Rewrite rw{opts, QStringLiteral("mention-%1%2")
                         .arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'))
                         .arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'))
                         .toUtf8(), {}, {}};
    rewrite(collectItems(root.get()), rw);

    std::unique_ptr<char, CharDeleter> out(
        cmark_render_html(root.get(), CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser->get())));
    if (!out)
        return renderFailed(QStringLiteral("cmark_render_html returned null"));
    QString html = finishHtml(QString::fromUtf8(out.get()), opts, rw.nonce);
    std::reverse(rw.links.begin(), rw.links.end());
    std::reverse(rw.mentions.begin(), rw.mentions.end());
    rw.links.removeDuplicates();
    return RenderedMarkdown{std::move(html), dedupeCaseInsensitive(rw.mentions), std::move(rw.links)};
}

} // namespace Markdown
