// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Images over real HTTP: a photo carrying GPS and an EXIF orientation is stored rotated
// and without metadata (checked with exiftool), variants are generated once and carry no
// metadata either, pixel bombs and animations are refused from the header.

#include "testimages.h"
#include "usershttp.h"

#include <QDirIterator>
#include <QImage>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>

using namespace Users::Test;
using namespace Files::Test;

namespace {

/// exiftool's view of `bytes` (-j -n), first object; empty on failure.
QJsonObject exif(const QByteArray &bytes)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("f"));
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(bytes);
    f.close();
    QProcess p;
    p.start(QStringLiteral("exiftool"), {QStringLiteral("-j"), QStringLiteral("-n"), QStringLiteral("-a"), QStringLiteral("-G1"), path});
    p.waitForFinished(20000);
    return QJsonDocument::fromJson(p.readAllStandardOutput()).array().first().toObject();
}

bool hasGps(const QJsonObject &tags)
{
    for (auto it = tags.begin(); it != tags.end(); ++it) {
        if (it.key().contains(QLatin1String("GPS")))
            return true;
    }
    return false;
}

/// Metadata blocks beyond the file's own structure (File:, System:, ExifTool: and the
/// codec's own groups are not metadata a user put there).
QStringList metadataGroups(const QJsonObject &tags)
{
    QStringList groups;
    for (auto it = tags.begin(); it != tags.end(); ++it) {
        const QString g = it.key().section(QLatin1Char(':'), 0, 0);
        if ((g.startsWith(QLatin1String("IFD")) || g == QLatin1String("GPS") || g.startsWith(QLatin1String("XMP"))
             || g == QLatin1String("IPTC") || g == QLatin1String("ExifIFD") || g == QLatin1String("ICC_Profile"))
            && !groups.contains(g))
            groups.append(g);
    }
    return groups;
}

/// An 80 x 60 JPEG with GPS coordinates, a camera, XMP and Orientation 6 (rotate 90 CW).
QByteArray photoWithGps()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.jpg"));
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(jpeg(80, 60));
    f.close();
    QProcess p;
    p.start(QStringLiteral("exiftool"),
            {QStringLiteral("-overwrite_original"), QStringLiteral("-GPSLatitude=37.5665"), QStringLiteral("-GPSLatitudeRef=N"),
             QStringLiteral("-GPSLongitude=126.9780"), QStringLiteral("-GPSLongitudeRef=E"), QStringLiteral("-Make=TestCam"),
             QStringLiteral("-XMP:Creator=Ann"), QStringLiteral("-Orientation#=6"), path});
    p.waitForFinished(20000);
    QFile r(path);
    r.open(QIODevice::ReadOnly);
    return r.readAll();
}

} // namespace

class TstFilesImages : public QObject {
    Q_OBJECT

    UsersHttp m_http;
    Account m_ann;

    HttpResult upload(const QString &query, const QByteArray &body)
    {
        return m_http.call("POST", QStringLiteral("/v1/files?") + query, m_ann.token, body,
                           {{"Content-Type", "application/octet-stream"}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_ann = m_http.registerUser(QStringLiteral("ann"));
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void gpsAndOrientationAreGoneFromStoredPhoto()
    {
        const QByteArray photo = photoWithGps();
        const QJsonObject before = exif(photo);
        QVERIFY2(hasGps(before), "fixture: exiftool did not write GPS");
        QCOMPARE(before.value("IFD0:Orientation").toInt(), 6);

        auto r = upload(QStringLiteral("purpose=post_image&name=trip.jpg"), photo);
        QCOMPARE(r.status, 201);
        auto got = m_http.call("GET", "/v1/files/" + r.json().value("id").toString() + "/content");
        QCOMPARE(got.status, 200);
        const QJsonObject after = exif(got.body);
        QVERIFY2(!hasGps(after), QJsonDocument(after).toJson().constData());
        QVERIFY2(metadataGroups(after).isEmpty(), qPrintable(metadataGroups(after).join(',')));
        const QImage img = QImage::fromData(got.body);
        QCOMPARE(img.size(), QSize(60, 80));   // orientation applied: portrait now
        QCOMPARE(r.json().value("size").toInteger(), got.body.size());
    }

    void variantsAreSmallStrippedAndCached()
    {
        auto r = upload(QStringLiteral("purpose=post_image&name=big.jpg"), photoWithGps().size() ? jpeg(1200, 900) : QByteArray());
        QCOMPARE(r.status, 201);
        const QString id = r.json().value("id").toString();
        for (const char *name : {"thumb.jpg", "thumb.webp", "preview.jpg", "preview.webp"}) {
            auto v = m_http.call("GET", "/v1/files/" + id + "/variants/" + name);
            QCOMPARE(v.status, 200);
            const QImage img = QImage::fromData(v.body);
            const int limit = QByteArray(name).startsWith("thumb") ? 256 : 1024;
            if (!img.isNull())   // Qt has no WebP reader here; the JPEGs are checked
                QVERIFY(qMax(img.width(), img.height()) <= limit);
            QVERIFY2(metadataGroups(exif(v.body)).isEmpty(), qPrintable(QLatin1String(name) + metadataGroups(exif(v.body)).join(QLatin1Char(','))));
            QCOMPARE(v.header("cache-control"), QByteArray("public, max-age=31536000, immutable"));
            auto again = m_http.call("GET", "/v1/files/" + id + "/variants/" + name, {}, {}, {{"If-None-Match", v.header("etag")}});
            QCOMPARE(again.status, 304);
        }
        int cached = 0;
        QDirIterator it(m_http.daemon.dataDir() + QStringLiteral("/files/variants"), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            ++cached;
        }
        QCOMPARE(cached, 4);
        QCOMPARE(m_http.call("GET", "/v1/files/" + id + "/variants/huge.png").status, 404);
        auto gpsVariant = upload(QStringLiteral("purpose=attachment&name=trip.jpg"), photoWithGps());
        QCOMPARE(gpsVariant.status, 201);
        auto v = m_http.call("GET", "/v1/files/" + gpsVariant.json().value("id").toString() + "/variants/thumb.jpg", m_ann.token);
        QCOMPARE(v.status, 200);
        QVERIFY(!hasGps(exif(v.body)));
    }

    void bombsAndAnimationsAreRefused()
    {
        auto bomb = upload(QStringLiteral("purpose=post_image&name=b.png"), pixelBombPng());
        QVERIFY2(isProblem(bomb, 422, QStringLiteral("image-too-large")), bomb.body.constData());
        auto anim = upload(QStringLiteral("purpose=avatar&name=a.gif"), animatedGif());
        QVERIFY2(isProblem(anim, 422, QStringLiteral("animated-image-refused")), anim.body.constData());
        QVERIFY(QDir(m_http.daemon.dataDir() + QStringLiteral("/spool")).entryList(QDir::Files).isEmpty());
    }
};

QTEST_MAIN(TstFilesImages)
#include "tst_filesimages.moc"
