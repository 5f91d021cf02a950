// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// glib names a struct member `signals`, which Qt defines as a macro: libvips goes first.
#include <vips/vips.h>

#include "imageprocessor.h"

#include <QFile>

#include <mutex>

using namespace Community;

namespace Files {

namespace {

bool initVips()
{
    static std::once_flag once;
    static bool ok = false;
    std::call_once(once, [] {
        ok = vips_init("communityd") == 0;
        // Untrusted input: only the loaders we accept, no external programs or
        // "unfuzzed" loaders (libvips 8.13+ blocks those with this switch).
        vips_block_untrusted_set(TRUE);
        vips_cache_set_max(0);   // one-off images: nothing worth caching
    });
    return ok;
}

Error imageError(const QString &type, const QString &message, const QString &detail = {})
{
    Error e = Error::make(ErrorCode::InvalidArgument, message, detail);
    e.type = type;
    return e;
}

QString vipsError()
{
    const QString e = QString::fromUtf8(vips_error_buffer());
    vips_error_clear();
    return e;
}

/// Loads lazily (header now, pixels on demand), sequential access, failing on the first
/// decode error rather than returning a half-grey picture.
VipsImage *open(const QString &path)
{
    return vips_image_new_from_file(QFile::encodeName(path).constData(), "access", VIPS_ACCESS_SEQUENTIAL,
                                    "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
}

struct Unref {
    void operator()(void *p) const { if (p) g_object_unref(p); }
};
using ImagePtr = std::unique_ptr<VipsImage, Unref>;

int saveToBuffer(VipsImage *in, const QString &ext, void **buf, size_t *len)
{
    if (ext == QLatin1String("webp"))
        return vips_webpsave_buffer(in, buf, len, "strip", TRUE, "Q", 80, nullptr);
    if (ext == QLatin1String("png"))
        return vips_pngsave_buffer(in, buf, len, "strip", TRUE, nullptr);
    if (ext == QLatin1String("gif"))
        return vips_gifsave_buffer(in, buf, len, "strip", TRUE, nullptr);
    return vips_jpegsave_buffer(in, buf, len, "strip", TRUE, "Q", 85, "optimize_coding", TRUE, nullptr);
}

// libvips 8.14's webpsave ignores "strip" and writes an EXIF chunk of its own (resolution,
// orientation): the metadata chunks are dropped from the RIFF container afterwards.
QByteArray dropWebpMetadata(const QByteArray &webp)
{
    if (webp.size() < 12 || !webp.startsWith("RIFF") || webp.mid(8, 4) != "WEBP")
        return webp;
    QByteArray out = webp.left(12);
    qsizetype pos = 12;
    while (pos + 8 <= webp.size()) {
        const QByteArray tag = webp.mid(pos, 4);
        const auto *p = reinterpret_cast<const uchar *>(webp.constData() + pos + 4);
        const qsizetype len = qsizetype(p[0] | (p[1] << 8) | (p[2] << 16) | (quint32(p[3]) << 24));
        const qsizetype total = 8 + len + (len & 1);
        if (pos + total > webp.size())
            return webp;   // malformed: leave it (libvips wrote it; never expected)
        if (tag != "EXIF" && tag != "XMP " && tag != "ICCP") {
            QByteArray chunk = webp.mid(pos, total);
            if (tag == "VP8X" && chunk.size() > 8)
                chunk[8] = char(uchar(chunk[8]) & ~(0x20 | 0x08 | 0x04));   // ICC, EXIF, XMP flags
            out += chunk;
        }
        pos += total;
    }
    const quint32 riff = quint32(out.size() - 8);
    for (int i = 0; i < 4; ++i)
        out[4 + i] = char((riff >> (8 * i)) & 0xff);
    return out;
}

Result<QByteArray> encode(VipsImage *image, const QString &ext)
{
    void *buf = nullptr;
    size_t len = 0;
    if (saveToBuffer(image, ext, &buf, &len) != 0)
        return tl::unexpected(imageError(QStringLiteral("truncated-file"),
                                         QStringLiteral("The image could not be decoded."), vipsError()));
    QByteArray out(static_cast<const char *>(buf), qsizetype(len));
    g_free(buf);
    return ext == QLatin1String("webp") ? dropWebpMetadata(out) : out;
}

} // namespace

Result<ImageInfo> probeImage(const QString &path, const ImageLimits &limits)
{
    if (!initVips())
        return fail(ErrorCode::Internal, QStringLiteral("Images cannot be processed."), QStringLiteral("vips_init failed"));
    ImagePtr img(open(path));
    if (!img)
        return tl::unexpected(imageError(QStringLiteral("truncated-file"), QStringLiteral("The image could not be read."),
                                         vipsError()));
    ImageInfo info{vips_image_get_width(img.get()), vips_image_get_height(img.get()), vips_image_get_n_pages(img.get())};
    if (info.width > limits.maxDimension || info.height > limits.maxDimension
        || qint64(info.width) * info.height * qMax(1, info.pages) > limits.maxPixels)
        return tl::unexpected(imageError(QStringLiteral("image-too-large"),
                                         QStringLiteral("The image is %1 x %2 pixels; at most %3 pixels and %4 per side are accepted.")
                                             .arg(info.width).arg(info.height).arg(limits.maxPixels).arg(limits.maxDimension)));
    if (info.pages > 1)
        return tl::unexpected(imageError(QStringLiteral("animated-image-refused"),
                                         QStringLiteral("Animated images are not accepted; upload a still image.")));
    return info;
}

Result<void> writeStripped(const QString &path, const QString &extension, const QString &target)
{
    if (!initVips())
        return fail(ErrorCode::Internal, QStringLiteral("Images cannot be processed."), QStringLiteral("vips_init failed"));
    ImagePtr img(open(path));
    VipsImage *rotated = nullptr;
    if (!img || vips_autorot(img.get(), &rotated, nullptr) != 0)
        return tl::unexpected(imageError(QStringLiteral("truncated-file"), QStringLiteral("The image could not be decoded."),
                                         vipsError()));
    ImagePtr out(rotated);
    auto bytes = encode(out.get(), extension);
    if (!bytes)
        return tl::unexpected(bytes.error());
    QFile f(target);
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly) || f.write(*bytes) != bytes->size())
        return fail(ErrorCode::Internal, QStringLiteral("The image could not be stored."), f.errorString());
    return {};
}

Result<QByteArray> makeVariant(const QString &path, int size, const QString &extension)
{
    if (!initVips())
        return fail(ErrorCode::Internal, QStringLiteral("Images cannot be processed."), QStringLiteral("vips_init failed"));
    VipsImage *thumb = nullptr;
    // vips_thumbnail applies the EXIF orientation and shrinks on load where the format
    // allows (JPEG DCT scaling, WebP), so a large photo is never decoded at full size.
    if (vips_thumbnail(QFile::encodeName(path).constData(), &thumb, size, "height", size, "size", VIPS_SIZE_DOWN,
                       "fail_on", VIPS_FAIL_ON_ERROR, nullptr) != 0)
        return tl::unexpected(imageError(QStringLiteral("truncated-file"), QStringLiteral("The image could not be decoded."),
                                         vipsError()));
    ImagePtr out(thumb);
    return encode(out.get(), extension);
}

} // namespace Files
