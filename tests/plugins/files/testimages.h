// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Real image bytes for the files tests, encoded by Qt's own writers (JPEG, PNG, GIF), and
// the hostile inputs built from them: polyglots, truncations, SVG, a ZIP end record.

#include <QBuffer>
#include <QByteArray>
#include <QColor>
#include <QImage>
#include <QPainter>

namespace Files::Test {

inline QByteArray encodedImage(const char *format, int w = 64, int h = 48)
{
    QImage img(w, h, QImage::Format_RGB32);
    img.fill(QColor(30, 120, 200));
    QPainter p(&img);
    p.fillRect(0, 0, w / 2, h / 2, QColor(220, 40, 40));
    p.end();
    QByteArray out;
    QBuffer buf(&out);
    buf.open(QIODevice::WriteOnly);
    img.save(&buf, format);
    return out;
}

inline QByteArray jpeg(int w = 64, int h = 48) { return encodedImage("JPEG", w, h); }
inline QByteArray png(int w = 64, int h = 48) { return encodedImage("PNG", w, h); }
/// A 1x1 GIF89a (Qt reads GIF but does not write it).
inline QByteArray gif()
{
    return QByteArray("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
                      ",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02" "D\x01\x00;", 43);
}

inline QByteArray svg()
{
    return "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
           "<script>alert(1)</script><rect width=\"10\" height=\"10\"/></svg>\n";
}

/// A valid PNG header claiming 30000 x 30000 pixels, 69 bytes in all: a decompression bomb
/// as far as any decoder that trusts the header is concerned.
inline QByteArray pixelBombPng()
{
    return QByteArray::fromHex("89504e470d0a1a0a0000000d49484452000075300000753001000000004e5cc5170000000c49444154789c6360a00c000000400001b7347cef0000000049454e44ae426082");
}

/// A GIF with two 1x1 frames (an animation).
inline QByteArray animatedGif()
{
    return QByteArray::fromHex("47494638396101000100800000ffffff00000021ff0b4e45545343415045322e30030100000021f904000a0000002c000000000100010000020244010021f904000a0000002c00000000010001000002024401003b");
}

/// A ZIP archive holding one stored file "a.txt" ("hi").
inline QByteArray zip()
{
    auto le16 = [](QByteArray &b, quint16 v) { b.append(char(v & 0xff)).append(char(v >> 8)); };
    auto le32 = [&](QByteArray &b, quint32 v) { le16(b, quint16(v & 0xffff)); le16(b, quint16(v >> 16)); };
    const quint32 crc = 0xd8932aac;   // crc32("hi")
    QByteArray z("PK\x03\x04", 4);
    le16(z, 10); le16(z, 0); le16(z, 0); le16(z, 0); le16(z, 0);
    le32(z, crc); le32(z, 2); le32(z, 2); le16(z, 5); le16(z, 0);
    z += "a.txthi";
    const quint32 cdOffset = quint32(z.size());
    QByteArray cd("PK\x01\x02", 4);
    le16(cd, 20); le16(cd, 10); le16(cd, 0); le16(cd, 0); le16(cd, 0); le16(cd, 0);
    le32(cd, crc); le32(cd, 2); le32(cd, 2); le16(cd, 5); le16(cd, 0); le16(cd, 0); le16(cd, 0); le16(cd, 0);
    le32(cd, 0); le32(cd, 0);
    cd += "a.txt";
    z += cd;
    QByteArray end("PK\x05\x06", 4);
    le16(end, 0); le16(end, 0); le16(end, 1); le16(end, 1); le32(end, quint32(cd.size())); le32(end, cdOffset); le16(end, 0);
    return z + end;
}

} // namespace Files::Test
