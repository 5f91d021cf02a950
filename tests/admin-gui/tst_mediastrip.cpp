// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Media in the review queue's item pane, against a real daemon (images in markdown
// allowed over http for the test) and an image host on loopback standing in for a
// third-party site: a reported post's picture shows blurred and in greyscale by default;
// m and Shift+M toggle the two filters separately; the next item starts filtered again;
// the image host never receives the console's token; the console's network access has
// no disk cache, and the image requests ask for none.

#include "itemcontext.h"
#include "jsontablemodel.h"
#include "mediastrip.h"
#include "reviewqueuescreen.h"
#include "session.h"
#include "signin.h"

#include "adminhttp.h"
#include "fakehttpserver.h"

#include <QBuffer>
#include <QNetworkAccessManager>
#include <QPainter>
#include <QSignalSpy>
#include <QTableView>

using namespace Admin::Test;

namespace {

/// A sharp red and blue checkerboard: its edges and colours are easy to measure.
QByteArray checkerboardPng()
{
    QImage image(320, 240, QImage::Format_RGB32);
    QPainter p(&image);
    for (int y = 0; y < 240; y += 20) {
        for (int x = 0; x < 320; x += 20)
            p.fillRect(x, y, 20, 20, ((x + y) / 20) % 2 ? Qt::red : Qt::blue);
    }
    p.end();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

/// The largest brightness step between neighbouring pixels (sharp edges: large).
int sharpness(const QImage &image)
{
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    int most = 0;
    for (int y = 0; y < grey.height(); ++y) {
        const uchar *line = grey.constScanLine(y);
        for (int x = 1; x < grey.width(); ++x)
            most = std::max(most, std::abs(int(line[x]) - int(line[x - 1])));
    }
    return most;
}

bool hasColour(const QImage &image)
{
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); y += 4) {
        for (int x = 0; x < rgb.width(); x += 4) {
            const QColor c = rgb.pixelColor(x, y);
            if (std::abs(c.red() - c.blue()) > 60)
                return true;
        }
    }
    return false;
}

} // namespace

class TstMediaStrip : public QObject {
    Q_OBJECT
    AdminHttp h;
    FakeHttpServer imageHost;
    Console::Session session;
    Account author, reporter;
    QString imagePostId, plainPostId;

private slots:
    void initTestCase()
    {
        h.extraSets << QStringLiteral("plugins.content.images=http");
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
        QVERIFY(imageHost.start());
        imageHost.route("GET /cat.png", 200, checkerboardPng(), "OK", "image/png");
        QVERIFY(Console::Test::signInAsAdmin(session, h));
        author = h.registerUser(QStringLiteral("media_author"));
        reporter = h.registerUser(QStringLiteral("media_reporter"));
        h.createCommunity(author, QStringLiteral("media"));
        imagePostId = h.createPost(author, QStringLiteral("media"), QStringLiteral("A picture"),
                                   QStringLiteral("Look: ![a picture](%1/cat.png)").arg(imageHost.url()))
                          .value("id").toString();
        plainPostId = h.createPost(author, QStringLiteral("media"), QStringLiteral("Only words"), QStringLiteral("No image."))
                          .value("id").toString();
        for (const QString &id : {imagePostId, plainPostId}) {
            const auto r = h.call("POST", QStringLiteral("/v1/reports"), reporter.token,
                                  h.json({{"targetType", "post"}, {"targetId", id}, {"reason", "other"}}));
            QVERIFY2(r.status == 201, r.body.constData());
            QVERIFY(!h.waitForQueueItem(id, 1).isEmpty());
        }
    }

    void noDiskCache()
    {
        QVERIFY(session.api()->network()->cache() == nullptr);
    }

    void blurredAndGreyByDefaultWithSeparateToggles()
    {
        Console::ReviewQueueScreen screen(&session);
        screen.resize(1400, 800);
        screen.show();
        QSignalSpy loaded(screen.model(), &Console::JsonTableModel::loaded);
        screen.reload();
        QVERIFY(loaded.wait(15'000));
        int imageRow = -1, plainRow = -1;
        for (int r = 0; r < screen.model()->rowCount(); ++r) {
            const QString target = screen.model()->item(r).value("target").toObject().value("id").toString();
            imageRow = target == imagePostId ? r : imageRow;
            plainRow = target == plainPostId ? r : plainRow;
        }
        QVERIFY(imageRow >= 0 && plainRow >= 0);
        QTableView *list = screen.list();
        list->setFocus();
        list->setCurrentIndex(screen.model()->index(imageRow, 0));
        Console::MediaStrip *media = screen.media();
        QTRY_COMPARE_WITH_TIMEOUT(media->imageCount(), 1, 15'000);
        QVERIFY(media->isVisible());

        // Default: both filters on — no colour, no sharp edge survives.
        QVERIFY(media->isBlurred());
        QVERIFY(media->isGreyscale());
        QImage shown = media->shown(0);
        QVERIFY(!shown.isNull());
        QVERIFY(shown.width() <= Console::MediaStrip::kThumbSide && shown.height() <= Console::MediaStrip::kThumbSide);
        QCOMPARE(shown.format(), QImage::Format_Grayscale8);
        QVERIFY(!hasColour(shown));
        const int blurredEdge = sharpness(shown);

        // m: the blur alone goes; the picture stays grey.
        QTest::keyClick(list, Qt::Key_M);
        QVERIFY(!media->isBlurred());
        QVERIFY(media->isGreyscale());
        shown = media->shown(0);
        QVERIFY(!hasColour(shown));
        QVERIFY2(sharpness(shown) > blurredEdge + 10, qPrintable(QStringLiteral("%1 vs %2").arg(sharpness(shown)).arg(blurredEdge)));

        // Shift+M: colour comes back (and m again blurs it, in colour).
        QTest::keyClick(list, Qt::Key_M, Qt::ShiftModifier);
        QVERIFY(!media->isGreyscale());
        QVERIFY(hasColour(media->shown(0)));
        QTest::keyClick(list, Qt::Key_M);
        QVERIFY(media->isBlurred());
        QVERIFY(!media->isGreyscale());
        QVERIFY(hasColour(media->shown(0)));
        QVERIFY(sharpness(media->shown(0)) <= blurredEdge + 10);

        // Another item, then back: filtered again from the start.
        list->setCurrentIndex(screen.model()->index(plainRow, 0));
        QTRY_VERIFY_WITH_TIMEOUT(!screen.context()->html().contains(QLatin1String("Loading")), 15'000);
        QCOMPARE(media->imageCount(), 0);
        QVERIFY(!media->isVisible());
        list->setCurrentIndex(screen.model()->index(imageRow, 0));
        QTRY_COMPARE_WITH_TIMEOUT(media->imageCount(), 1, 15'000);
        QVERIFY(media->isBlurred());
        QVERIFY(media->isGreyscale());

        // The image host is not the API: it never saw the console's token.
        QVERIFY(!imageHost.requests.isEmpty());
        for (const FakeRequest &r : std::as_const(imageHost.requests)) {
            QCOMPARE(r.path, QByteArray("/cat.png"));
            QVERIFY2(!r.headers.contains("authorization"), "the token went to a third-party host");
        }
    }

    void renderFilters()
    {
        QImage source;
        QVERIFY(source.loadFromData(checkerboardPng(), "PNG"));
        const QImage plain = Console::MediaStrip::render(source, false, false);
        QVERIFY(plain.width() <= Console::MediaStrip::kThumbSide);   // never full size
        QVERIFY(hasColour(plain));
        QVERIFY(sharpness(plain) > 20);
        const QImage blurred = Console::MediaStrip::render(source, true, false);
        QVERIFY(hasColour(blurred));
        QVERIFY2(sharpness(blurred) < sharpness(plain) / 2, qPrintable(QString::number(sharpness(blurred))));
        QCOMPARE(Console::MediaStrip::render(source, false, true).format(), QImage::Format_Grayscale8);
        QVERIFY(Console::MediaStrip::render(QImage(), true, true).isNull());
    }
};

QTEST_MAIN(TstMediaStrip)
#include "tst_mediastrip.moc"
