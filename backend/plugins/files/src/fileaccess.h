// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The files plugin's IFileAccess (contracts/files.h): descriptions, references held by
/// other plugins (files.file_refs) and signed content paths. Blocking; worker threads.

#include "community/contracts/files.h"

namespace Community::Db { class Database; }

namespace Files {

class FilesService;

class FileAccess : public Community::Contracts::IFileAccess {
public:
    FileAccess(Community::Db::Database &db, FilesService &service) : m_db(db), m_service(service) {}

    Community::Result<Community::Contracts::FileInfo> describe(qint64 fileId) const override;
    Community::Result<void> acquire(const QString &holder, qint64 fileId) override;
    Community::Result<void> release(const QString &holder, qint64 fileId) override;
    Community::Result<QString> signedPath(qint64 fileId, qint64 ttlSeconds) override;
    Community::Result<QList<Community::Contracts::FileReference>> references(const QString &holderPrefix,
                                                                            qint64 olderThanSeconds,
                                                                            const Community::Contracts::FileReference &after,
                                                                            int limit) const override;

private:
    Community::Db::Database &m_db;
    FilesService &m_service;
};

} // namespace Files
