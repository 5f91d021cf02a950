// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Content-addressed blob storage: a blob's name is the SHA-256 of its content, so equal
/// uploads are stored once. IBlobStore is what the service uses; LocalBlobStore keeps
/// blobs under <storageDir>/blobs/ab/cd/<sha256> (two levels of 256 folders).
/// Threading: blocking I/O, call from workers; safe for concurrent use (a blob is placed
/// with an atomic rename, removals of one blob are serialised by the caller's row lock).

#include "community/result.h"

#include <QByteArray>
#include <QString>

namespace Files {

class IBlobStore {
public:
    virtual ~IBlobStore() = default;
    /// Stores the file at `tempPath` as `sha256` (moving it) unless that blob exists already.
    /// Returns true when it was newly stored, false when deduplicated (`tempPath` untouched).
    virtual Community::Result<bool> put(const QByteArray &sha256, const QString &tempPath) = 0;
    virtual bool exists(const QByteArray &sha256) const = 0;
    /// `length` bytes from `offset` (fewer at the end of the blob).
    virtual Community::Result<QByteArray> read(const QByteArray &sha256, qint64 offset, qint64 length) const = 0;
    virtual Community::Result<void> remove(const QByteArray &sha256) = 0;
    /// Every stored blob's name (for `files verify`).
    virtual Community::Result<QList<QByteArray>> list() const = 0;
    /// A path to read the blob from directly (local disk), or empty.
    virtual QString localPath(const QByteArray &sha256) const = 0;
    /// Copies the blob to the file `path` (a remote store's blob for a local tool, e.g.
    /// libvips making a variant). Default: read() in slices of 4 MiB.
    virtual Community::Result<void> copyTo(const QByteArray &sha256, const QString &path) const;
    /// For a store without local files: `length` bytes from `offset` in an unnamed
    /// temporary file on this node, as an open descriptor the caller owns (a download sent
    /// from it with bounded memory). -1: not offered (use read()).
    virtual Community::Result<int> rangeToTempFile(const QByteArray &, qint64, qint64) const { return -1; }
};

class LocalBlobStore final : public IBlobStore {
public:
    explicit LocalBlobStore(QString root) : m_root(std::move(root)) {}

    Community::Result<bool> put(const QByteArray &sha256, const QString &tempPath) override;
    bool exists(const QByteArray &sha256) const override;
    Community::Result<QByteArray> read(const QByteArray &sha256, qint64 offset, qint64 length) const override;
    Community::Result<void> remove(const QByteArray &sha256) override;
    Community::Result<QList<QByteArray>> list() const override;
    QString localPath(const QByteArray &sha256) const override { return pathOf(sha256); }

    QString pathOf(const QByteArray &sha256) const;

private:
    QString m_root;
};

/// True for 64 lower-case hex digits (a name the stores accept; never a path).
bool isSha256Hex(QByteArrayView name);

} // namespace Files
