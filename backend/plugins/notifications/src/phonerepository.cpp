// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "phonerepository.h"

#include "community/json.h"

#include <pqxx/pqxx>

namespace Notifications {

void PhoneRepository::set(qint64 userId, const QString &number, const QString &codeHash, int ttlSeconds)
{
    m_tx.exec_params("INSERT INTO notifications.phones (user_id, number, code_hash, code_expires_at) "
                     "VALUES ($1, $2, $3, now() + make_interval(secs => $4)) ON CONFLICT (user_id) DO UPDATE SET "
                     "number = EXCLUDED.number, verified_at = NULL, code_hash = EXCLUDED.code_hash, "
                     "code_expires_at = EXCLUDED.code_expires_at, code_attempts = 0, updated_at = now()",
                     userId, number.toStdString(), codeHash.toStdString(), ttlSeconds);
}

std::optional<Phone> PhoneRepository::get(qint64 userId, bool forUpdate)
{
    const auto r = m_tx.exec_params(
        std::string("SELECT number, verified_at IS NOT NULL, coalesce(code_hash, ''), "
                    "coalesce((extract(epoch FROM code_expires_at) * 1000000)::bigint, 0), code_attempts "
                    "FROM notifications.phones WHERE user_id = $1") + (forUpdate ? " FOR UPDATE" : ""),
        userId);
    if (r.empty())
        return std::nullopt;
    return Phone{userId, QString::fromUtf8(r[0][0].c_str()), r[0][1].as<bool>(), QString::fromUtf8(r[0][2].c_str()),
                 Community::Json::fromMicros(r[0][3].as<qint64>()), r[0][4].as<int>()};
}

void PhoneRepository::countAttempt(qint64 userId)
{
    m_tx.exec_params("UPDATE notifications.phones SET code_attempts = code_attempts + 1 WHERE user_id = $1", userId);
}

void PhoneRepository::markVerified(qint64 userId)
{
    m_tx.exec_params("UPDATE notifications.phones SET verified_at = now(), code_hash = NULL, code_expires_at = NULL, "
                     "updated_at = now() WHERE user_id = $1",
                     userId);
}

bool PhoneRepository::remove(qint64 userId)
{
    return m_tx.exec_params("DELETE FROM notifications.phones WHERE user_id = $1", userId).affected_rows() == 1;
}

} // namespace Notifications
