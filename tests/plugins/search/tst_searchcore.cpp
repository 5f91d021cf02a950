// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// search_core without a database: query parsing and limits, the highlighter (escaping,
// Korean and CJK marks, snippet windows), autocomplete keys and transliteration,
// Markdown to plain text, page cursors, configuration.

#include "highlighter.h"
#include "plaintext.h"
#include "querybuilder.h"
#include "searchconfig.h"
#include "searchroutes.h"
#include "suggestkeys.h"
#include "textanalysis.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace Search;

class TstSearchCore : public QObject {
    Q_OBJECT

    SearchConfig m_config;

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("q");
        QTest::addColumn<QString>("latin");     // text for websearch_to_tsquery
        QTest::addColumn<int>("groups");
        QTest::addColumn<QStringList>("words"); // positive Latin words
        QTest::newRow("plain") << u"Hello World"_qs << u"hello world"_qs << 0 << QStringList{u"hello"_qs, u"world"_qs};
        QTest::newRow("phrase") << u"\"full text\" search"_qs << u"\"full text\" search"_qs << 0
                                << QStringList{u"full"_qs, u"text"_qs, u"search"_qs};
        QTest::newRow("exclusion") << u"postgres -mysql"_qs << u"postgres -mysql"_qs << 0 << QStringList{u"postgres"_qs};
        QTest::newRow("operators become spaces") << u"a&b|c!(d):*"_qs << u"a b c d"_qs << 0
                                                 << QStringList{u"a"_qs, u"b"_qs, u"c"_qs, u"d"_qs};
        QTest::newRow("inner dash splits") << u"e-mail"_qs << u"e mail"_qs << 0 << QStringList{u"e"_qs, u"mail"_qs};
        QTest::newRow("korean") << u"회원들에게 공지"_qs << QString() << 2 << QStringList{};
        QTest::newRow("mixed (glued 와 dropped)") << u"Qt6와 커뮤니티"_qs << u"qt6"_qs << 1 << QStringList{u"qt6"_qs};
        QTest::newRow("glued particle dropped") << u"KBS에서"_qs << u"kbs"_qs << 0 << QStringList{u"kbs"_qs};
        QTest::newRow("han") << u"東京大学"_qs << QString() << 1 << QStringList{};
        QTest::newRow("only punctuation") << u"!!! ..."_qs << QString() << 0 << QStringList{};
        QTest::newRow("only quotes and dashes") << u"\"\" - \"-\""_qs << QString() << 0 << QStringList{};
        QTest::newRow("nul") << QStringLiteral("a") + QChar(0) + QStringLiteral("b") << u"a b"_qs << 0
                             << QStringList{u"a"_qs, u"b"_qs};
    }

    void parse()
    {
        QFETCH(QString, q);
        QFETCH(QString, latin);
        QFETCH(int, groups);
        QFETCH(QStringList, words);
        auto p = parseQuery(q, m_config);
        QVERIFY(p);
        QCOMPARE(p->latin, latin);
        QCOMPARE(p->groups.size(), groups);
        QCOMPARE(p->latinWords, words);
    }

    void koreanGroups()
    {
        auto p = parseQuery(u"회원들에게 -커뮤니티"_qs, m_config);
        QVERIFY(p);
        QCOMPARE(p->groups.size(), 2);
        const QJsonObject first = p->groups.at(0).toObject();
        const QJsonArray any = first.value(u"any"_qs).toArray();
        QVERIFY(any.contains(u"회원"_qs) && any.contains(u"회원들에게"_qs));
        QVERIFY(!first.value(u"not"_qs).toBool());
        const QJsonObject second = p->groups.at(1).toObject();
        QVERIFY(second.value(u"not"_qs).toBool());
        QVERIFY(second.value(u"all"_qs).toArray().contains(u"뮤니"_qs));
        // Excluded words are not highlighted.
        QVERIFY(p->cjkTerms.contains(u"회원"_qs));
        QVERIFY(!p->cjkTerms.contains(u"커뮤니티"_qs));
        QVERIFY(groupsJson(*p).startsWith("[{"));
    }

    void limits()
    {
        auto tooLong = parseQuery(QString(m_config.maxQueryLength + 1, u'a'), m_config);
        QVERIFY(!tooLong);
        QCOMPARE(tooLong.error().fields.at(0).code, u"too_long"_qs);
        QVERIFY(parseQuery(QString(m_config.maxQueryLength, u'a'), m_config));
        QStringList words;
        for (int i = 0; i <= m_config.maxTerms; ++i)
            words << QStringLiteral("w%1").arg(i);
        auto many = parseQuery(words.join(u' '), m_config);
        QVERIFY(!many);
        QCOMPARE(many.error().fields.at(0).code, u"too_many_terms"_qs);
        words.removeLast();
        QVERIFY(parseQuery(words.join(u' '), m_config));
    }

    void highlight_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("latin");
        QTest::addColumn<QStringList>("cjk");
        QTest::addColumn<QString>("expected");
        QTest::newRow("escape first") << u"<b>pasta</b> & \"salt\""_qs << QStringList{u"pasta"_qs} << QStringList{}
                                      << u"&lt;b&gt;<mark>pasta</mark>&lt;/b&gt; &amp; &quot;salt&quot;"_qs;
        QTest::newRow("stem") << u"Running runs"_qs << QStringList{u"run"_qs} << QStringList{}
                              << u"<mark>Running</mark> <mark>runs</mark>"_qs;
        QTest::newRow("no partial latin") << u"pastry"_qs << QStringList{u"pasta"_qs} << QStringList{} << u"pastry"_qs;
        QTest::newRow("korean stem at start") << u"회원들에게 회원의"_qs << QStringList{} << QStringList{u"회원"_qs}
                                              << u"<mark>회원</mark>들에게 <mark>회원</mark>의"_qs;
        QTest::newRow("korean longest form") << u"회원들에게"_qs << QStringList{} << QStringList{u"회원"_qs, u"회원들에게"_qs}
                                             << u"<mark>회원들에게</mark>"_qs;
        QTest::newRow("korean bigram inside") << u"커뮤니티에서"_qs << QStringList{} << QStringList{u"뮤니"_qs, u"니티"_qs}
                                              << u"커<mark>뮤니티</mark>에서"_qs;
        QTest::newRow("han bigrams") << u"日本語の全文検索は"_qs << QStringList{} << QStringList{u"全文"_qs, u"文検"_qs, u"検索"_qs}
                                     << u"日本語の<mark>全文検索</mark>は"_qs;
    }

    void highlight()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, latin);
        QFETCH(QStringList, cjk);
        QFETCH(QString, expected);
        QCOMPARE(highlightAll(text, HighlightTerms{latin, cjk}), expected);
    }

    void snippets()
    {
        const QString text = QString(u"lorem ipsum "_qs).repeated(40) + u"the needle <here> "_qs + QString(u"dolor sit "_qs).repeated(40);
        const QString s = snippet(text, HighlightTerms{{u"needle"_qs}, {}}, 100);
        QVERIFY2(s.startsWith(u"…"_qs) && s.endsWith(u"…"_qs), qPrintable(s));
        QVERIFY(s.contains(u"<mark>needle</mark> &lt;here&gt;"_qs));
        QVERIFY(s.size() < 140);
        // No match: the beginning.
        QVERIFY(snippet(text, HighlightTerms{{u"absent"_qs}, {}}, 50).startsWith(u"lorem ipsum"_qs));
        // Short text: all of it.
        QCOMPARE(snippet(u"short & sweet"_qs, {}, 100), u"short &amp; sweet"_qs);
        // Never cut inside a surrogate pair.
        const QString emoji = QString(u"😀"_qs).repeated(100);
        const QString e = snippet(emoji, {}, 51);
        for (qsizetype i = 0; i + 1 < e.size(); ++i)
            QVERIFY(!(e.at(i).isHighSurrogate() && !e.at(i + 1).isLowSurrogate()));
    }

    void suggestKeys()
    {
        const QList<SuggestionKey> keys = suggestionKeys(u"우리 커뮤니티 규칙"_qs, {u"rules-ko"_qs});
        QCOMPARE(keys.size(), 4);
        QCOMPARE(keys.at(0).pos, 0);
        QCOMPARE(keys.at(1).choseong, u"ㅋㅁㄴㅌㄱㅊ"_qs);
        QVERIFY(keys.at(1).jamo.startsWith(queryJamoKey(normalizeForSuggest(u"커뮤닡"_qs))));
        QCOMPARE(keys.at(3).jamo, u"rules-ko"_qs);
        // A typed compatibility jamo survives normalisation (NFKC would make it conjoining).
        QCOMPARE(normalizeForSuggest(u"ㅋㅁㄴㅌ"_qs), u"ㅋㅁㄴㅌ"_qs);
        QVERIFY(isChoseongQuery(normalizeForSuggest(u"ㅋㅁㄴㅌ"_qs)));
        QCOMPARE(normalizeForSuggest(u"커뮤니ㅌ"_qs), u"커뮤니ㅌ"_qs);
    }

    void transliteration_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("ascii");
        QTest::newRow("hangul") << u"커뮤니티"_qs << u"keomyuniti"_qs;
        QTest::newRow("hangul finals") << u"한국어 닭"_qs << u"hangugeo dalg"_qs;
        QTest::newRow("compat jamo") << u"ㅋㅁ"_qs << u"km"_qs;
        QTest::newRow("latin diacritics") << u"Café Über"_qs << u"cafe uber"_qs;
        QTest::newRow("han dropped") << u"東京 tokyo"_qs << u"tokyo"_qs;
        QTest::newRow("punctuation") << u"c++ & node.js"_qs << u"c node js"_qs;
    }

    void transliteration()
    {
        QFETCH(QString, text);
        QFETCH(QString, ascii);
        QCOMPARE(transliterate(text), ascii);
    }

    void markdown_data()
    {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<QString>("plain");
        QTest::newRow("emphasis and links") << u"**Bold** and _it_ [link text](http://x.y/z) `code`"_qs
                                            << u"Bold and _it_ link text code"_qs;
        QTest::newRow("headings and lists") << u"# Title\n\n- one\n- two\n1. three\n> quoted"_qs
                                            << u"Title one two three quoted"_qs;
        QTest::newRow("image and html") << u"![alt text](a.png) <div class=\"x\">inside</div>"_qs
                                        << u"alt text inside"_qs;
        QTest::newRow("fences") << u"```cpp\nint x;\n```"_qs << u"int x;"_qs;
        QTest::newRow("korean") << u"**회원**의 _가입_"_qs << u"회원의 _가입_"_qs;
    }

    void markdown()
    {
        QFETCH(QString, markdown);
        QFETCH(QString, plain);
        QCOMPARE(markdownToPlain(markdown), plain);
    }

    void markdownIsBounded()
    {
        const QString big = QString(u"word "_qs).repeated(100'000);
        const QString plain = markdownToPlain(big, 1000);
        QVERIFY(plain.size() <= 1000);
        QVERIFY(plain.endsWith(u"word"_qs));
    }

    void cursors()
    {
        QCOMPARE(decodeSearchCursor(encodeSearchCursor(40), 1000), std::optional<int>(40));
        QCOMPARE(decodeSearchCursor(encodeSearchCursor(2000), 1000), std::nullopt);
        QCOMPARE(decodeSearchCursor(u"nope"_qs, 1000), std::nullopt);
        QCOMPARE(decodeSearchCursor(QString(100, u'a'), 1000), std::nullopt);
    }

    void config()
    {
        auto defaults = readSearchConfig({}, u"plugins.search"_qs);
        QVERIFY(defaults);
        QCOMPARE(defaults->maxQueryLength, 256);
        auto custom = readSearchConfig(QJsonObject{{u"analyticsRetentionDays"_qs, 30},
                                                   {u"ranking"_qs, QJsonObject{{u"title"_qs, 0.9}, {u"recency"_qs, 0}}}},
                                       u"plugins.search"_qs);
        QVERIFY(custom);
        QCOMPARE(custom->analyticsRetentionDays, 30);
        QCOMPARE(custom->ranking.title, 0.9);
        QCOMPARE(custom->ranking.recency, 0.0);
        auto bad = readSearchConfig(QJsonObject{{u"nope"_qs, 1},
                                                {u"ranking"_qs, QJsonObject{{u"title"_qs, 2}, {u"other"_qs, 1}}},
                                                {u"maxLimit"_qs, 10}, {u"defaultLimit"_qs, 20}},
                                    u"plugins.search"_qs);
        QVERIFY(!bad);
        QStringList fields;
        for (const auto &f : bad.error().fields)
            fields << f.field;
        QVERIFY2(fields.contains(u"plugins.search.nope"_qs), qPrintable(fields.join(u',')));
        QVERIFY2(fields.contains(u"plugins.search.ranking.title"_qs), qPrintable(fields.join(u',')));
        QVERIFY2(fields.contains(u"plugins.search.ranking.other"_qs), qPrintable(fields.join(u',')));
        QVERIFY2(fields.contains(u"plugins.search.defaultLimit"_qs), qPrintable(fields.join(u',')));
    }
};

QTEST_GUILESS_MAIN(TstSearchCore)
#include "tst_searchcore.moc"
