// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "fileaccess.h"

#include "filesrepository.h"
#include "filesservice.h"

#include "community/database.h"

using namespace Community;

namespace Files {

namespace {

Error noFile()
{
    return notFound(QStringLiteral("No such file."));
}

Result<void> checkHolder(const QString &holder)
{
    if (holder.isEmpty() || holder.size() > 200)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("a reference holder is 1 to 200 characters"));
    return {};
}

} // namespace

Result<Contracts::FileInfo> FileAccess::describe(qint64 fileId) const
{
    auto f = m_db.read<std::optional<FileRecord>>(
        [fileId](pqxx::nontransaction &tx) -> Result<std::optional<FileRecord>> { return FilesRepository(tx).file(fileId); });
    if (!f)
        return tl::unexpected(f.error());
    if (!*f)
        return tl::unexpected(noFile());
    const FileRecord &r = **f;
    return Contracts::FileInfo{r.id, r.ownerId, r.purpose, r.name, r.mediaType, r.size};
}

Result<void> FileAccess::acquire(const QString &holder, qint64 fileId)
{
    if (auto r = checkHolder(holder); !r)
        return r;
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (!FilesRepository(tx).addReference(fileId, holder))
            return tl::unexpected(noFile());
        return {};
    });
}

Result<void> FileAccess::release(const QString &holder, qint64 fileId)
{
    if (auto r = checkHolder(holder); !r)
        return r;
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        FilesRepository(tx).dropReference(fileId, holder);
        return {};
    });
}

Result<QString> FileAccess::signedPath(qint64 fileId, qint64 ttlSeconds)
{
    return m_service.signPath(fileId, ttlSeconds);
}

Result<QList<Contracts::FileReference>> FileAccess::references(const QString &holderPrefix, qint64 olderThanSeconds,
                                                              const Contracts::FileReference &after, int limit) const
{
    if (holderPrefix.isEmpty() || holderPrefix.size() > 200 || olderThanSeconds < 0 || limit < 1 || limit > 1000)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("references: prefix 1..200 characters, age >= 0, limit 1..1000"));
    return m_db.read<QList<Contracts::FileReference>>([&](pqxx::nontransaction &tx) -> Result<QList<Contracts::FileReference>> {
        return FilesRepository(tx).references(holderPrefix, olderThanSeconds, after.fileId, after.holder, limit);
    });
}

} // namespace Files
