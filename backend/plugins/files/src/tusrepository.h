// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for resumable uploads (files.tus_uploads, docs/adr/0029). Works inside a
/// transaction the caller owns; one repository per transaction, used by one thread.

#include <QDateTime>
#include <QList>
#include <QString>

#include <pqxx/pqxx>

#include <optional>

namespace Files {

struct TusUpload {
    qint64 id = 0;
    qint64 ownerId = 0;
    QString purpose;
    QString name;
    qint64 length = 0;
    qint64 offset = 0;
    bool completed = false;
    qint64 fileId = 0;          ///< the stored file once completed (0: none or deleted since)
    QDateTime expiresAt;
    bool expired = false;       ///< expires_at is in the past (the sweep has not run yet)
};

class TusRepository {
public:
    explicit TusRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    TusUpload insert(qint64 ownerId, const QString &purpose, const QString &name, qint64 length, qint64 expirySeconds);
    std::optional<TusUpload> find(qint64 id);
    /// The row locked until the transaction ends (PATCH, DELETE, completion).
    std::optional<TusUpload> lock(qint64 id);
    /// Unfinished uploads of this owner and the bytes they announce.
    std::pair<int, qint64> pending(qint64 ownerId);
    /// Sets the new offset and pushes the expiry out by `expirySeconds`.
    TusUpload advance(qint64 id, qint64 offset, qint64 expirySeconds);
    void complete(qint64 id, qint64 fileId);
    void remove(qint64 id);
    /// Locks (SKIP LOCKED) and deletes up to `limit` expired rows; their ids.
    QList<qint64> deleteExpired(int limit);
    /// Every row's id (orphaned partial files at start).
    QList<qint64> allIds();

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Files
