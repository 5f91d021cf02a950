// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Search text analysis: Korean particle and ending stripping (with the batchim rule),
// bigrams, Han/Kana runs, mixed scripts, jamo and choseong keys for autocomplete.

#include "textanalysis.h"

#include <QtTest>

using namespace Search;

class TstTextAnalysis : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void stems_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<QString>("stem");   // the last (shortest) form
        // The examples: all reach 회원.
        QTest::newRow("의") << u"회원의"_qs << u"회원"_qs;
        QTest::newRow("들에게") << u"회원들에게"_qs << u"회원"_qs;
        QTest::newRow("은") << u"회원은"_qs << u"회원"_qs;
        QTest::newRow("이") << u"회원이"_qs << u"회원"_qs;
        QTest::newRow("을") << u"회원을"_qs << u"회원"_qs;
        QTest::newRow("에게서는") << u"회원에게서는"_qs << u"회원"_qs;
        QTest::newRow("vowel 는") << u"바다는"_qs << u"바다"_qs;
        QTest::newRow("vowel 를") << u"커뮤니티를"_qs << u"커뮤니티"_qs;
        QTest::newRow("vowel 가") << u"커뮤니티가"_qs << u"커뮤니티"_qs;
        QTest::newRow("로 after ㄹ") << u"서울로"_qs << u"서울"_qs;
        QTest::newRow("으로") << u"게시판으로"_qs << u"게시판"_qs;
        QTest::newRow("에서") << u"학교에서"_qs << u"학교"_qs;
        QTest::newRow("ending 했습니다") << u"가입했습니다"_qs << u"가입"_qs;
        QTest::newRow("ending 하는") << u"공유하는"_qs << u"공유"_qs;
        QTest::newRow("ending 합니다") << u"검색합니다"_qs << u"검색"_qs;
        QTest::newRow("ending 입니다") << u"질문입니다"_qs << u"질문"_qs;
        // Words that only look like word + particle stay whole.
        QTest::newRow("나이 (이 needs batchim)") << u"나이"_qs << u"나이"_qs;
        QTest::newRow("사과 (과 needs batchim)") << u"사과"_qs << u"사과"_qs;
        QTest::newRow("회의 (의 needs two syllables)") << u"회의"_qs << u"회의"_qs;
        QTest::newRow("온도") << u"온도"_qs << u"온도"_qs;
        QTest::newRow("하늘") << u"하늘"_qs << u"하늘"_qs;
        QTest::newRow("lone particle") << u"이"_qs << u"이"_qs;
        QTest::newRow("not hangul") << u"abc"_qs << u"abc"_qs;
    }

    void stems()
    {
        QFETCH(QString, word);
        QFETCH(QString, stem);
        const QStringList forms = hangulStems(word);
        QCOMPARE(forms.first(), word);
        QCOMPARE(forms.last(), stem);
        QCOMPARE(QSet<QString>(forms.begin(), forms.end()).size(), forms.size());
    }

    void bigramsOfWords()
    {
        QCOMPARE(bigrams(u"커뮤니티"_qs), (QStringList{u"커뮤"_qs, u"뮤니"_qs, u"니티"_qs}));
        QCOMPARE(bigrams(u"회원"_qs), QStringList{u"회원"_qs});
        QCOMPARE(bigrams(u"한"_qs), QStringList{u"한"_qs});
        QCOMPARE(bigrams(QString()), QStringList());
        // Characters outside the BMP count as one.
        QCOMPARE(bigrams(QString::fromUcs4(U"𠀀𠀁𠀂")).size(), 2);
    }

    void analyzeMixedText()
    {
        const Analyzed a = analyze(u"Qt 6 커뮤니티에서 회원들에게 KBS에서 Searching 東京大学 ひらがな"_qs);
        QCOMPARE(a.latin, u"qt 6 kbs searching"_qs);
        const QStringList stems = a.stems();
        for (const QString &s : {u"커뮤니티에서"_qs, u"커뮤니티"_qs, u"회원들에게"_qs, u"회원"_qs})
            QVERIFY2(stems.contains(s), qPrintable(stems.join(u' ')));
        // The particle glued to "KBS" is not a word.
        QVERIFY(!stems.contains(u"에서"_qs));
        // Han/Kana: bigrams.
        for (const QString &s : {u"東京"_qs, u"京大"_qs, u"大学"_qs, u"ひら"_qs, u"がな"_qs})
            QVERIFY2(stems.contains(s), qPrintable(stems.join(u' ')));
        // Long Hangul stems contribute their bigrams at the second rank.
        const QStringList grams = a.grams();
        QVERIFY(grams.contains(u"뮤니"_qs));
        QVERIFY(!grams.contains(u"東京"_qs));
        QCOMPARE(a.words.size(), 4);
        QVERIFY(a.words[0].hangul && !a.words[2].hangul);
    }

    void analyzeNormalises()
    {
        // Full-width Latin and half-width Katakana fold (NFKC); case folds.
        const Analyzed a = analyze(u"ＨＥＬＬＯ ｶﾀｶﾅ"_qs);
        QCOMPARE(a.latin, u"hello"_qs);
        QVERIFY(a.stems().contains(u"カタ"_qs));
        QVERIFY(analyze(u"!!! ??? ---"_qs).words.isEmpty());
        QVERIFY(analyze(u"!!! ??? ---"_qs).latin.isEmpty());
    }

    void jamoKeys()
    {
        QCOMPARE(jamo(u"커뮤니티"_qs), u"ㅋㅓㅁㅠㄴㅣㅌㅣ"_qs);
        // An unfinished last syllable is a prefix of the finished word.
        QVERIFY(jamo(u"커뮤니티"_qs).startsWith(jamo(u"커뮤닡"_qs)));
        QVERIFY(jamo(u"과학"_qs).startsWith(jamo(u"고"_qs)));      // compound vowel spelled out
        QVERIFY(jamo(u"닭고기"_qs).startsWith(jamo(u"달"_qs)));    // compound final spelled out
        QVERIFY(jamo(u"닭고기"_qs).startsWith(u"ㄷㅏㄹㄱ"_qs));
        QCOMPARE(jamo(u"ㄳ"_qs), u"ㄱㅅ"_qs);
        QCOMPARE(jamo(u"Qt커뮤"_qs), u"qtㅋㅓㅁㅠ"_qs);
    }

    void choseongKeys()
    {
        QCOMPARE(choseong(u"커뮤니티"_qs), u"ㅋㅁㄴㅌ"_qs);
        QCOMPARE(choseong(u"Qt 커뮤니티"_qs), u"ㅋㅁㄴㅌ"_qs);
        QVERIFY(isChoseongQuery(u"ㅋㅁㄴㅌ"_qs));
        QVERIFY(!isChoseongQuery(u"ㅋㅁ니"_qs));
        QVERIFY(!isChoseongQuery(QString()));
        QVERIFY(!isChoseongQuery(u"ㅏ"_qs));
    }

    void normalizeQueries()
    {
        QCOMPARE(normalizeQuery(u"  Hello\t  WORLD \n"_qs), u"hello world"_qs);
        QCOMPARE(normalizeQuery(u"ＡＢＣ"_qs), u"abc"_qs);
        // NFKC would turn typed compatibility jamo into conjoining jamo; they come back.
        QCOMPARE(normalizeQuery(u"ㅋㅁㄴㅌ"_qs), u"ㅋㅁㄴㅌ"_qs);
        QVERIFY(isChoseongQuery(normalizeQuery(u"ㅋㅁㄴㅌ"_qs)));
        QVERIFY(jamo(u"커뮤니티"_qs).startsWith(jamo(normalizeQuery(u"커뮤니ㅌ"_qs))));
        QCOMPARE(analyze(u"ㅋㅋㅋ 좋아요"_qs).words.first().forms.first(), u"ㅋㅋㅋ"_qs);
    }
};

QTEST_MAIN(TstTextAnalysis)
#include "tst_textanalysis.moc"
