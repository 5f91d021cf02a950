// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "filespolicy.h"

#include "sniffer.h"

#include "community/config.h"

using namespace Community;

namespace Files {

namespace {

const QStringList kImages{QStringLiteral("image/jpeg"), QStringLiteral("image/png"), QStringLiteral("image/gif"),
                          QStringLiteral("image/webp")};

Error typeError(const QString &type, const QString &message)
{
    Error e = Error::make(ErrorCode::InvalidArgument, message);
    e.type = type;
    return e;
}

Result<PurposePolicy> readPurpose(ConfigReader &parent, const QString &name, const QStringList &types,
                                  qint64 maxBytes, bool isPublic)
{
    ConfigReader r = parent.child(name);
    PurposePolicy p;
    p.name = name;
    p.mediaTypes = r.stringList(QStringLiteral("mediaTypes"), types);
    p.maxBytes = r.integer(QStringLiteral("maxBytes"), maxBytes, 1, qint64(1) << 40);
    p.isPublic = r.boolean(QStringLiteral("public"), isPublic);
    if (auto f = r.finish(); !f)
        return tl::unexpected(f.error());
    return p;
}

} // namespace

qint64 FilesConfig::largestLimit() const
{
    qint64 m = 0;
    for (const PurposePolicy &p : purposes)
        m = qMax(m, p.maxBytes);
    return m;
}

Result<FilesConfig> readFilesConfig(const QJsonObject &object, const QString &path, const QString &dataDir)
{
    ConfigReader r(object, path);
    FilesConfig c;
    ConfigReader purposes = r.child(QStringLiteral("purposes"));
    const QStringList attachmentTypes = kImages + QStringList{QStringLiteral("application/pdf"),
                                                               QStringLiteral("text/plain"),
                                                               QStringLiteral("application/zip")};
    const QList<Result<PurposePolicy>> all{
        readPurpose(purposes, QStringLiteral("avatar"), kImages, 2 * 1024 * 1024, true),
        readPurpose(purposes, QStringLiteral("post_image"), kImages, 16 * 1024 * 1024, true),
        readPurpose(purposes, QStringLiteral("attachment"), attachmentTypes, 100 * 1024 * 1024, false),
    };
    for (const Result<PurposePolicy> &p : all) {
        if (!p)
            return tl::unexpected(p.error());
        c.purposes.insert(p->name, *p);
    }
    if (auto f = purposes.finish(); !f)
        return tl::unexpected(f.error());
    c.quotaBytes = r.integer(QStringLiteral("quotaBytes"), c.quotaBytes, 0, qint64(1) << 50);
    c.gcGraceSeconds = r.integer(QStringLiteral("gcGraceSeconds"), c.gcGraceSeconds, 0, 365LL * 24 * 3600);
    c.maxSignedTtlSeconds = r.integer(QStringLiteral("maxSignedTtlSeconds"), c.maxSignedTtlSeconds, 1, 365LL * 24 * 3600);
    c.imageLimits.maxPixels = r.integer(QStringLiteral("maxImagePixels"), c.imageLimits.maxPixels, 1, qint64(1) << 40);
    c.imageLimits.maxDimension = int(r.integer(QStringLiteral("maxImageDimension"), c.imageLimits.maxDimension, 1, 1 << 20));
    c.storageDir = r.string(QStringLiteral("storageDir"), dataDir + QStringLiteral("/files"));
    {
        ConfigReader t = r.child(QStringLiteral("tus"));
        c.tus.expirySeconds = t.integer(QStringLiteral("expirySeconds"), c.tus.expirySeconds, 1, 30LL * 24 * 3600);
        c.tus.sweepSeconds = t.integer(QStringLiteral("sweepSeconds"), c.tus.sweepSeconds, 1, 24 * 3600);
        c.tus.maxUploadsPerUser = int(t.integer(QStringLiteral("maxUploadsPerUser"), c.tus.maxUploadsPerUser, 1, 10000));
        if (auto f = t.finish(); !f)
            return tl::unexpected(f.error());
    }
    for (const QString &k : r.stringList(QStringLiteral("signingKeys"))) {
        const qsizetype colon = k.indexOf(QLatin1Char(':'));
        if (colon <= 0 || k.size() - colon - 1 < 16)
            return fail(ErrorCode::Config, QStringLiteral("%1.signingKeys: each key is \"id:secret\" with a secret of "
                                                          "at least 16 characters").arg(path));
        c.signingKeys.append({k.left(colon), k.mid(colon + 1).toUtf8()});
    }
    ConfigReader scan = r.child(QStringLiteral("scan"));
    auto scanConfig = readScanConfig(scan);
    if (!scanConfig)
        return tl::unexpected(scanConfig.error());
    c.scan = *scanConfig;
    c.storage = r.string(QStringLiteral("storage"), c.storage);
    if (c.storage == QLatin1String("s3")) {
        ConfigReader s3 = r.child(QStringLiteral("s3"));
        auto s3config = readS3Config(s3);
        if (!s3config)
            return tl::unexpected(s3config.error());
        c.s3 = *s3config;
    } else if (c.storage == QLatin1String("local")) {
        r.accept(QStringLiteral("s3"));   // a prepared s3 section may stay while storage is local
    } else {
        return fail(ErrorCode::Config, QStringLiteral("%1.storage: \"local\" or \"s3\"").arg(path));
    }
    if (auto f = r.finish(); !f)
        return tl::unexpected(f.error());
    return c;
}

Result<QString> checkFileName(const QString &raw)
{
    const QString name = raw.isEmpty() ? QStringLiteral("file") : raw;
    auto bad = [](const QString &message, const QString &code) {
        return tl::unexpected(invalidField(QStringLiteral("name"), message, code));
    };
    if (name.size() > 255)
        return bad(QStringLiteral("The file name is longer than 255 characters."), QStringLiteral("too_long"));
    if (name == QLatin1String(".") || name == QLatin1String("..") || name.contains(QLatin1Char('/'))
        || name.contains(QLatin1Char('\\')))
        return bad(QStringLiteral("The file name must not contain a path."), QStringLiteral("path_in_name"));
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format
            || c.category() == QChar::Other_Surrogate)
            return bad(QStringLiteral("The file name contains control characters."), QStringLiteral("invalid_characters"));
    }
    return name;
}

Result<void> checkMediaType(const PurposePolicy &purpose, const QString &sniffed, const QString &declared,
                            const QString &name)
{
    if (sniffed == QLatin1String("image/svg+xml") || sniffed == QLatin1String("image/svg"))
        return tl::unexpected(typeError(QStringLiteral("svg-refused"),
                                        QStringLiteral("SVG files are refused: they can carry scripts.")));
    if (!purpose.mediaTypes.contains(sniffed))
        return tl::unexpected(typeError(QStringLiteral("unsupported-file-type"),
                                        QStringLiteral("A %1 cannot be %2 (allowed: %3).")
                                            .arg(purpose.name, sniffed, purpose.mediaTypes.join(QStringLiteral(", ")))));
    const QString d = declared.section(QLatin1Char(';'), 0, 0).trimmed().toLower();
    if (!d.isEmpty() && d != QLatin1String("application/octet-stream") && d != sniffed)
        return tl::unexpected(typeError(QStringLiteral("type-mismatch"),
                                        QStringLiteral("The content is %1, not %2 as declared.").arg(sniffed, d)));
    const QString byName = mediaTypeForName(name);
    if (!byName.isEmpty() && byName != sniffed)
        return tl::unexpected(typeError(QStringLiteral("type-mismatch"),
                                        QStringLiteral("The content is %1, which the name's extension contradicts.")
                                            .arg(sniffed)));
    return {};
}

} // namespace Files
