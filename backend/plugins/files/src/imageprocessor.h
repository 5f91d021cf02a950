// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Images with libvips: header checks against decompression bombs (pixel count and
/// dimensions from the header, before anything is decoded), originals re-encoded with
/// EXIF orientation applied and every metadata block (EXIF, GPS, XMP, IPTC, ICC) dropped,
/// and resized variants (JPEG, WebP). Blocking and CPU-heavy: call from workers only.
/// Threading: libvips is thread-safe after vips_init (done once, on first use).

#include "community/result.h"

#include <QByteArray>
#include <QString>

namespace Files {

struct ImageLimits {
    qint64 maxPixels = 50'000'000;   ///< width x height x frames
    int maxDimension = 16'384;
};

struct ImageInfo {
    int width = 0;
    int height = 0;
    int pages = 1;                   ///< frames of an animation
};

/// Reads the header only. Errors: "image-too-large" (bomb), "animated-image-refused",
/// "truncated-file" (libvips cannot read it).
Community::Result<ImageInfo> probeImage(const QString &path, const ImageLimits &limits);

/// Writes `path` re-encoded in its own format (`extension`: jpg, png, webp, gif) to
/// `target`, orientation applied and metadata stripped.
Community::Result<void> writeStripped(const QString &path, const QString &extension, const QString &target);

/// A variant no larger than `size` x `size` (never enlarged), orientation applied,
/// metadata stripped, encoded as `extension` ("jpg" or "webp").
Community::Result<QByteArray> makeVariant(const QString &path, int size, const QString &extension);

} // namespace Files
