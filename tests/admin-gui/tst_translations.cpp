// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The console's UI text: the Korean catalogue is complete (no unfinished message in the
// .ts file), the compiled catalogues are embedded (:/i18n) and load by locale, and the
// screens then speak Korean (plural forms included); English plurals read naturally.

#include "chaosscreen.h"
#include "decisionpanel.h"
#include "decisionpresets.h"
#include "requestprogress.h"

#include "community/client/apireply.h"

#include <QFile>
#include <QJsonObject>
#include <QLocale>
#include <QTest>
#include <QTranslator>

class TstTranslations : public QObject {
    Q_OBJECT
private slots:
    void koreanIsComplete()
    {
        QFile ts(QStringLiteral(COMMUNITY_SOURCE_DIR "/admin-gui/translations/console_ko.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        const QByteArray text = ts.readAll();
        QVERIFY2(text.count("<message") > 150, "lupdate has not run over the sources");
        QCOMPARE(text.count("type=\"unfinished\""), 0);
        QCOMPARE(text.count("type=\"vanished\"") + text.count("type=\"obsolete\""), 0);
    }

    void loadsByLocale()
    {
        QTranslator ko;
        QVERIFY(ko.load(QLocale(QLocale::Korean, QLocale::SouthKorea), QStringLiteral("console"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")));
        QCoreApplication::installTranslator(&ko);
        QCOMPARE(Console::actionTitle(QStringLiteral("hide")), QStringLiteral("숨기기"));
        QCOMPARE(Console::decisionPresets().at(1).label, QStringLiteral("숨기기 + 침묵 (1일 정지)"));
        QCOMPARE(QCoreApplication::translate("Console::ReviewQueueScreen", "%n item(s) in the queue", nullptr, 3),
                 QStringLiteral("대기열 항목 3개"));
        Console::DecisionPanel panel;   // built in Korean
        QVERIFY(panel.findChildren<QObject *>().size() > 0);
        QCoreApplication::removeTranslator(&ko);
        QCOMPARE(Console::actionTitle(QStringLiteral("hide")), QStringLiteral("Hide"));

        QTranslator en;
        QVERIFY(en.load(QLocale(QLocale::English), QStringLiteral("console"), QStringLiteral("_"), QStringLiteral(":/i18n")));
        QCoreApplication::installTranslator(&en);
        QCOMPARE(QCoreApplication::translate("Console::ReviewQueueScreen", "%n item(s) in the queue", nullptr, 1),
                 QStringLiteral("1 item in the queue"));
        QCOMPARE(QCoreApplication::translate("Console::ReviewQueueScreen", "%n item(s) in the queue", nullptr, 2),
                 QStringLiteral("2 items in the queue"));
        QCoreApplication::removeTranslator(&en);
    }

    // The chaos screen's parameter words and the cancel message were English in the
    // Korean UI; they now come from the catalogue like the rest.
    void wordsInsideValuesAreTranslated()
    {
        const QJsonObject abort{{"kind", "http.abort"}, {"status", 503}, {"probability", 0.5}};
        const QJsonObject throttle{{"kind", "http.throttle"}, {"bytesPerSecond", 1024}};
        const QJsonObject delay{{"kind", "http.delay"}, {"delayMs", 500}, {"jitterMs", 100}};
        const QJsonObject clock{{"kind", "clock.offset"}, {"offsetSeconds", 30}};
        Community::Client::ApiReply cancelled;
        cancelled.outcome = Community::Client::ApiReply::Outcome::Cancelled;
        QCOMPARE(Console::chaosParametersText(abort), QStringLiteral("status 503, probability 0.5"));
        QCOMPARE(Console::replyMessage(cancelled), QStringLiteral("Cancelled."));

        QTranslator ko;
        QVERIFY(ko.load(QLocale(QLocale::Korean, QLocale::SouthKorea), QStringLiteral("console"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")));
        QCoreApplication::installTranslator(&ko);
        QCOMPARE(Console::chaosParametersText(abort), QStringLiteral("상태 코드 503, 확률 0.5"));
        QCOMPARE(Console::chaosParametersText(throttle), QStringLiteral("초당 1024바이트"));
        QCOMPARE(Console::chaosParametersText(delay), QStringLiteral("500 ± 100밀리초"));
        QCOMPARE(Console::chaosParametersText(clock), QStringLiteral("30초"));
        QCOMPARE(Console::replyMessage(cancelled), QStringLiteral("취소했습니다."));
        QCoreApplication::removeTranslator(&ko);
    }
};

QTEST_MAIN(TstTranslations)
#include "tst_translations.moc"
