// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The files plugin's configuration (plugins.files) and the rules an upload must pass:
/// per-purpose allowlists of sniffed media types and size limits, names, quotas.
/// Threading: values; the checks are pure functions.

#include "imageprocessor.h"
#include "scanner.h"
#include "s3config.h"

#include "community/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Files {

struct PurposePolicy {
    QString name;              ///< "avatar", "post_image", "attachment"
    QStringList mediaTypes;    ///< sniffed types accepted
    qint64 maxBytes = 0;
    bool isPublic = true;      ///< downloadable by anyone; else owner, admin or signed URL
};

struct SigningKey {
    QString id;
    QByteArray secret;
};

/// Resumable uploads (plugins.files.tus, docs/adr/0029).
struct TusConfig {
    qint64 expirySeconds = 24 * 3600;   ///< an upload not extended for this long is removed
    qint64 sweepSeconds = 300;          ///< how often expired uploads are swept
    int maxUploadsPerUser = 20;         ///< unfinished uploads a user may hold at once
};

struct FilesConfig {
    QHash<QString, PurposePolicy> purposes;
    qint64 quotaBytes = 1024LL * 1024 * 1024;   ///< per user, sum of their live files
    qint64 gcGraceSeconds = 24 * 3600;          ///< unreferenced blobs older than this go
    qint64 maxSignedTtlSeconds = 7 * 24 * 3600;
    QList<SigningKey> signingKeys;              ///< first signs, all verify (rotation)
    QString storageDir;                         ///< default <dataDir>/files
    ImageLimits imageLimits;                    ///< decompression-bomb limits (header)
    ScanConfig scan;                            ///< the scanning hook (plugins.files.scan; off by default)
    TusConfig tus;                              ///< resumable uploads (plugins.files.tus)
    QString storage = QStringLiteral("local");  ///< "local" (storageDir) or "s3" (ADR 0030)
    S3Config s3;                                ///< when storage is "s3"

    qint64 largestLimit() const;
};

/// Reads plugins.files; unknown keys and bad values are errors naming their path.
/// `dataDir` is the daemon's data directory (for the default storage folder).
Community::Result<FilesConfig> readFilesConfig(const QJsonObject &object, const QString &path,
                                               const QString &dataDir);

/// A file name as the client gave it, checked: 1-255 characters, no path separators, no
/// "." or "..", no control characters. Empty names become "file".
Community::Result<QString> checkFileName(const QString &name);

/// The sniffed type against the purpose's allowlist, the client's Content-Type (when it
/// names a type other than application/octet-stream) and the name's extension. Errors
/// carry the problem type: "svg-refused", "unsupported-file-type", "type-mismatch".
Community::Result<void> checkMediaType(const PurposePolicy &purpose, const QString &sniffed,
                                       const QString &declared, const QString &name);

} // namespace Files
