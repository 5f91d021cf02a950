// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Resumable uploads (tus 1.0 core, creation, termination, checksum, expiration; see
/// docs/adr/0029). Partial data lives in <storageDir>/tus/<id>.part, state in
/// files.tus_uploads. When the last byte has arrived the partial file goes through
/// FilesService::upload() — the same checks and storage as a raw upload — and is gone
/// afterwards whatever the outcome. Every call but remaining() blocks (disk, SQL): run it
/// on the database's workers. remaining() is for the route's stream limit (I/O thread).

#include "filesservice.h"
#include "tusrepository.h"

#include "community/principal.h"
#include "community/result.h"

#include <QHash>
#include <QMutex>

#include <memory>
#include <optional>

namespace Community::Db { class Database; }
namespace Community::Http { class SpooledBody; }

namespace Files {

struct TusCreate {
    qint64 ownerId = 0;
    QString purpose;
    QString name;
    qint64 length = 0;
};

struct TusChunk {
    qint64 uploadId = 0;
    Community::Principal who;
    qint64 offset = 0;                                      ///< Upload-Offset as sent
    std::shared_ptr<Community::Http::SpooledBody> body;     ///< null for an empty PATCH
    QByteArray checksumAlgorithm;                           ///< "sha1", "sha256" or empty
    QByteArray checksum;                                    ///< the decoded digest
};

struct TusChunkResult {
    TusUpload upload;
    std::optional<FileRecord> file;   ///< set when this chunk completed the upload
};

class TusService {
public:
    TusService(Community::Db::Database &db, FilesService &files);

    /// Checks purpose, name, length against the purpose's limit, the number of unfinished
    /// uploads and the quota (stored files + unfinished uploads + this one), then records it.
    Community::Result<TusUpload> create(const TusCreate &input);
    /// The upload if `who` owns it (or is an admin); NotFound otherwise.
    Community::Result<TusUpload> status(qint64 id, const Community::Principal &who);
    /// Appends a chunk at its offset (409 upload-offset-mismatch otherwise; 413 past the
    /// length; 460 checksum-mismatch), and completes the upload after the last byte.
    Community::Result<TusChunkResult> append(const TusChunk &chunk);
    /// Removes the upload and its partial data.
    Community::Result<void> terminate(qint64 id, const Community::Principal &who);
    /// Removes expired uploads and their partial data; how many went.
    Community::Result<int> sweep();
    /// Removes partial files without a row (left by a crash). Call at start.
    Community::Result<int> removeOrphans();

    /// Bytes the upload may still receive, from this node's cache; -1 when unknown.
    /// Thread-safe and cheap (the PATCH route's stream limit).
    qint64 remaining(qint64 id) const;
    QString directory() const;
    QString partPath(qint64 id) const;

private:
    void remember(const TusUpload &u);
    void forget(qint64 id);
    Community::Result<TusChunkResult> finish(const TusUpload &u);

    Community::Db::Database &m_db;
    FilesService &m_files;
    mutable QMutex m_mutex;
    QHash<qint64, qint64> m_remaining;
};

/// Parses an Upload-Checksum value ("sha1 <base64>"): algorithm and digest, or an
/// InvalidArgument naming the header (unsupported algorithm, bad base64, wrong length).
Community::Result<std::pair<QByteArray, QByteArray>> parseUploadChecksum(const QByteArray &value);

/// Parses Upload-Metadata ("key base64,key2 base64,key3"): at most 32 pairs, unique keys
/// of printable ASCII without space or comma, values valid base64. InvalidArgument naming
/// the header otherwise.
Community::Result<QHash<QString, QByteArray>> parseUploadMetadata(const QByteArray &value);

} // namespace Files
