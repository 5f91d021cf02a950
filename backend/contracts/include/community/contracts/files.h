// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Contracts the files plugin provides.
///
/// IFileAccess: what another plugin (chat's attachments) needs of an uploaded file without
/// reading files' schema: its description, a named reference that keeps the file (and so
/// its blob) from being deleted or collected while something points at it, and a short
/// signed path to its content for someone the holder has allowed. A file with references
/// cannot be deleted by its owner (409 file-in-use) until every holder releases it.
/// Holders are opaque strings chosen by the caller ("chat:<sender>:<clientId>"), at most
/// 200 characters; acquire and release are idempotent. Blocking (one database round trip):
/// call from worker threads, outside your own transaction. Thread-safe.

#include "community/result.h"

#include <QList>
#include <QString>

namespace Community::Contracts {

struct FileInfo {
    qint64 id = 0;
    qint64 ownerId = 0;
    QString purpose;      ///< avatar, post_image, attachment
    QString name;         ///< the name it was uploaded with (safe for display)
    QString mediaType;    ///< sniffed from the content
    qint64 size = 0;
};

/// One reference: which file, held by whom.
struct FileReference {
    qint64 fileId = 0;
    QString holder;
};

class IFileAccess {
public:
    static constexpr const char *interfaceId() { return "community.files.Access/2"; }
    virtual ~IFileAccess() = default;

    /// NotFound when there is no such file.
    virtual Result<FileInfo> describe(qint64 fileId) const = 0;
    /// Adds `holder`'s reference to the file (a no-op when it holds one). NotFound when
    /// the file does not exist (any more).
    virtual Result<void> acquire(const QString &holder, qint64 fileId) = 0;
    /// Drops `holder`'s reference (a no-op when it holds none).
    virtual Result<void> release(const QString &holder, qint64 fileId) = 0;
    /// "/v1/files/<id>/content?expires=…&kid=…&sig=…", valid for `ttlSeconds` (capped by
    /// the files plugin's maxSignedTtlSeconds). The caller has decided who may read it.
    virtual Result<QString> signedPath(qint64 fileId, qint64 ttlSeconds) = 0;
    /// The references whose holder starts with `holderPrefix` and that were taken more
    /// than `olderThanSeconds` ago, ordered by (file id, holder), the page after `after`
    /// (default: from the start), at most `limit` (1..1000). For a holder's reconciliation:
    /// a reference its owner has no record of (it died between acquire() and its own
    /// commit) is released by the owner.
    virtual Result<QList<FileReference>> references(const QString &holderPrefix, qint64 olderThanSeconds,
                                                    const FileReference &after, int limit) const = 0;
};

} // namespace Community::Contracts
