// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for the files schema (blobs, files). Works inside a transaction the caller owns;
/// one repository per transaction, used by one thread. Reference counts change in the
/// same transaction as the files rows they count.

#include "community/contracts/files.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <pqxx/pqxx>

#include <optional>

namespace Files {

struct FileRecord {
    qint64 id = 0;
    qint64 ownerId = 0;
    QByteArray sha256;
    QString purpose;
    QString name;
    QString mediaType;
    qint64 size = 0;
    QDateTime createdAt;
};

struct QuarantinedFile {
    FileRecord file;
    QString signature;
    QString scanner;
    QDateTime at;
};

struct BlobStats {
    qint64 blobs = 0;
    qint64 bytes = 0;
    qint64 files = 0;
    qint64 unreferenced = 0;
};

class FilesRepository {
public:
    explicit FilesRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Serialises this user's uploads until the transaction ends (quota check + insert).
    void lockOwner(qint64 ownerId);
    qint64 usedBytes(qint64 ownerId);
    /// Adds a reference to the blob, creating its row; true when the row is new.
    bool referenceBlob(const QByteArray &sha256, qint64 size, const QString &mediaType);
    /// A blob row with no reference (garbage after the grace period) unless the row exists;
    /// true when it was added. For a blob placed by an upload that did not commit.
    bool recordUnreferencedBlob(const QByteArray &sha256, qint64 size, const QString &mediaType);
    FileRecord insertFile(const FileRecord &file);
    std::optional<FileRecord> file(qint64 id);
    /// The file with its row locked until the transaction ends (deletion).
    std::optional<FileRecord> lockFile(qint64 id);
    /// References held on the file by other plugins (IFileAccess).
    qint64 referenceCount(qint64 fileId);
    /// Adds `holder`'s reference; false when the file does not exist.
    bool addReference(qint64 fileId, const QString &holder);
    void dropReference(qint64 fileId, const QString &holder);
    /// References with this holder prefix older than `olderThanSeconds`, after (fileId, holder).
    QList<Community::Contracts::FileReference> references(const QString &holderPrefix, qint64 olderThanSeconds,
                                                          qint64 afterFileId, const QString &afterHolder, int limit);
    /// Deletes the file row and drops its blob reference; the row as it was, if any.
    std::optional<FileRecord> deleteFile(qint64 id);
    /// Locks and deletes blob rows unreferenced for longer than `graceSeconds` (at most
    /// `limit`); returns their names. `dryRun` only lists them.
    QList<QByteArray> collectGarbage(qint64 graceSeconds, int limit, bool dryRun);
    QList<QByteArray> allBlobs();
    BlobStats stats();

    // Scanning hook (ADR 0031).
    /// Marks the file quarantined with the scanner's verdict.
    void quarantine(qint64 fileId, const QString &signature, const QString &scanner);
    /// The verdict of a quarantined file; nullopt when it is not quarantined.
    std::optional<QString> quarantineOf(qint64 fileId);
    /// Quarantined files, newest first (at most `limit`).
    QList<QuarantinedFile> quarantined(int limit);
    qint64 quarantinedCount();
    /// A user's bytes (live files, as the quota counts them) and file count.
    std::pair<qint64, qint64> usage(qint64 ownerId);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Files
