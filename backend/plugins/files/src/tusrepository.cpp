// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "tusrepository.h"

namespace Files {

namespace {

constexpr const char *kColumns =
    "id, owner_id, purpose, name, length, upload_offset, completed_at IS NOT NULL, coalesce(file_id, 0), "
    "(extract(epoch from expires_at) * 1000)::bigint, expires_at < now()";

TusUpload uploadFrom(const pqxx::row &r)
{
    TusUpload u;
    u.id = r[0].as<qint64>();
    u.ownerId = r[1].as<qint64>();
    u.purpose = QString::fromUtf8(r[2].c_str());
    u.name = QString::fromUtf8(r[3].c_str());
    u.length = r[4].as<qint64>();
    u.offset = r[5].as<qint64>();
    u.completed = r[6].as<bool>();
    u.fileId = r[7].as<qint64>();
    u.expiresAt = QDateTime::fromMSecsSinceEpoch(r[8].as<qint64>(), Qt::UTC);
    u.expired = r[9].as<bool>();
    return u;
}

} // namespace

TusUpload TusRepository::insert(qint64 ownerId, const QString &purpose, const QString &name, qint64 length,
                                qint64 expirySeconds)
{
    return uploadFrom(m_tx.exec_params1(
        std::string("INSERT INTO files.tus_uploads (owner_id, purpose, name, length, expires_at) "
                    "VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING ") + kColumns,
        ownerId, purpose.toStdString(), name.toStdString(), length, double(expirySeconds)));
}

std::optional<TusUpload> TusRepository::find(qint64 id)
{
    const pqxx::result r = m_tx.exec_params(std::string("SELECT ") + kColumns + " FROM files.tus_uploads WHERE id = $1", id);
    if (r.empty())
        return std::nullopt;
    return uploadFrom(r[0]);
}

std::optional<TusUpload> TusRepository::lock(qint64 id)
{
    const pqxx::result r =
        m_tx.exec_params(std::string("SELECT ") + kColumns + " FROM files.tus_uploads WHERE id = $1 FOR UPDATE", id);
    if (r.empty())
        return std::nullopt;
    return uploadFrom(r[0]);
}

std::pair<int, qint64> TusRepository::pending(qint64 ownerId)
{
    const pqxx::row r = m_tx.exec_params1("SELECT count(*)::int, coalesce(sum(length), 0)::bigint FROM files.tus_uploads "
                                          "WHERE owner_id = $1 AND completed_at IS NULL AND expires_at >= now()",
                                          ownerId);
    return {r[0].as<int>(), r[1].as<qint64>()};
}

TusUpload TusRepository::advance(qint64 id, qint64 offset, qint64 expirySeconds)
{
    return uploadFrom(m_tx.exec_params1(std::string("UPDATE files.tus_uploads SET upload_offset = $2, "
                                                    "expires_at = now() + make_interval(secs => $3) WHERE id = $1 RETURNING ")
                                            + kColumns,
                                        id, offset, double(expirySeconds)));
}

void TusRepository::complete(qint64 id, qint64 fileId)
{
    m_tx.exec_params("UPDATE files.tus_uploads SET completed_at = now(), file_id = $2 WHERE id = $1", id, fileId);
}

void TusRepository::remove(qint64 id)
{
    m_tx.exec_params("DELETE FROM files.tus_uploads WHERE id = $1", id);
}

QList<qint64> TusRepository::deleteExpired(int limit)
{
    const pqxx::result r = m_tx.exec_params(
        "DELETE FROM files.tus_uploads WHERE id IN (SELECT id FROM files.tus_uploads WHERE expires_at < now() "
        "ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING id",
        limit);
    QList<qint64> ids;
    for (const auto &row : r)
        ids.append(row[0].as<qint64>());
    return ids;
}

QList<qint64> TusRepository::allIds()
{
    QList<qint64> ids;
    for (const auto &row : m_tx.exec("SELECT id FROM files.tus_uploads"))
        ids.append(row[0].as<qint64>());
    return ids;
}

} // namespace Files
