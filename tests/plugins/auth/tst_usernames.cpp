// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The username rule of issue 10 / ADR 0009 without a daemon: NFKC, confusable skeletons
// (ICU), reserved names by skeleton, start/end and mixed scripts.

#include "validation.h"

#include <QtTest>

using namespace Auth;

namespace {

QString code(const QString &name)
{
    const auto e = checkUsername(normalizeUsername(name));
    return e ? e->code : QString();
}

const QString kNfcHangul = QString::fromUtf16(u"\ud55c\uae00\uc774\ub984");                            // 한글이름, composed
const QString kNfdHangul = QString::fromUtf16(u"\u1112\u1161\u11ab\u1100\u1173\u11af\u110b\u1175\u1105\u1173\u11b7");   // decomposed

} // namespace

class TstUsernames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void normalisation()
    {
        QCOMPARE(kNfdHangul.normalized(QString::NormalizationForm_C), kNfcHangul);
        QCOMPARE(normalizeUsername(kNfdHangul), kNfcHangul);
        QCOMPARE(normalizeUsername(QString::fromUtf16(u"\uff41\uff44\uff4d\uff49\uff4e")), QStringLiteral("admin"));   // ａｄｍｉｎ
        QCOMPARE(normalizeUsername(QStringLiteral("Alice")), QStringLiteral("Alice"));   // case kept for display
    }

    void sameSkeleton_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::newRow("cyrillic a") << QStringLiteral("admin") << QString::fromUtf16(u"\u0430dmin");
        QTest::newRow("dotless i") << QStringLiteral("admin") << QString::fromUtf16(u"adm\u0131n");
        QTest::newRow("fullwidth") << QStringLiteral("admin") << QString::fromUtf16(u"\uff41\uff44\uff4d\uff49\uff4e");
        QTest::newRow("case") << QStringLiteral("admin") << QStringLiteral("ADMIN");
        QTest::newRow("secaflri") << QStringLiteral("secaflri") << QString::fromUtf16(u"sec\u0430flri");
        QTest::newRow("nfd hangul") << kNfcHangul << kNfdHangul;
        QTest::newRow("rn and m") << QStringLiteral("modern") << QStringLiteral("rnodern");
        QTest::newRow("greek omicron") << QStringLiteral("root") << QString::fromUtf16(u"r\u03bfot");
    }
    void sameSkeleton()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QCOMPARE(usernameSkeleton(a), usernameSkeleton(b));
        QVERIFY(!usernameSkeleton(a).isEmpty());
    }

    void differentSkeleton()
    {
        QVERIFY(usernameSkeleton(QStringLiteral("alice")) != usernameSkeleton(QStringLiteral("alicia")));
        QVERIFY(usernameSkeleton(QStringLiteral("secaflri")) != usernameSkeleton(QStringLiteral("secaflri2")));
        QVERIFY(usernameSkeleton(kNfcHangul) != usernameSkeleton(QString::fromUtf16(u"\ud55c\uae00")));
    }

    void rule_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("code");   // empty = accepted
        // The probe's examples (issue 10, item 4).
        QTest::newRow("cyrillic a admin") << QString::fromUtf16(u"\u0430dmin") << "reserved";
        QTest::newRow("fullwidth admin") << QString::fromUtf16(u"\uff41\uff44\uff4d\uff49\uff4e") << "reserved";
        QTest::newRow("dotless i admin") << QString::fromUtf16(u"adm\u0131n") << "reserved";
        QTest::newRow("admin.") << QStringLiteral("admin.") << "invalid_end";
        QTest::newRow("admin_") << QStringLiteral("admin_") << "invalid_end";
        QTest::newRow("operator") << QStringLiteral("operator") << "reserved";
        QTest::newRow("Operator") << QStringLiteral("Operator") << "reserved";
        QTest::newRow("0perator") << QStringLiteral("0perator") << "reserved";   // skeleton of 0 is o
        QTest::newRow("mixed latin cyrillic") << QString::fromUtf16(u"sec\u0430flri") << "mixed_scripts";
        // The extended reserved list, by skeleton.
        for (const char *n : {"administrator", "system", "moderator", "mod", "support", "root", "staff", "security", "help",
                              "api", "www", "null", "anonymous", "deleted", "me", "search"})
            QTest::newRow(n) << QString::fromLatin1(n) << "reserved";
        QTest::newRow("rnod") << QStringLiteral("rnod") << "reserved";
        QTest::newRow("SUPP0RT") << QStringLiteral("SUPP0RT") << "reserved";
        // Fine.
        QTest::newRow("alice") << QStringLiteral("alice") << QString();
        QTest::newRow("secaflri") << QStringLiteral("secaflri") << QString();
        QTest::newRow("hangul nfc") << kNfcHangul << QString();
        QTest::newRow("hangul nfd") << kNfdHangul << QString();
        QTest::newRow("latin and hangul") << QString::fromUtf16(u"kim\ubbfc\uc218") << QString();
        QTest::newRow("inner dot") << QStringLiteral("jo.doe") << QString();
        QTest::newRow("contains reserved") << QStringLiteral("mesearch") << QString();
        QTest::newRow("admin2") << QStringLiteral("admin2") << QString();
        // Unchanged rules.
        QTest::newRow("leading dot") << QStringLiteral(".hidden") << "invalid_start";
        QTest::newRow("trailing hyphen") << QStringLiteral("name-") << "invalid_end";
        QTest::newRow("zero width") << QString::fromUtf16(u"bad\u200bname") << "invalid_characters";
        QTest::newRow("nul") << QString::fromUtf16(u"bad\u0000name", 8) << "invalid_characters";
        QTest::newRow("short") << QStringLiteral("ab") << "length";
    }
    void rule()
    {
        QFETCH(QString, name);
        QFETCH(QString, code);
        QCOMPARE(::code(name), code);
    }

    void derivedNamesFollowTheRule()
    {
        QCOMPARE(derivedUsername(QString::fromUtf16(u"\uff2f\uff53\uff43\uff41\uff52"), {}), QStringLiteral("Oscar"));   // fullwidth
        QCOMPARE(derivedUsername(QStringLiteral("jane_"), {}), QStringLiteral("jane"));
        const QString fromReserved = derivedUsername(QString::fromUtf16(u"\u0430dmin"), QStringLiteral("kim@example.org"));
        QCOMPARE(fromReserved, QStringLiteral("kim"));
    }
};

QTEST_GUILESS_MAIN(TstUsernames)
#include "tst_usernames.moc"
