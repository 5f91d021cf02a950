// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "filesservice.h"

#include "imageprocessor.h"
#include "sniffer.h"

#include "community/contracts/events/files.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/http.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QThread>

#include <optional>

using namespace Community;

namespace Files {

namespace FilesEvents = Community::Contracts::Events::Files;

namespace {

Error typed(ErrorCode code, const QString &type, const QString &message)
{
    Error e = Error::make(code, message);
    e.type = type;
    return e;
}

} // namespace

QString contentPath(qint64 id)
{
    return QStringLiteral("/v1/files/%1/content").arg(id);
}

FilesService::FilesService(Db::Database &db, IBlobStore &store, FilesConfig config)
    : m_db(db), m_store(store), m_config(std::move(config)), m_signer(m_config.signingKeys)
{
}

Error FilesService::rejected(Error e)
{
    if (m_onReject)
        m_onReject(e.type.isEmpty() ? (e.fields.isEmpty() ? QStringLiteral("other") : e.fields.first().code) : e.type);
    return e;
}

Result<void> FilesService::checkContent(const PurposePolicy &purpose, const UploadInput &input, QString *mediaType)
{
    const QString path = input.body->path();
    auto sniffed = sniffMediaType(path);
    if (!sniffed)
        return tl::unexpected(sniffed.error());
    if (auto ok = checkMediaType(purpose, *sniffed, input.declaredType, input.name); !ok)
        return tl::unexpected(rejected(ok.error()));
    const QString why = polyglotReason(path, *sniffed);
    if (why == QLatin1String("truncated"))
        return tl::unexpected(rejected(typed(ErrorCode::InvalidArgument, QStringLiteral("truncated-file"),
                                             QStringLiteral("The %1 is truncated or malformed.").arg(*sniffed))));
    if (!why.isEmpty())
        return tl::unexpected(rejected(typed(ErrorCode::InvalidArgument, QStringLiteral("polyglot-file"),
                                             QStringLiteral("The file is not only a %1 (%2).").arg(*sniffed, why))));
    *mediaType = *sniffed;
    return {};
}

Result<UploadResult> FilesService::upload(const UploadInput &input)
{
    m_counters.uploadsInFlight.fetch_add(1);
    struct Done { std::atomic<qint64> &n; ~Done() { n.fetch_sub(1); } } done{m_counters.uploadsInFlight};

    const auto purpose = m_config.purposes.constFind(input.purpose);
    if (purpose == m_config.purposes.constEnd())
        return tl::unexpected(rejected(invalidField(QStringLiteral("purpose"),
                                                    QStringLiteral("Use avatar, post_image or attachment."),
                                                    QStringLiteral("invalid_value"))));
    auto name = checkFileName(input.name);
    if (!name)
        return tl::unexpected(rejected(name.error()));
    if (!input.body || input.body->size() == 0)
        return tl::unexpected(rejected(typed(ErrorCode::InvalidArgument, QStringLiteral("empty-file"),
                                             QStringLiteral("The upload is empty."))));
    if (input.body->size() > purpose->maxBytes)   // the stream limit normally caught it already
        return tl::unexpected(rejected(typed(ErrorCode::PayloadTooLarge, QStringLiteral("payload-too-large"),
                                             QStringLiteral("A %1 may be at most %2 bytes.").arg(purpose->name).arg(purpose->maxBytes))));
    QString mediaType;
    if (auto ok = checkContent(*purpose, input, &mediaType); !ok)
        return tl::unexpected(ok.error());
    UploadInput checked = input;
    checked.name = *name;
    if (mediaType.startsWith(QLatin1String("image/"))) {
        auto clean = checkImage(*purpose, input, mediaType);
        if (!clean)
            return tl::unexpected(clean.error());
        checked.body = *clean;
    }
    auto sha = sha256OfFile(checked.body->path());
    if (!sha)
        return tl::unexpected(sha.error());
    return store(checked, mediaType, *sha);
}

// Bombs and animations are refused from the header; public images are stored re-encoded,
// orientation applied and metadata (EXIF, GPS, XMP, ICC) gone. Private attachments stay
// byte-exact: they are the user's file, shown to those they share it with.
Result<std::shared_ptr<Http::SpooledBody>> FilesService::checkImage(const PurposePolicy &purpose,
                                                                   const UploadInput &input, const QString &mediaType)
{
    auto info = probeImage(input.body->path(), m_config.imageLimits);
    if (!info)
        return tl::unexpected(info.error().code == ErrorCode::Internal ? info.error() : rejected(info.error()));
    if (!purpose.isPublic)
        return input.body;
    const QString target = input.body->path() + QStringLiteral(".clean");
    auto clean = std::make_shared<Http::SpooledBody>(target, 0);   // removed with it unless stored
    if (auto r = writeStripped(input.body->path(), extensionFor(mediaType), target); !r)
        return tl::unexpected(r.error().code == ErrorCode::Internal ? r.error() : rejected(r.error()));
    clean->setSize(QFileInfo(target).size());
    return clean;
}

Result<QByteArray> FilesService::variant(const FileRecord &file, const QString &name)
{
    static const QHash<QString, int> sizes{{QStringLiteral("thumb"), 256}, {QStringLiteral("preview"), 1024}};
    const QString kind = name.section(QLatin1Char('.'), 0, 0);
    const QString ext = name.section(QLatin1Char('.'), 1);
    if (!sizes.contains(kind) || (ext != QLatin1String("jpg") && ext != QLatin1String("webp"))
        || !file.mediaType.startsWith(QLatin1String("image/")))
        return tl::unexpected(notFound(QStringLiteral("No such variant.")));
    const QString dir = QStringLiteral("%1/variants/%2").arg(m_config.storageDir, QLatin1String(file.sha256));
    QFile cached(dir + QLatin1Char('/') + name);
    if (cached.open(QIODevice::ReadOnly))
        return cached.readAll();
    QString source = m_store.localPath(file.sha256);
    std::optional<Http::SpooledBody> fetched;   // a remote store's blob, on this node's disk while libvips reads it
    if (source.isEmpty()) {
        if (!QDir().mkpath(dir))
            return tl::unexpected(Error::make(ErrorCode::Internal, QStringLiteral("The variant could not be made."), dir));
        source = dir + QStringLiteral("/.source.%1.tmp").arg(quintptr(QThread::currentThreadId()));
        fetched.emplace(source, 0);
        if (auto r = m_store.copyTo(file.sha256, source); !r)
            return tl::unexpected(r.error());
    }
    auto bytes = makeVariant(source, sizes.value(kind), ext);
    fetched.reset();
    if (!bytes)
        return tl::unexpected(bytes.error());
    m_counters.variantsGenerated.fetch_add(1);
    // Written aside and renamed: a concurrent request reads the whole variant or none.
    QFile tmp(cached.fileName() + QStringLiteral(".%1.tmp").arg(quintptr(QThread::currentThreadId())));
    if (QDir().mkpath(dir) && tmp.open(QIODevice::WriteOnly) && tmp.write(*bytes) == bytes->size()) {
        tmp.close();
        QFile::remove(cached.fileName());
        if (tmp.rename(cached.fileName()))
            return bytes;   // (tmp now names the cached file)
    }
    tmp.remove();
    return bytes;
}

Result<UploadResult> FilesService::store(const UploadInput &input, const QString &mediaType, const QByteArray &sha)
{
    const qint64 size = input.body->size();
    bool placedBlob = false;
    auto result = m_db.transact<UploadResult>([&](pqxx::work &tx) -> Result<UploadResult> {
        FilesRepository repo(tx);
        repo.lockOwner(input.ownerId);
        if (repo.usedBytes(input.ownerId) + size > m_config.quotaBytes)
            return tl::unexpected(rejected(typed(ErrorCode::PayloadTooLarge, QStringLiteral("quota-exceeded"),
                                                 QStringLiteral("This upload would exceed your storage quota of %1 bytes.")
                                                     .arg(m_config.quotaBytes))));
        // The blob row is locked from here to commit, so garbage collection cannot remove
        // the blob between placing it and committing the reference.
        repo.referenceBlob(sha, size, mediaType);
        auto placed = m_store.put(sha, input.body->path());
        if (!placed)
            return tl::unexpected(placed.error());
        if (*placed) {
            input.body->release();
            placedBlob = true;
        }
        FileRecord f;
        f.ownerId = input.ownerId;
        f.sha256 = sha;
        f.purpose = input.purpose;
        f.name = input.name;
        f.mediaType = mediaType;
        f.size = size;
        UploadResult out{repo.insertFile(f), !*placed};
        if (m_events) {
            const FilesEvents::UploadStored stored{out.file.id, out.file.ownerId, out.file.mediaType, out.file.size};
            if (auto id = Community::Events::publishEvent(*m_events, tx, stored); !id)
                return tl::unexpected(id.error());
        }
        return out;
    });
    if (!result && placedBlob)
        keepForCollection(sha, size, mediaType);
    return result;
}

// The blob was placed but the reference did not commit: a zero-reference row hands it to
// garbage collection (after the grace period), which is safe against a concurrent upload
// of the same content (it re-references the row). Removing the blob here instead could
// race with such an upload that found it placed. If even this row cannot be written
// (database gone), `files verify` lists the blob as an orphan.
void FilesService::keepForCollection(const QByteArray &sha, qint64 size, const QString &mediaType)
{
    auto kept = m_db.transact<bool>([&](pqxx::work &tx) -> Result<bool> {
        return FilesRepository(tx).recordUnreferencedBlob(sha, size, mediaType);
    });
    if (!kept)
        qWarning("files: blob %s placed by a failed upload is not recorded for garbage collection: %s",
                 sha.constData(), qPrintable(kept.error().logDetail.isEmpty() ? kept.error().message : kept.error().logDetail));
}

Result<FileRecord> FilesService::readable(qint64 id, const Principal &viewer, const QString &path, const QUrlQuery &query)
{
    auto f = m_db.read<std::optional<FileRecord>>(
        [id](pqxx::nontransaction &tx) -> Result<std::optional<FileRecord>> { return FilesRepository(tx).file(id); });
    if (!f)
        return tl::unexpected(f.error());
    if (!*f)
        return tl::unexpected(notFound(QStringLiteral("No such file.")));
    const FileRecord &file = **f;
    switch (m_signer.verify(path, query, QDateTime::currentSecsSinceEpoch())) {
    case UrlSigner::Check::Valid:
        return file;
    case UrlSigner::Check::Expired:
        return tl::unexpected(typed(ErrorCode::Forbidden, QStringLiteral("signature-expired"),
                                    QStringLiteral("This signed link has expired.")));
    case UrlSigner::Check::Invalid:
        return tl::unexpected(typed(ErrorCode::Forbidden, QStringLiteral("signature-invalid"),
                                    QStringLiteral("This signed link is not valid.")));
    case UrlSigner::Check::Absent:
        break;
    }
    const PurposePolicy policy = m_config.purposes.value(file.purpose);
    if (policy.isPublic || (!viewer.isAnonymous() && (viewer.userId == file.ownerId || viewer.hasRole(Role::Admin))))
        return file;
    return tl::unexpected(notFound(QStringLiteral("No such file.")));   // private files are not confirmed to exist
}

Result<FileRecord> FilesService::remove(qint64 id, const Principal &viewer)
{
    return m_db.transact<FileRecord>([&](pqxx::work &tx) -> Result<FileRecord> {
        FilesRepository repo(tx);
        const auto f = repo.lockFile(id);
        if (!f || (f->ownerId != viewer.userId && !viewer.hasRole(Role::Admin)))
            return tl::unexpected(notFound(QStringLiteral("No such file.")));
        // Locked first, counted second: a reference being added waits for this row.
        if (repo.referenceCount(id) > 0)
            return tl::unexpected(typed(ErrorCode::Conflict, QStringLiteral("file-in-use"),
                                        QStringLiteral("This file is attached to a message; delete the message first.")));
        return *repo.deleteFile(id);
    });
}

Result<QString> FilesService::signedUrl(qint64 id, const Principal &viewer, qint64 ttlSeconds)
{
    auto f = readable(id, viewer, {}, {});
    if (!f)
        return tl::unexpected(f.error());
    const qint64 ttl = qBound<qint64>(1, ttlSeconds, m_config.maxSignedTtlSeconds);
    const QString path = contentPath(id);
    return path + QLatin1Char('?') + m_signer.sign(path, QDateTime::currentSecsSinceEpoch() + ttl);
}

QString FilesService::signPath(qint64 id, qint64 ttlSeconds) const
{
    const qint64 ttl = qBound<qint64>(1, ttlSeconds, m_config.maxSignedTtlSeconds);
    const QString path = contentPath(id);
    return path + QLatin1Char('?') + m_signer.sign(path, QDateTime::currentSecsSinceEpoch() + ttl);
}

Result<qint64> FilesService::usedBytes(qint64 ownerId)
{
    return m_db.read<qint64>(
        [ownerId](pqxx::nontransaction &tx) -> Result<qint64> { return FilesRepository(tx).usedBytes(ownerId); });
}

Result<GcReport> FilesService::collectGarbage(bool dryRun)
{
    GcReport report;
    report.dryRun = dryRun;
    for (;;) {
        // Rows and blobs go together, batch by batch: the row lock (DELETE) is held
        // while the blob is removed, so an upload of the same content waits and then
        // stores it anew.
        auto batch = m_db.transact<QList<QByteArray>>([&](pqxx::work &tx) -> Result<QList<QByteArray>> {
            const QList<QByteArray> names = FilesRepository(tx).collectGarbage(m_config.gcGraceSeconds, 100, dryRun);
            if (!dryRun) {
                for (const QByteArray &sha : names) {
                    if (auto r = m_store.remove(sha); !r)
                        return tl::unexpected(r.error());
                }
            }
            return names;
        });
        if (!batch)
            return tl::unexpected(batch.error());
        report.removed += *batch;
        if (dryRun || batch->size() < 100)
            return report;
    }
}

Result<VerifyReport> FilesService::verify()
{
    auto rows = m_db.read<QList<QByteArray>>(
        [](pqxx::nontransaction &tx) -> Result<QList<QByteArray>> { return FilesRepository(tx).allBlobs(); });
    if (!rows)
        return tl::unexpected(rows.error());
    auto stored = m_store.list();
    if (!stored)
        return tl::unexpected(stored.error());
    const QSet<QByteArray> inDb(rows->cbegin(), rows->cend());
    const QSet<QByteArray> onDisk(stored->cbegin(), stored->cend());
    VerifyReport report;
    for (const QByteArray &sha : *rows)
        if (!onDisk.contains(sha))
            report.missing.append(sha);
    for (const QByteArray &sha : *stored)
        if (!inDb.contains(sha))
            report.orphans.append(sha);
    return report;
}

Result<BlobStats> FilesService::stats()
{
    return m_db.read<BlobStats>([](pqxx::nontransaction &tx) -> Result<BlobStats> { return FilesRepository(tx).stats(); });
}

} // namespace Files
