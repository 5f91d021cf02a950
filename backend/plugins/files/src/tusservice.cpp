// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "tusservice.h"

#include "filesrepository.h"

#include "community/database.h"
#include "community/http.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>
#include <QSet>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

using namespace Community;

namespace Files {

namespace {

Error typed(ErrorCode code, const QString &type, const QString &message)
{
    Error e = Error::make(code, message);
    e.type = type;
    return e;
}

bool mayAccess(const TusUpload &u, const Principal &who)
{
    return !who.isAnonymous() && (who.userId == u.ownerId || who.hasRole(Role::Admin));
}

std::optional<QCryptographicHash::Algorithm> algorithmOf(const QByteArray &name)
{
    if (name == "sha1")
        return QCryptographicHash::Sha1;
    if (name == "sha256")
        return QCryptographicHash::Sha256;
    return std::nullopt;
}

/// Copies `from` to the end of the partial file after cutting it back to `offset` (bytes
/// past the committed offset are those of an append whose transaction did not commit).
/// 64 KiB at a time; fdatasync before the offset is committed.
Result<void> appendAt(const QString &partPath, qint64 offset, const QString &from)
{
    const QByteArray path = QFile::encodeName(partPath);
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(ErrorCode::Internal, QStringLiteral("The upload could not be stored."),
                    QStringLiteral("open %1: %2").arg(partPath, QString::fromLocal8Bit(strerror(errno))));
    struct Closer { int fd; ~Closer() { ::close(fd); } } closer{fd};
    const off_t have = ::lseek(fd, 0, SEEK_END);
    if (have < offset)
        return fail(ErrorCode::Internal, QStringLiteral("The upload's data is incomplete; start it again."),
                    QStringLiteral("%1 has %2 bytes, the row says %3").arg(partPath).arg(qint64(have)).arg(offset));
    if (::ftruncate(fd, offset) != 0 || ::lseek(fd, offset, SEEK_SET) != offset)
        return fail(ErrorCode::Internal, QStringLiteral("The upload could not be stored."), QStringLiteral("truncate %1").arg(partPath));
    if (from.isEmpty())
        return {};
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Internal, QStringLiteral("The upload could not be stored."), QStringLiteral("open %1").arg(from));
    QByteArray buf(64 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 n = in.read(buf.data(), buf.size());
        if (n < 0)
            return fail(ErrorCode::Internal, QStringLiteral("The upload could not be stored."), QStringLiteral("read %1").arg(from));
        if (n == 0)
            break;
        for (qint64 done = 0; done < n;) {
            const ssize_t w = ::write(fd, buf.constData() + done, size_t(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                Error e = Error::make(ErrorCode::Unavailable, QStringLiteral("The server is out of storage space."),
                                      QStringLiteral("write %1: %2").arg(partPath, QString::fromLocal8Bit(strerror(errno))));
                e.type = QStringLiteral("insufficient-storage");
                return tl::unexpected(e);
            }
            done += w;
        }
    }
    if (::fdatasync(fd) != 0)
        return fail(ErrorCode::Internal, QStringLiteral("The upload could not be stored."), QStringLiteral("fdatasync %1").arg(partPath));
    return {};
}

} // namespace

TusService::TusService(Db::Database &db, FilesService &files) : m_db(db), m_files(files) {}

QString TusService::directory() const
{
    return m_files.config().storageDir + QStringLiteral("/tus");
}

QString TusService::partPath(qint64 id) const
{
    return directory() + QStringLiteral("/%1.part").arg(id);
}

qint64 TusService::remaining(qint64 id) const
{
    QMutexLocker lock(&m_mutex);
    return m_remaining.value(id, -1);
}

void TusService::remember(const TusUpload &u)
{
    QMutexLocker lock(&m_mutex);
    if (u.completed || u.offset >= u.length)
        m_remaining.remove(u.id);
    else
        m_remaining.insert(u.id, u.length - u.offset);
}

void TusService::forget(qint64 id)
{
    QMutexLocker lock(&m_mutex);
    m_remaining.remove(id);
}

Result<TusUpload> TusService::create(const TusCreate &input)
{
    const FilesConfig &config = m_files.config();
    const auto purpose = config.purposes.constFind(input.purpose);
    if (purpose == config.purposes.constEnd())
        return tl::unexpected(invalidField(QStringLiteral("Upload-Metadata.purpose"),
                                           QStringLiteral("Use avatar, post_image or attachment."),
                                           input.purpose.isEmpty() ? QStringLiteral("required") : QStringLiteral("invalid_value")));
    auto name = checkFileName(input.name);
    if (!name) {
        Error e = name.error();
        for (FieldError &f : e.fields)
            f.field = QStringLiteral("Upload-Metadata.filename");
        return tl::unexpected(e);
    }
    if (input.length > purpose->maxBytes)
        return tl::unexpected(typed(ErrorCode::PayloadTooLarge, QStringLiteral("payload-too-large"),
                                    QStringLiteral("A %1 may be at most %2 bytes.").arg(purpose->name).arg(purpose->maxBytes)));
    if (!QDir().mkpath(directory()))
        return fail(ErrorCode::Internal, QStringLiteral("The upload could not be created."), QStringLiteral("mkpath %1").arg(directory()));
    auto created = m_db.transact<TusUpload>([&](pqxx::work &tx) -> Result<TusUpload> {
        FilesRepository files(tx);
        files.lockOwner(input.ownerId);
        TusRepository repo(tx);
        const auto [count, pendingBytes] = repo.pending(input.ownerId);
        if (count >= config.tus.maxUploadsPerUser)
            return tl::unexpected(typed(ErrorCode::Conflict, QStringLiteral("too-many-uploads"),
                                        QStringLiteral("You have %1 unfinished uploads; finish or delete one first.").arg(count)));
        if (files.usedBytes(input.ownerId) + pendingBytes + input.length > config.quotaBytes)
            return tl::unexpected(typed(ErrorCode::PayloadTooLarge, QStringLiteral("quota-exceeded"),
                                        QStringLiteral("This upload would exceed your storage quota of %1 bytes.")
                                            .arg(config.quotaBytes)));
        return repo.insert(input.ownerId, input.purpose, *name, input.length, config.tus.expirySeconds);
    });
    if (!created)
        return created;
    // An empty partial file from the start: HEAD and the first PATCH agree on offset 0.
    QFile part(partPath(created->id));
    if (!part.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        (void)m_db.transact<bool>([&](pqxx::work &tx) -> Result<bool> { TusRepository(tx).remove(created->id); return true; });
        return fail(ErrorCode::Internal, QStringLiteral("The upload could not be created."), QStringLiteral("create %1").arg(part.fileName()));
    }
    part.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    remember(*created);
    return created;
}

Result<TusUpload> TusService::status(qint64 id, const Principal &who)
{
    auto u = m_db.read<std::optional<TusUpload>>(
        [id](pqxx::nontransaction &tx) -> Result<std::optional<TusUpload>> { return TusRepository(tx).find(id); });
    if (!u)
        return tl::unexpected(u.error());
    if (!*u || !mayAccess(**u, who))
        return tl::unexpected(notFound(QStringLiteral("No such upload.")));
    if ((*u)->expired)
        return tl::unexpected(typed(ErrorCode::NotFound, QStringLiteral("upload-expired"), QStringLiteral("This upload has expired.")));
    remember(**u);
    return **u;
}

Result<TusChunkResult> TusService::append(const TusChunk &chunk)
{
    const qint64 size = chunk.body ? chunk.body->size() : 0;
    const qint64 expiry = m_files.config().tus.expirySeconds;
    auto advanced = m_db.transact<TusUpload>([&](pqxx::work &tx) -> Result<TusUpload> {
        TusRepository repo(tx);
        const auto u = repo.lock(chunk.uploadId);   // one PATCH of an upload at a time
        if (!u || !mayAccess(*u, chunk.who))
            return tl::unexpected(notFound(QStringLiteral("No such upload.")));
        if (u->expired)
            return tl::unexpected(typed(ErrorCode::NotFound, QStringLiteral("upload-expired"), QStringLiteral("This upload has expired.")));
        if (u->completed || u->offset == u->length)
            return tl::unexpected(typed(ErrorCode::Conflict, QStringLiteral("upload-complete"),
                                        QStringLiteral("This upload has received all its bytes already.")));
        if (chunk.offset != u->offset) {
            Error e = typed(ErrorCode::Conflict, QStringLiteral("upload-offset-mismatch"),
                            QStringLiteral("The upload is at offset %1, not %2.").arg(u->offset).arg(chunk.offset));
            e.fields.append({QStringLiteral("Upload-Offset"), e.message, QStringLiteral("mismatch")});
            return tl::unexpected(e);
        }
        if (u->offset + size > u->length)
            return tl::unexpected(typed(ErrorCode::PayloadTooLarge, QStringLiteral("payload-too-large"),
                                        QStringLiteral("The upload was announced with %1 bytes.").arg(u->length)));
        if (!chunk.checksumAlgorithm.isEmpty()) {
            QCryptographicHash hash(*algorithmOf(chunk.checksumAlgorithm));
            if (chunk.body) {
                QFile in(chunk.body->path());
                if (!in.open(QIODevice::ReadOnly) || !hash.addData(&in))
                    return fail(ErrorCode::Internal, QStringLiteral("The upload could not be stored."),
                                QStringLiteral("hash %1").arg(chunk.body->path()));
            }
            if (hash.result() != chunk.checksum)
                return tl::unexpected(typed(ErrorCode::InvalidArgument, QStringLiteral("checksum-mismatch"),
                                            QStringLiteral("The chunk's %1 does not match Upload-Checksum; it was discarded.")
                                                .arg(QString::fromLatin1(chunk.checksumAlgorithm))));
        }
        if (auto r = appendAt(partPath(u->id), u->offset, chunk.body ? chunk.body->path() : QString()); !r)
            return tl::unexpected(r.error());
        return repo.advance(u->id, u->offset + size, expiry);
    });
    if (!advanced)
        return tl::unexpected(advanced.error());
    remember(*advanced);
    if (advanced->offset < advanced->length)
        return TusChunkResult{*advanced, std::nullopt};
    return finish(*advanced);
}

// The last byte is in: the partial file is now an upload like any other. It is removed
// afterwards whatever happened (stored by rename, deduplicated, or refused), and a refused
// upload's row goes with it — nothing is left behind.
Result<TusChunkResult> TusService::finish(const TusUpload &u)
{
    UploadInput in;
    in.ownerId = u.ownerId;
    in.purpose = u.purpose;
    in.name = u.name;
    in.body = std::make_shared<Http::SpooledBody>(partPath(u.id), u.length);
    auto stored = m_files.upload(in);
    in.body.reset();
    forget(u.id);
    if (!stored) {
        (void)m_db.transact<bool>([&](pqxx::work &tx) -> Result<bool> { TusRepository(tx).remove(u.id); return true; });
        return tl::unexpected(stored.error());
    }
    auto done = m_db.transact<bool>([&](pqxx::work &tx) -> Result<bool> {
        TusRepository(tx).complete(u.id, stored->file.id);
        return true;
    });
    if (!done)
        return tl::unexpected(done.error());
    TusUpload after = u;
    after.completed = true;
    after.fileId = stored->file.id;
    return TusChunkResult{after, stored->file};
}

Result<void> TusService::terminate(qint64 id, const Principal &who)
{
    auto r = m_db.transact<bool>([&](pqxx::work &tx) -> Result<bool> {
        TusRepository repo(tx);
        const auto u = repo.lock(id);   // waits for a PATCH in progress
        if (!u || !mayAccess(*u, who))
            return tl::unexpected(notFound(QStringLiteral("No such upload.")));
        repo.remove(id);
        QFile::remove(partPath(id));
        return true;
    });
    forget(id);
    if (!r)
        return tl::unexpected(r.error());
    return {};
}

Result<int> TusService::sweep()
{
    int removed = 0;
    for (;;) {
        auto batch = m_db.transact<QList<qint64>>([&](pqxx::work &tx) -> Result<QList<qint64>> {
            const QList<qint64> ids = TusRepository(tx).deleteExpired(100);
            for (qint64 id : ids)
                QFile::remove(partPath(id));
            return ids;
        });
        if (!batch)
            return tl::unexpected(batch.error());
        for (qint64 id : *batch)
            forget(id);
        removed += int(batch->size());
        if (batch->size() < 100)
            return removed;
    }
}

Result<int> TusService::removeOrphans()
{
    auto ids = m_db.read<QList<qint64>>(
        [](pqxx::nontransaction &tx) -> Result<QList<qint64>> { return TusRepository(tx).allIds(); });
    if (!ids)
        return tl::unexpected(ids.error());
    const QSet<qint64> known(ids->cbegin(), ids->cend());
    int removed = 0;
    const QDir dir(directory());
    for (const QString &f : dir.entryList(QDir::Files)) {
        bool ok = false;
        const qint64 id = f.section(QLatin1Char('.'), 0, 0).toLongLong(&ok);
        // "<id>.part" of a live upload stays; anything else (a crash's ".clean", a
        // completed or expired upload's data) goes.
        if (ok && known.contains(id) && f == QStringLiteral("%1.part").arg(id))
            continue;
        if (QFile::remove(dir.filePath(f)))
            ++removed;
    }
    return removed;
}

Result<std::pair<QByteArray, QByteArray>> parseUploadChecksum(const QByteArray &value)
{
    const QByteArray v = value.trimmed();
    const qsizetype space = v.indexOf(' ');
    const QByteArray alg = space > 0 ? v.left(space) : v;
    const auto algorithm = algorithmOf(alg);
    if (!algorithm)
        return tl::unexpected(invalidField(QStringLiteral("Upload-Checksum"),
                                           QStringLiteral("Supported algorithms: sha1, sha256."),
                                           QStringLiteral("unsupported_algorithm")));
    const auto decoded = QByteArray::fromBase64Encoding(v.mid(space + 1).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (space <= 0 || !decoded || decoded.decoded.size() != QCryptographicHash::hashLength(*algorithm))
        return tl::unexpected(invalidField(QStringLiteral("Upload-Checksum"),
                                           QStringLiteral("Send \"<algorithm> <base64 digest>\"."),
                                           QStringLiteral("invalid")));
    return std::make_pair(alg, decoded.decoded);
}

Result<QHash<QString, QByteArray>> parseUploadMetadata(const QByteArray &value)
{
    QHash<QString, QByteArray> out;
    auto bad = [](const QString &message) {
        return tl::unexpected(invalidField(QStringLiteral("Upload-Metadata"), message, QStringLiteral("invalid")));
    };
    if (value.trimmed().isEmpty())
        return out;
    const QList<QByteArray> pairs = value.split(',');
    if (pairs.size() > 32)
        return bad(QStringLiteral("At most 32 metadata pairs."));
    for (const QByteArray &raw : pairs) {
        const QByteArray pair = raw.trimmed();
        const qsizetype space = pair.indexOf(' ');
        const QByteArray key = space < 0 ? pair : pair.left(space);
        if (key.isEmpty() || key.size() > 64)
            return bad(QStringLiteral("A metadata key is empty or too long."));
        for (char c : key)
            if (c <= 0x20 || c >= 0x7f)
                return bad(QStringLiteral("Metadata keys are printable ASCII without spaces."));
        const QString k = QString::fromLatin1(key);
        if (out.contains(k))
            return bad(QStringLiteral("The metadata key %1 is sent twice.").arg(k));
        QByteArray decoded;
        if (space >= 0) {
            const auto d = QByteArray::fromBase64Encoding(pair.mid(space + 1).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
            if (!d)
                return bad(QStringLiteral("The value of %1 is not base64.").arg(k));
            decoded = d.decoded;
        }
        out.insert(k, decoded);
    }
    return out;
}

} // namespace Files
