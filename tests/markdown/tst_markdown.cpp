// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "markdown.h"

#include <QRegularExpression>
#include <QSet>
#include <QtTest>

using Markdown::MarkdownOptions;
using Markdown::renderMarkdown;

namespace {

QString render(const QString &md, const MarkdownOptions &opts = {})
{
    auto r = renderMarkdown(md, opts);
    if (!r) {
        qWarning() << "render failed:" << r.error().message;
        return {};
    }
    return r->html;
}

/// Every tag and attribute in the output is one we expect cmark-gfm to write.
QString checkWhitelist(const QString &html)
{
    static const QSet<QString> tags{
        QStringLiteral("p"),     QStringLiteral("a"),     QStringLiteral("em"),     QStringLiteral("strong"),
        QStringLiteral("del"),   QStringLiteral("code"),  QStringLiteral("pre"),    QStringLiteral("h1"),
        QStringLiteral("h2"),    QStringLiteral("h3"),    QStringLiteral("h4"),     QStringLiteral("h5"),
        QStringLiteral("h6"),    QStringLiteral("ul"),    QStringLiteral("ol"),     QStringLiteral("li"),
        QStringLiteral("blockquote"), QStringLiteral("hr"), QStringLiteral("br"),   QStringLiteral("table"),
        QStringLiteral("thead"), QStringLiteral("tbody"), QStringLiteral("tr"),     QStringLiteral("th"),
        QStringLiteral("td"),    QStringLiteral("img"),   QStringLiteral("input")};
    static const QSet<QString> attrs{QStringLiteral("href"),     QStringLiteral("rel"),     QStringLiteral("title"),
                                     QStringLiteral("class"),    QStringLiteral("src"),     QStringLiteral("alt"),
                                     QStringLiteral("target"),   QStringLiteral("type"),    QStringLiteral("checked"),
                                     QStringLiteral("disabled"), QStringLiteral("align"),   QStringLiteral("start")};
    static const QRegularExpression tagRe(QStringLiteral("<(/?)([^\\s>/]+)([^>]*)>"));
    static const QRegularExpression attrRe(QStringLiteral("([^\\s=/]+)(?:=\"[^\"]*\")?"));
    auto it = tagRe.globalMatch(html);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString tag = m.captured(2);
        if (!tags.contains(tag))
            return QStringLiteral("unexpected tag <%1>").arg(tag);
        auto at = attrRe.globalMatch(m.captured(3));
        while (at.hasNext()) {
            const QString name = at.next().captured(1);
            if (!attrs.contains(name))
                return QStringLiteral("unexpected attribute %1 on <%2>").arg(name, tag);
        }
        if (tag == QLatin1String("input") && !m.captured(3).contains(QLatin1String("type=\"checkbox\"")))
            return QStringLiteral("input that is not a checkbox");
    }
    return {};
}

QStringList urlAttributes(const QString &html)
{
    static const QRegularExpression re(QStringLiteral("(?:href|src)\\s*=\\s*\"([^\"]*)\""),
                                       QRegularExpression::CaseInsensitiveOption);
    QStringList out;
    auto it = re.globalMatch(html);
    while (it.hasNext())
        out.append(it.next().captured(1));
    return out;
}

} // namespace

class TestMarkdown : public QObject {
    Q_OBJECT

private slots:
    void xss_data();
    void xss();
    void headingsAndEmphasis();
    void lists();
    void codeBlockEscapesHtml();
    void tables();
    void strikethroughAndTasks();
    void autolinks();
    void safeLinksGetRel();
    void linkTarget();
    void relativeLinks();
    void images();
    void mentions();
    void mentionsDisabled();
    void sizeLimit();
    void depthLimit();
    void hugeDepthDoesNotCrash();
    void loneSurrogates();
    void safeUrlHelper();
};

void TestMarkdown::xss_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("forbidden");  // raw pieces of the input that must not survive
    const QStringList none;

    QTest::newRow("script") << QStringLiteral("<script>alert(1)</script>") << QStringList{"<script", "alert(1)"};
    QTest::newRow("script inline") << QStringLiteral("hi <script>alert(1)</script> there")
                                   << QStringList{"<script", "</script"};
    QTest::newRow("img onerror") << QStringLiteral("<img src=x onerror=alert(1)>")
                                 << QStringList{"<img", "onerror"};
    QTest::newRow("img onerror inline") << QStringLiteral("text <img src=x onerror=alert(1)> text")
                                        << QStringList{"<img", "onerror"};
    QTest::newRow("javascript link") << QStringLiteral("[x](javascript:alert(1))") << QStringList{"javascript"};
    QTest::newRow("mixed case") << QStringLiteral("[x](JaVaScRiPt:alert(1))") << QStringList{"JaVaScRiPt"};
    QTest::newRow("tab inside scheme") << QStringLiteral("[x](java\tscript:alert(1))") << none;
    QTest::newRow("escaped tab") << QStringLiteral("[x](<java\tscript:alert(1)>)") << none;
    QTest::newRow("newline in scheme") << QStringLiteral("[x](<java&#10;script:alert(1)>)") << none;
    QTest::newRow("control char") << QStringLiteral("[x](\x01javascript:alert(1))") << none;
    QTest::newRow("leading space entity") << QStringLiteral("[x](&#32;javascript:alert(1))") << none;
    QTest::newRow("entity") << QStringLiteral("[x](&#106;avascript:alert(1))") << none;
    QTest::newRow("hex entity") << QStringLiteral("[x](&#x6A;avascript&#x3A;alert(1))") << none;
    QTest::newRow("named colon") << QStringLiteral("[x](javascript&colon;alert(1))") << none;
    QTest::newRow("percent") << QStringLiteral("[x](%6Aavascript:alert(1))") << QStringList{"%6A"};
    QTest::newRow("percent colon") << QStringLiteral("[x](javascript%3Aalert(1))") << none;
    QTest::newRow("double percent") << QStringLiteral("[x](%256Aavascript:alert(1))") << none;
    QTest::newRow("zero width") << QStringLiteral("[x](java\u200Bscript:alert(1))") << none;
    QTest::newRow("data link") << QStringLiteral("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")
                               << QStringList{"base64"};
    QTest::newRow("data image svg") << QStringLiteral("![x](data:image/svg+xml,<svg onload=alert(1)>)")
                                    << QStringList{"<svg"};
    QTest::newRow("data image png") << QStringLiteral("![x](data:image/png;base64,iVBORw0KGgo=)")
                                    << QStringList{"<img", "base64"};
    QTest::newRow("raw a javascript") << QStringLiteral("<a href=\"javascript:alert(1)\">x</a>")
                                      << QStringList{"javascript"};
    QTest::newRow("raw a inline") << QStringLiteral("click <a href=\"javascript:alert(1)\">here</a> now")
                                  << QStringList{"javascript"};
    QTest::newRow("svg onload") << QStringLiteral("<svg onload=alert(1)>") << QStringList{"<svg", "onload"};
    QTest::newRow("svg inline") << QStringLiteral("a <svg/onload=alert(1)> b") << QStringList{"<svg"};
    QTest::newRow("iframe") << QStringLiteral("<iframe src=\"https://evil.example\"></iframe>")
                            << QStringList{"<iframe", "evil.example"};
    QTest::newRow("iframe srcdoc") << QStringLiteral("x <iframe srcdoc=\"<script>alert(1)</script>\"></iframe>")
                                   << QStringList{"<iframe", "srcdoc", "<script"};
    QTest::newRow("nested markup") << QStringLiteral("**<b onmouseover=alert(1)>x</b>**")
                                   << QStringList{"<b ", "<b>", "onmouseover"};
    QTest::newRow("autolink javascript") << QStringLiteral("<javascript:alert(1)>") << none;
    QTest::newRow("autolink vbscript") << QStringLiteral("<vbscript:msgbox(1)>") << none;
    QTest::newRow("autolink data") << QStringLiteral("<data:text/html,<script>alert(1)</script>>")
                                   << QStringList{"<script"};
    QTest::newRow("reference definition") << QStringLiteral("[x]\n\n[x]: javascript:alert(1)") << none;
    QTest::newRow("reference definition title")
        << QStringLiteral("[x][r]\n\n[r]: javascript:alert(1) \"title\"") << none;
    QTest::newRow("reference image") << QStringLiteral("![x][r]\n\n[r]: javascript:alert(1)") << QStringList{"<img"};
    QTest::newRow("vbscript") << QStringLiteral("[x](vbscript:msgbox(1))") << QStringList{"vbscript"};
    QTest::newRow("file") << QStringLiteral("[x](file:///etc/passwd)") << QStringList{"file:"};
    QTest::newRow("html comment") << QStringLiteral("<!-- <script>alert(1)</script> -->")
                                  << QStringList{"<!--", "<script"};
    QTest::newRow("inline comment") << QStringLiteral("a <!-- hidden --> b") << QStringList{"<!--", "hidden"};
    QTest::newRow("style") << QStringLiteral("<style>body{background:url(javascript:alert(1))}</style>")
                           << QStringList{"<style", "background"};
    QTest::newRow("meta refresh")
        << QStringLiteral("<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">")
        << QStringList{"<meta", "refresh"};
    QTest::newRow("table with html")
        << QStringLiteral("| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |\n"
                          "| <img src=x onerror=alert(1)> | **<i onclick=alert(1)>y</i>** |")
        << QStringList{"<script", "<img", "onclick", "<i "};
    QTest::newRow("link title quote") << QStringLiteral("[x](https://ok.example \"a\\\" onmouseover=\\\"alert(1)\")")
                                      << none;
    QTest::newRow("image alt injection") << QStringLiteral("![\" onerror=\"alert(1)](https://ok.example/i.png)")
                                         << none;
    QTest::newRow("code span html") << QStringLiteral("`<script>alert(1)</script>`") << QStringList{"<script"};
    QTest::newRow("object embed") << QStringLiteral("<object data=\"x.swf\"></object><embed src=x>")
                                  << QStringList{"<object", "<embed"};
    QTest::newRow("form") << QStringLiteral("<form action=\"https://evil\"><input type=submit></form>")
                          << QStringList{"<form", "submit"};
    QTest::newRow("link in image") << QStringLiteral("![[a](javascript:alert(1))](javascript:alert(2))")
                                   << QStringList{"<img"};
    QTest::newRow("entity script") << QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;")
                                   << QStringList{"<script"};
    QTest::newRow("mention javascript") << QStringLiteral("[@alice](javascript:alert(1))") << none;
    QTest::newRow("textarea xmp") << QStringLiteral("<textarea><script>alert(1)</script></textarea>")
                                  << QStringList{"<textarea", "<script"};
}

void TestMarkdown::xss()
{
    QFETCH(QString, input);
    QFETCH(QStringList, forbidden);
    auto r = renderMarkdown(input);
    QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().message));
    const QString html = r->html;
    const QByteArray shown = html.toUtf8();

    QVERIFY2(!html.contains(QLatin1String("<script"), Qt::CaseInsensitive), shown.constData());
    QVERIFY2(!html.contains(QLatin1String("<!--")), shown.constData());
    static const QRegularExpression handler(QStringLiteral("<[^>]*\\son[a-z]+\\s*="),
                                            QRegularExpression::CaseInsensitiveOption);
    // Quoted attribute values are escaped by cmark (no '"' inside), so blank them before looking.
    static const QRegularExpression quoted(QStringLiteral("=\"[^\"]*\""));
    QVERIFY2(!handler.match(QString(html).replace(quoted, QStringLiteral("=\"\""))).hasMatch(), shown.constData());
    for (const QString &url : urlAttributes(html)) {
        const QString lower = url.toLower();
        for (const char *bad : {"javascript:", "vbscript:", "data:", "script:", "%6a", "&#"})
            QVERIFY2(!lower.contains(QLatin1String(bad)), shown.constData());
        QVERIFY2(Markdown::isSafeUrl(url), shown.constData());
    }
    for (const QString &f : forbidden)
        QVERIFY2(!html.contains(f, Qt::CaseInsensitive), qPrintable(f + QLatin1String(" in ") + html));
    const QString bad = checkWhitelist(html);
    QVERIFY2(bad.isEmpty(), qPrintable(bad + QLatin1String(": ") + html));
    // Every link left carries the rel attribute.
    QCOMPARE(html.count(QLatin1String("<a ")),
             html.count(QStringLiteral("<a rel=\"%1\"").arg(QLatin1String(Markdown::kLinkRel))));
    // Unsafe links are not reported.
    for (const QString &l : r->links)
        QVERIFY2(Markdown::isSafeUrl(l), qPrintable(l));
}

void TestMarkdown::headingsAndEmphasis()
{
    const QString html = render(QStringLiteral("# Title\n\n## Sub\n\nSome *em* and **strong** text."));
    QVERIFY(html.contains(QLatin1String("<h1>Title</h1>")));
    QVERIFY(html.contains(QLatin1String("<h2>Sub</h2>")));
    QVERIFY(html.contains(QLatin1String("<em>em</em>")));
    QVERIFY(html.contains(QLatin1String("<strong>strong</strong>")));
    QVERIFY(checkWhitelist(html).isEmpty());
}

void TestMarkdown::lists()
{
    const QString html = render(QStringLiteral("- a\n- b\n  - c\n\n3. x\n4. y\n\n> quote"));
    QVERIFY(html.contains(QLatin1String("<ul>")));
    QVERIFY(html.contains(QLatin1String("<li>a</li>")));
    QVERIFY(html.contains(QLatin1String("<ol start=\"3\">")));
    QVERIFY(html.contains(QLatin1String("<blockquote>")));
    QVERIFY(checkWhitelist(html).isEmpty());
}

void TestMarkdown::codeBlockEscapesHtml()
{
    const QString html = render(QStringLiteral("```html\n<script>alert(1)</script>\n```\n\nand `<b>x</b>`"));
    QVERIFY2(html.contains(QLatin1String("<pre><code class=\"language-html\">&lt;script&gt;alert(1)&lt;/script&gt;")),
             qPrintable(html));
    QVERIFY(html.contains(QLatin1String("<code>&lt;b&gt;x&lt;/b&gt;</code>")));
    QVERIFY(!html.contains(QLatin1String("<script")));
    // A hostile info string is escaped, too.
    const QString info = render(QStringLiteral("```\"><script>\nx\n```"));
    QVERIFY2(!info.contains(QLatin1String("<script")), qPrintable(info));
    QVERIFY(checkWhitelist(info).isEmpty());
}

void TestMarkdown::tables()
{
    const QString html = render(QStringLiteral("| a | b |\n|:--|--:|\n| 1 | **2** |"));
    QVERIFY2(html.contains(QLatin1String("<table>")), qPrintable(html));
    QVERIFY(html.contains(QLatin1String("<th align=\"left\">a</th>")));
    QVERIFY(html.contains(QLatin1String("<td align=\"right\"><strong>2</strong></td>")));
    QVERIFY(checkWhitelist(html).isEmpty());
}

void TestMarkdown::strikethroughAndTasks()
{
    const QString html = render(QStringLiteral("~~gone~~\n\n- [ ] todo\n- [x] done"));
    QVERIFY2(html.contains(QLatin1String("<del>gone</del>")), qPrintable(html));
    QVERIFY(html.contains(QLatin1String("<input type=\"checkbox\" disabled=\"\" /> todo")));
    QVERIFY(html.contains(QLatin1String("<input type=\"checkbox\" checked=\"\" disabled=\"\" /> done")));
    QVERIFY(checkWhitelist(html).isEmpty());
}

void TestMarkdown::autolinks()
{
    auto r = renderMarkdown(QStringLiteral("See https://example.com/a?b=1 and www.example.org and <https://x.example>."));
    QVERIFY(r);
    QVERIFY2(r->html.contains(QLatin1String("href=\"https://example.com/a?b=1\"")), qPrintable(r->html));
    QVERIFY(r->html.contains(QLatin1String("href=\"http://www.example.org\"")));
    QVERIFY(r->html.contains(QLatin1String("href=\"https://x.example\"")));
    QCOMPARE(r->links, (QStringList{QStringLiteral("https://example.com/a?b=1"), QStringLiteral("http://www.example.org"),
                                    QStringLiteral("https://x.example")}));
    const QString mail = render(QStringLiteral("mail me: bob@example.com"));
    QVERIFY2(mail.contains(QLatin1String("href=\"mailto:bob@example.com\"")), qPrintable(mail));
}

void TestMarkdown::safeLinksGetRel()
{
    auto r = renderMarkdown(QStringLiteral("[a](https://a.example \"T\") [b](http://b.example) [c](mailto:c@c.example)"));
    QVERIFY(r);
    const QString rel = QStringLiteral("<a rel=\"nofollow ugc noopener noreferrer\" href=\"");
    QVERIFY2(r->html.contains(rel + QLatin1String("https://a.example\" title=\"T\">a</a>")), qPrintable(r->html));
    QVERIFY(r->html.contains(rel + QLatin1String("http://b.example\">b</a>")));
    QVERIFY(r->html.contains(rel + QLatin1String("mailto:c@c.example\">c</a>")));
    QVERIFY(!r->html.contains(QLatin1String("target=")));
    QCOMPARE(r->links.size(), 3);
    // Unsafe link: text kept, no anchor.
    QCOMPARE(render(QStringLiteral("[keep me](javascript:alert(1))")), QStringLiteral("<p>keep me</p>\n"));
}

void TestMarkdown::linkTarget()
{
    MarkdownOptions opts;
    opts.linkTarget = QStringLiteral("_blank");
    const QString html = render(QStringLiteral("[a](https://a.example)"), opts);
    QVERIFY2(html.contains(QLatin1String("target=\"_blank\" href=\"https://a.example\"")), qPrintable(html));
    opts.linkTarget = QStringLiteral("\" onclick=\"x");
    QVERIFY(!render(QStringLiteral("[a](https://a.example)"), opts).contains(QLatin1String("onclick")));
}

void TestMarkdown::relativeLinks()
{
    const QString html = render(QStringLiteral("[a](/p/1) [b](#top) [c](page?x=1)"));
    QVERIFY2(html.contains(QLatin1String("href=\"/p/1\"")), qPrintable(html));
    QVERIFY(html.contains(QLatin1String("href=\"#top\"")));
    QVERIFY(html.contains(QLatin1String("href=\"page?x=1\"")));
    MarkdownOptions opts;
    opts.allowRelativeLinks = false;
    QCOMPARE(render(QStringLiteral("[a](/p/1)"), opts), QStringLiteral("<p>a</p>\n"));
}

void TestMarkdown::images()
{
    const QString https = render(QStringLiteral("![alt](https://img.example/a.png)"));
    QVERIFY2(https.contains(QLatin1String("<img src=\"https://img.example/a.png\" alt=\"alt\" />")), qPrintable(https));
    QCOMPARE(render(QStringLiteral("![alt](http://img.example/a.png)")), QStringLiteral("<p>alt</p>\n"));
    QCOMPARE(render(QStringLiteral("![alt](/local.png)")), QStringLiteral("<p>alt</p>\n"));
    MarkdownOptions http;
    http.images = MarkdownOptions::Images::Http;
    QVERIFY(render(QStringLiteral("![alt](http://img.example/a.png)"), http).contains(QLatin1String("<img")));
    MarkdownOptions none;
    none.images = MarkdownOptions::Images::None;
    QCOMPARE(render(QStringLiteral("![alt](https://img.example/a.png)"), none), QStringLiteral("<p>alt</p>\n"));
}

void TestMarkdown::mentions()
{
    auto r = renderMarkdown(QStringLiteral(
        "Hi @alice and @김민수, also @Alice again (and @bob.).\n\n"
        "`@incode` and [@inlink](https://x.example) and bob@example.com and x@y\n\n"
        "```\n@inblock\n```\n\n"
        "@ab is too short, @admin is reserved, @_x starts badly.\n\n"
        "- list item @carol_99\n\n"
        "| col |\n|---|\n| @dave-k |"));
    QVERIFY(r);
    QCOMPARE(r->mentions, (QStringList{QStringLiteral("alice"), QStringLiteral("김민수"), QStringLiteral("bob"),
                                       QStringLiteral("carol_99"), QStringLiteral("dave-k")}));
    const QString html = r->html;
    QVERIFY2(html.contains(QLatin1String(
                 "<a rel=\"nofollow ugc noopener noreferrer\" href=\"/u/alice\" class=\"mention\">@alice</a>")),
             qPrintable(html));
    QVERIFY(html.contains(QStringLiteral("href=\"/u/%EA%B9%80%EB%AF%BC%EC%88%98\" class=\"mention\">@김민수</a>")));
    QVERIFY(html.contains(QLatin1String("href=\"/u/bob\" class=\"mention\">@bob</a>.)")));
    QVERIFY(html.contains(QLatin1String("<code>@incode</code>")));
    QVERIFY(html.contains(QLatin1String("@inblock\n</code></pre>")));
    QVERIFY(html.contains(QLatin1String("mailto:bob@example.com")));
    QVERIFY(!html.contains(QLatin1String("title=")));
    QVERIFY(!r->links.contains(QLatin1String("/u/alice")));
    QVERIFY(checkWhitelist(html).isEmpty());
}

void TestMarkdown::mentionsDisabled()
{
    MarkdownOptions opts;
    opts.mentions = false;
    auto r = renderMarkdown(QStringLiteral("hello @alice"), opts);
    QVERIFY(r);
    QCOMPARE(r->mentions, QStringList{QStringLiteral("alice")});
    QCOMPARE(r->html, QStringLiteral("<p>hello @alice</p>\n"));
}

void TestMarkdown::sizeLimit()
{
    QVERIFY(renderMarkdown(QString(64 * 1024, QLatin1Char('a'))));
    auto r = renderMarkdown(QString(64 * 1024 + 1, QLatin1Char('a')));
    QVERIFY(!r);
    QCOMPARE(r.error().code, Community::ErrorCode::InvalidArgument);
    QCOMPARE(r.error().fields.size(), 1);
    QCOMPARE(r.error().fields.first().field, QStringLiteral("body"));
    QCOMPARE(r.error().fields.first().code, QStringLiteral("too_long"));
    // Counted in UTF-8 bytes: 22000 Hangul syllables are 66000 bytes.
    QVERIFY(!renderMarkdown(QString(22000, QChar(0xAC00))));
    MarkdownOptions small;
    small.maxInputBytes = 10;
    QVERIFY(!renderMarkdown(QStringLiteral("hello world"), small));
}

void TestMarkdown::depthLimit()
{
    QVERIFY(renderMarkdown(QString(32, QLatin1Char('>')) + QStringLiteral(" deep")));
    auto quotes = renderMarkdown(QString(33, QLatin1Char('>')) + QStringLiteral(" deep"));
    QVERIFY(!quotes);
    QCOMPARE(quotes.error().code, Community::ErrorCode::InvalidArgument);
    QCOMPARE(quotes.error().fields.first().field, QStringLiteral("body"));
    QCOMPARE(quotes.error().fields.first().code, QStringLiteral("too_deep"));
    QString list;
    for (int i = 0; i < 40; ++i)
        list += QString(i * 2, QLatin1Char(' ')) + QStringLiteral("- item\n");
    QVERIFY(!renderMarkdown(list));
    QString mixed;
    for (int i = 0; i < 20; ++i)
        mixed += QStringLiteral("> - ");
    QVERIFY(!renderMarkdown(mixed + QStringLiteral("x")));
}

void TestMarkdown::hugeDepthDoesNotCrash()
{
    QElapsedTimer t;
    t.start();
    QVERIFY(!renderMarkdown(QString(60000, QLatin1Char('>')) + QStringLiteral(" x")));
    QVERIFY(!renderMarkdown(QString(30000, QLatin1Char('-')).replace(QLatin1String("--"), QLatin1String("- "))
                            + QStringLiteral("x")));
    // Deep inline nesting is not limited but must not crash either.
    QVERIFY(renderMarkdown(QString(20000, QLatin1Char('[')) + QString(20000, QLatin1Char(']'))));
    QVERIFY(renderMarkdown(QString(10000, QLatin1Char('*')) + QStringLiteral("x") + QString(10000, QLatin1Char('*'))));
    QVERIFY2(t.elapsed() < 20000, qPrintable(QString::number(t.elapsed())));
}

void TestMarkdown::loneSurrogates()
{
    QString s = QStringLiteral("a ");
    s += QChar(0xD800);
    s += QStringLiteral(" b @al");
    s += QChar(0xDC00);
    s += QStringLiteral("ice [x](https://e.example/");
    s += QChar(0xDFFF);
    s += QStringLiteral(") \u0000 end");
    auto r = renderMarkdown(s);
    QVERIFY(r);
    QVERIFY(r->html.contains(QLatin1String("end")));
    QVERIFY(!r->html.toUtf8().isEmpty());
}

void TestMarkdown::safeUrlHelper()
{
    QVERIFY(Markdown::isSafeUrl(QStringLiteral("https://a.example")));
    QVERIFY(Markdown::isSafeUrl(QStringLiteral("HTTP://A.EXAMPLE")));
    QVERIFY(Markdown::isSafeUrl(QStringLiteral("/relative:ok")));
    QVERIFY(!Markdown::isSafeUrl(QStringLiteral(" javascript:x")));
    QVERIFY(!Markdown::isSafeUrl(QStringLiteral("java\nscript:x")));
    QVERIFY(!Markdown::isSafeUrl(QStringLiteral("&#0000106avascript:x")));
    QVERIFY(!Markdown::isSafeUrl(QStringLiteral("%2525%36%41avascript:x")));
    QVERIFY(!Markdown::isSafeUrl(QStringLiteral("DATA:text/html,x")));
    QVERIFY(Markdown::isSafeUrl(QStringLiteral("https://a.example/i.png"), {}, true));
    QVERIFY(!Markdown::isSafeUrl(QStringLiteral("mailto:a@b.example"), {}, true));
    QVERIFY(!Markdown::isSafeUrl(QStringLiteral("//a.example/i.png"), {}, true));
}

QTEST_GUILESS_MAIN(TestMarkdown)
#include "tst_markdown.moc"
