// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Content sniffing with libmagic, polyglot and truncation checks, and the per-purpose
// type policy (allowlist, SVG, declared type and extension mismatches), table-driven.

#include "filespolicy.h"
#include "sniffer.h"
#include "testimages.h"

#include <QGuiApplication>
#include <QTemporaryDir>
#include <QTest>

using namespace Files;
using namespace Files::Test;

class TstSniffer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;

    QString write(const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(QString::number(++m_n));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(bytes);
        return path;
    }

private Q_SLOTS:
    void sniff_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("polyglot");
        const QByteArray j = jpeg();
        const QByteArray p = png();
        QTest::newRow("jpeg") << j << "image/jpeg" << "";
        QTest::newRow("png") << p << "image/png" << "";
        QTest::newRow("gif") << gif() << "image/gif" << "";
        QTest::newRow("svg") << svg() << "image/svg+xml" << "";
        QTest::newRow("zip") << zip() << "application/zip" << "";
        QTest::newRow("text") << QByteArray("hello there\n") << "text/plain" << "";
        QTest::newRow("pdf") << QByteArray("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n") << "application/pdf" << "";
        QTest::newRow("jpeg + zip appended") << j + zip() << "image/jpeg" << "zip-archive-inside";
        QTest::newRow("png + zip appended") << p + zip() << "image/png" << "zip-archive-inside";
        QTest::newRow("jpeg + trailing bytes") << j + QByteArray("<?php system($_GET[1]); ?>") << "image/jpeg" << "data-after-end";
        QTest::newRow("png + trailing bytes") << p + QByteArray("<script>x</script>") << "image/png" << "data-after-end";
        QTest::newRow("truncated jpeg") << j.left(j.size() / 2) << "image/jpeg" << "truncated";
        QTest::newRow("truncated png") << p.left(p.size() - 20) << "image/png" << "truncated";
    }
    void sniff()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, type);
        QFETCH(QString, polyglot);
        const QString path = write(bytes);
        const auto sniffed = sniffMediaType(path);
        QVERIFY(sniffed.has_value());
        QCOMPARE(*sniffed, type);
        QCOMPARE(polyglotReason(path, *sniffed), polyglot);
    }

    void policy_data()
    {
        QTest::addColumn<QString>("sniffed");
        QTest::addColumn<QString>("declared");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("error");
        QTest::newRow("jpeg ok") << "image/jpeg" << "image/jpeg" << "me.JPG" << "";
        QTest::newRow("octet-stream declared") << "image/png" << "application/octet-stream" << "x.png" << "";
        QTest::newRow("no extension") << "image/png" << "" << "picture" << "";
        QTest::newRow("svg") << "image/svg+xml" << "image/svg+xml" << "a.svg" << "svg-refused";
        QTest::newRow("pdf as avatar") << "application/pdf" << "" << "a.pdf" << "unsupported-file-type";
        QTest::newRow("declared png, is jpeg") << "image/jpeg" << "image/png" << "a" << "type-mismatch";
        QTest::newRow("declared with params") << "image/jpeg" << "image/jpeg; q=1" << "a" << "";
        QTest::newRow("named .png, is jpeg") << "image/jpeg" << "" << "a.png" << "type-mismatch";
        QTest::newRow("named .html, is png") << "image/png" << "" << "a.html" << "type-mismatch";
    }
    void policy()
    {
        QFETCH(QString, sniffed);
        QFETCH(QString, declared);
        QFETCH(QString, name);
        QFETCH(QString, error);
        auto cfg = readFilesConfig({}, QStringLiteral("plugins.files"), QStringLiteral("/data"));
        QVERIFY(cfg.has_value());
        const auto r = checkMediaType(cfg->purposes.value("avatar"), sniffed, declared, name);
        QCOMPARE(r.has_value() ? QString() : r.error().type, error);
    }

    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("code");
        QTest::newRow("plain") << "holiday photo.jpg" << "";
        QTest::newRow("korean") << "사진.jpg" << "";
        QTest::newRow("traversal") << "../../etc/passwd" << "path_in_name";
        QTest::newRow("backslash") << "..\\boot.ini" << "path_in_name";
        QTest::newRow("dotdot") << ".." << "path_in_name";
        QTest::newRow("nul") << QStringLiteral("a\u0000b") << "invalid_characters";
        QTest::newRow("bidi override") << QStringLiteral("gpj.\u202eexe") << "invalid_characters";
        QTest::newRow("too long") << QString(256, 'a') << "too_long";
    }
    void names()
    {
        QFETCH(QString, name);
        QFETCH(QString, code);
        const auto r = checkFileName(name);
        QCOMPARE(r.has_value() ? QString() : r.error().fields.value(0).code, code);
    }

    void configRejectsUnknownKeys()
    {
        const auto bad = readFilesConfig(QJsonObject{{"quota", 5}}, QStringLiteral("plugins.files"), "/d");
        QVERIFY(!bad.has_value());
        const auto badPurpose = readFilesConfig(
            QJsonObject{{"purposes", QJsonObject{{"avatar", QJsonObject{{"limit", 5}}}}}}, QStringLiteral("plugins.files"), "/d");
        QVERIFY(!badPurpose.has_value());
        const auto ok = readFilesConfig(QJsonObject{{"purposes", QJsonObject{{"avatar", QJsonObject{{"maxBytes", 5}}}}}},
                                        QStringLiteral("plugins.files"), "/d");
        QVERIFY(ok.has_value());
        QCOMPARE(ok->purposes.value("avatar").maxBytes, 5);
        QCOMPARE(ok->storageDir, QStringLiteral("/d/files"));
    }
};

QTEST_MAIN(TstSniffer)
#include "tst_sniffer.moc"
