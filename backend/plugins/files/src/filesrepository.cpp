// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "filesrepository.h"

namespace Files {

namespace {

constexpr const char *kFileColumns =
    "id, owner_id, sha256, purpose, name, media_type, size, (extract(epoch from created_at) * 1000000)::bigint";

FileRecord fileFrom(const pqxx::row &r)
{
    FileRecord f;
    f.id = r[0].as<qint64>();
    f.ownerId = r[1].as<qint64>();
    f.sha256 = QByteArray(r[2].c_str());
    f.purpose = QString::fromUtf8(r[3].c_str());
    f.name = QString::fromUtf8(r[4].c_str());
    f.mediaType = QString::fromUtf8(r[5].c_str());
    f.size = r[6].as<qint64>();
    f.createdAt = QDateTime::fromMSecsSinceEpoch(r[7].as<qint64>() / 1000, Qt::UTC);
    return f;
}

std::string s(const QString &q) { return q.toStdString(); }

} // namespace

void FilesRepository::lockOwner(qint64 ownerId)
{
    // Key space of this plugin: 0x66696c65 ("file") in the high half.
    m_tx.exec_params("SELECT pg_advisory_xact_lock(1718185061, $1::int)", int(ownerId & 0x7fffffff));
}

qint64 FilesRepository::usedBytes(qint64 ownerId)
{
    return m_tx.exec_params1("SELECT coalesce(sum(size), 0)::bigint FROM files.files WHERE owner_id = $1", ownerId)[0]
        .as<qint64>();
}

bool FilesRepository::referenceBlob(const QByteArray &sha256, qint64 size, const QString &mediaType)
{
    const pqxx::row r = m_tx.exec_params1(
        "INSERT INTO files.blobs (sha256, size, media_type, refcount) VALUES ($1, $2, $3, 1) "
        "ON CONFLICT (sha256) DO UPDATE SET refcount = files.blobs.refcount + 1, unreferenced_since = NULL "
        "RETURNING (xmax = 0)",
        sha256.toStdString(), size, s(mediaType));
    return r[0].as<bool>();
}

bool FilesRepository::recordUnreferencedBlob(const QByteArray &sha256, qint64 size, const QString &mediaType)
{
    const pqxx::result r = m_tx.exec_params(
        "INSERT INTO files.blobs (sha256, size, media_type, refcount, unreferenced_since) VALUES ($1, $2, $3, 0, now()) "
        "ON CONFLICT (sha256) DO NOTHING",
        sha256.toStdString(), size, s(mediaType));
    return r.affected_rows() == 1;
}

FileRecord FilesRepository::insertFile(const FileRecord &f)
{
    const pqxx::row r = m_tx.exec_params1(
        std::string("INSERT INTO files.files (owner_id, sha256, purpose, name, media_type, size) "
                    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING ") + kFileColumns,
        f.ownerId, f.sha256.toStdString(), s(f.purpose), s(f.name), s(f.mediaType), f.size);
    return fileFrom(r);
}

std::optional<FileRecord> FilesRepository::file(qint64 id)
{
    const pqxx::result r = m_tx.exec_params(std::string("SELECT ") + kFileColumns + " FROM files.files WHERE id = $1", id);
    if (r.empty())
        return std::nullopt;
    return fileFrom(r[0]);
}

std::optional<FileRecord> FilesRepository::lockFile(qint64 id)
{
    const pqxx::result r =
        m_tx.exec_params(std::string("SELECT ") + kFileColumns + " FROM files.files WHERE id = $1 FOR UPDATE", id);
    if (r.empty())
        return std::nullopt;
    return fileFrom(r[0]);
}

qint64 FilesRepository::referenceCount(qint64 fileId)
{
    return m_tx.exec_params1("SELECT count(*) FROM files.file_refs WHERE file_id = $1", fileId)[0].as<qint64>();
}

bool FilesRepository::addReference(qint64 fileId, const QString &holder)
{
    // The insert's key-share lock on the file row waits for a concurrent deletion, so a
    // file is never both deleted and referenced.
    pqxx::result r;
    try {
        r = m_tx.exec_params("INSERT INTO files.file_refs (file_id, holder) SELECT id, $2 FROM files.files WHERE id = $1 "
                             "ON CONFLICT DO NOTHING RETURNING 1",
                             fileId, holder.toStdString());
    } catch (const pqxx::foreign_key_violation &) {
        return false;   // deleted by a transaction that committed while this one waited
    }
    if (!r.empty())
        return true;
    return !m_tx.exec_params("SELECT 1 FROM files.files WHERE id = $1", fileId).empty();
}

void FilesRepository::dropReference(qint64 fileId, const QString &holder)
{
    m_tx.exec_params("DELETE FROM files.file_refs WHERE file_id = $1 AND holder = $2", fileId, holder.toStdString());
}

QList<Community::Contracts::FileReference> FilesRepository::references(const QString &holderPrefix, qint64 olderThanSeconds,
                                                                      qint64 afterFileId, const QString &afterHolder, int limit)
{
    QList<Community::Contracts::FileReference> out;
    // left() instead of LIKE: the prefix is the caller's text, not a pattern.
    for (const auto &row : m_tx.exec_params(
             "SELECT file_id, holder FROM files.file_refs "
             "WHERE left(holder, length($1)) = $1 AND created_at < now() - $2 * interval '1 second' "
             "AND (file_id, holder) > ($3, $4) ORDER BY file_id, holder LIMIT $5",
             holderPrefix.toStdString(), olderThanSeconds, afterFileId, afterHolder.toStdString(), limit))
        out.append({row[0].as<qint64>(), QString::fromStdString(row[1].as<std::string>())});
    return out;
}

std::optional<FileRecord> FilesRepository::deleteFile(qint64 id)
{
    const pqxx::result r = m_tx.exec_params(
        std::string("DELETE FROM files.files WHERE id = $1 RETURNING ") + kFileColumns, id);
    if (r.empty())
        return std::nullopt;
    FileRecord f = fileFrom(r[0]);
    m_tx.exec_params("UPDATE files.blobs SET refcount = refcount - 1, "
                     "unreferenced_since = CASE WHEN refcount = 1 THEN now() ELSE unreferenced_since END "
                     "WHERE sha256 = $1",
                     f.sha256.toStdString());
    return f;
}

QList<QByteArray> FilesRepository::collectGarbage(qint64 graceSeconds, int limit, bool dryRun)
{
    // SKIP LOCKED: an upload re-referencing a blob holds its row; that blob is not garbage.
    const std::string select =
        "SELECT sha256 FROM files.blobs WHERE refcount = 0 "
        "AND unreferenced_since < now() - make_interval(secs => $1) ORDER BY unreferenced_since LIMIT $2 "
        "FOR UPDATE SKIP LOCKED";
    const pqxx::result r = dryRun ? m_tx.exec_params(select, double(graceSeconds), limit)
                                  : m_tx.exec_params("DELETE FROM files.blobs WHERE sha256 IN (" + select + ") RETURNING sha256",
                                                     double(graceSeconds), limit);
    QList<QByteArray> out;
    for (const auto &row : r)
        out.append(QByteArray(row[0].c_str()));
    return out;
}

QList<QByteArray> FilesRepository::allBlobs()
{
    QList<QByteArray> out;
    for (const auto &row : m_tx.exec("SELECT sha256 FROM files.blobs"))
        out.append(QByteArray(row[0].c_str()));
    return out;
}

BlobStats FilesRepository::stats()
{
    const pqxx::row r = m_tx.exec1(
        "SELECT (SELECT count(*) FROM files.blobs), (SELECT coalesce(sum(size), 0)::bigint FROM files.blobs), "
        "(SELECT count(*) FROM files.files), (SELECT count(*) FROM files.blobs WHERE refcount = 0)");
    return {r[0].as<qint64>(), r[1].as<qint64>(), r[2].as<qint64>(), r[3].as<qint64>()};
}

} // namespace Files

namespace Files {

void FilesRepository::quarantine(qint64 fileId, const QString &signature, const QString &scanner)
{
    m_tx.exec_params("INSERT INTO files.quarantine (file_id, signature, scanner) VALUES ($1, $2, $3)", fileId,
                     signature.left(200).toStdString(), scanner.toStdString());
}

std::optional<QString> FilesRepository::quarantineOf(qint64 fileId)
{
    const pqxx::result r = m_tx.exec_params("SELECT signature FROM files.quarantine WHERE file_id = $1", fileId);
    if (r.empty())
        return std::nullopt;
    return QString::fromUtf8(r[0][0].c_str());
}

QList<QuarantinedFile> FilesRepository::quarantined(int limit)
{
    QList<QuarantinedFile> out;
    const pqxx::result r = m_tx.exec_params(
        "SELECT f.id, f.owner_id, f.sha256, f.purpose, f.name, f.media_type, f.size, "
        "(extract(epoch from f.created_at) * 1000000)::bigint, q.signature, q.scanner, "
        "(extract(epoch from q.created_at) * 1000)::bigint "
        "FROM files.quarantine q JOIN files.files f ON f.id = q.file_id ORDER BY q.file_id DESC LIMIT $1",
        limit);
    for (const pqxx::row &row : r) {
        QuarantinedFile q;
        q.file.id = row[0].as<qint64>();
        q.file.ownerId = row[1].as<qint64>();
        q.file.sha256 = QByteArray(row[2].c_str());
        q.file.purpose = QString::fromUtf8(row[3].c_str());
        q.file.name = QString::fromUtf8(row[4].c_str());
        q.file.mediaType = QString::fromUtf8(row[5].c_str());
        q.file.size = row[6].as<qint64>();
        q.file.createdAt = QDateTime::fromMSecsSinceEpoch(row[7].as<qint64>() / 1000, Qt::UTC);
        q.signature = QString::fromUtf8(row[8].c_str());
        q.scanner = QString::fromUtf8(row[9].c_str());
        q.at = QDateTime::fromMSecsSinceEpoch(row[10].as<qint64>(), Qt::UTC);
        out.append(q);
    }
    return out;
}

qint64 FilesRepository::quarantinedCount()
{
    return m_tx.exec1("SELECT count(*) FROM files.quarantine")[0].as<qint64>();
}

std::pair<qint64, qint64> FilesRepository::usage(qint64 ownerId)
{
    const pqxx::row r = m_tx.exec_params1(
        "SELECT coalesce(sum(size), 0)::bigint, count(*) FROM files.files WHERE owner_id = $1", ownerId);
    return {r[0].as<qint64>(), r[1].as<qint64>()};
}

} // namespace Files
