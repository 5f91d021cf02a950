// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Watched words: a table of texts → expected action (Korean particles, mixed scripts,
// case and width, regexes anchored and not), and a catastrophic-backtracking pattern that
// completes at once on RE2.

#include "watchedwords.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace Admin;

namespace {

QList<WatchRule> rules()
{
    return {
        {1, QStringLiteral("word"), QStringLiteral("spam"), RuleAction::Flag},
        {2, QStringLiteral("word"), QStringLiteral("스팸"), RuleAction::Block},
        {3, QStringLiteral("word"), QStringLiteral("casino"), RuleAction::Block},
        {4, QStringLiteral("regex"), QStringLiteral("^buy now"), RuleAction::Flag},
        {5, QStringLiteral("regex"), QStringLiteral("[0-9]{3}-[0-9]{4}-[0-9]{4}"), RuleAction::Block},
        {6, QStringLiteral("word"), QStringLiteral("바보"), RuleAction::Flag},
    };
}

} // namespace

class TstWatchedWords : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void table_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("action");   // "" = allowed
        QTest::addColumn<QList<qint64>>("ids");
        QTest::newRow("clean") << QStringLiteral("hello world") << QString() << QList<qint64>{};
        QTest::newRow("word") << QStringLiteral("this is spam!") << QStringLiteral("flag") << QList<qint64>{1};
        QTest::newRow("case") << QStringLiteral("SPAM here") << QStringLiteral("flag") << QList<qint64>{1};
        QTest::newRow("fullwidth") << QStringLiteral("ｓｐａｍ") << QStringLiteral("flag") << QList<qint64>{1};
        QTest::newRow("inside another word") << QStringLiteral("spammer and spamspam") << QString() << QList<qint64>{};
        QTest::newRow("korean bare") << QStringLiteral("스팸 팝니다") << QStringLiteral("block") << QList<qint64>{2};
        QTest::newRow("korean particle 은") << QStringLiteral("스팸은 싫어요") << QStringLiteral("block") << QList<qint64>{2};
        QTest::newRow("korean particle 을") << QStringLiteral("스팸을 보냈다") << QStringLiteral("block") << QList<qint64>{2};
        QTest::newRow("korean particle 에서") << QStringLiteral("스팸에서 왔다") << QStringLiteral("block") << QList<qint64>{2};
        QTest::newRow("korean particle 으로") << QStringLiteral("바보으로") << QStringLiteral("flag") << QList<qint64>{6};
        QTest::newRow("korean not a particle") << QStringLiteral("스팸메일") << QString() << QList<qint64>{};
        QTest::newRow("korean other word") << QStringLiteral("바보야") << QString() << QList<qint64>{};
        QTest::newRow("mixed scripts") << QStringLiteral("spam스팸") << QStringLiteral("block") << QList<qint64>{1, 2};
        QTest::newRow("mixed with particle") << QStringLiteral("casino를 광고") << QStringLiteral("block") << QList<qint64>{3};
        QTest::newRow("block beats flag") << QStringLiteral("spam casino") << QStringLiteral("block") << QList<qint64>{1, 3};
        QTest::newRow("anchored regex at start") << QStringLiteral("Buy now, cheap") << QStringLiteral("flag") << QList<qint64>{4};
        QTest::newRow("anchored regex not at start") << QStringLiteral("please buy now") << QString() << QList<qint64>{};
        QTest::newRow("unanchored regex") << QStringLiteral("call 010-1234-5678 today") << QStringLiteral("block") << QList<qint64>{5};
        QTest::newRow("regex near miss") << QStringLiteral("call 010-123-5678") << QString() << QList<qint64>{};
    }

    void table()
    {
        QFETCH(QString, text);
        QFETCH(QString, action);
        QFETCH(QList<qint64>, ids);
        const WatchedWords words(rules());
        const RuleMatch m = words.check(text);
        QCOMPARE(m.action ? ruleActionName(*m.action) : QString(), action);
        QCOMPARE(m.ruleIds, ids);
    }

    void tokens()
    {
        QCOMPARE(matchTokens(QStringLiteral("Hello, 세계! spam스팸 ＡＢＣ")),
                 (QStringList{QStringLiteral("hello"), QStringLiteral("세계"), QStringLiteral("spam"), QStringLiteral("스팸"),
                              QStringLiteral("abc")}));
    }

    void catastrophicBacktrackingCompletesAtOnce()
    {
        // (a+)+$ on "aaaa…ab" takes exponential time on a backtracking engine.
        const WatchedWords words({{9, QStringLiteral("regex"), QStringLiteral("(a+)+$"), RuleAction::Block},
                                  {10, QStringLiteral("regex"), QStringLiteral("(x+x+)+y"), RuleAction::Block}});
        QCOMPARE(words.size(), 2);
        const QString evil = QString(50'000, QLatin1Char('a')) + QLatin1Char('b') + QString(5'000, QLatin1Char('x'));
        QElapsedTimer t;
        t.start();
        const RuleMatch m = words.check(evil);
        QVERIFY2(t.elapsed() < 500, qPrintable(QString::number(t.elapsed())));
        QVERIFY(!m.action);
        QCOMPARE(words.check(QStringLiteral("baaa")).ruleIds, QList<qint64>{9});
    }

    void invalidRegexIsReported()
    {
        QVERIFY(regexError(QStringLiteral("a(b")).contains(QStringLiteral("missing")));
        QVERIFY(regexError(QStringLiteral("a(?=b)")).size() > 0);   // lookahead: not linear, not RE2
        QVERIFY(regexError(QStringLiteral("^ok$")).isEmpty());
        // Invalid patterns are left out of a matcher, never crash it.
        QCOMPARE(WatchedWords({{1, QStringLiteral("regex"), QStringLiteral("a(b"), RuleAction::Block}}).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TstWatchedWords)
#include "tst_watchedwords.moc"
