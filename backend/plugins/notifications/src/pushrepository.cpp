// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "pushrepository.h"

#include "community/json.h"

#include <pqxx/pqxx>

namespace Notifications {

namespace {

constexpr const char *kColumns = "id, user_id, endpoint, p256dh, auth, (extract(epoch FROM created_at) * 1000000)::bigint";

PushSubscription fromRow(const pqxx::row &r)
{
    return PushSubscription{r[0].as<qint64>(), r[1].as<qint64>(), QString::fromUtf8(r[2].c_str()),
                            QString::fromUtf8(r[3].c_str()), QString::fromUtf8(r[4].c_str()),
                            Community::Json::fromMicros(r[5].as<qint64>())};
}

} // namespace

PushSubscription PushRepository::upsert(qint64 userId, const QString &endpoint, const QString &p256dh, const QString &auth)
{
    return fromRow(m_tx.exec_params(
        std::string("INSERT INTO notifications.push_subscriptions (user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4) "
                    "ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, "
                    "auth = EXCLUDED.auth RETURNING ") + kColumns,
        userId, endpoint.toStdString(), p256dh.toStdString(), auth.toStdString())[0]);
}

QList<PushSubscription> PushRepository::forUser(qint64 userId)
{
    QList<PushSubscription> out;
    for (const auto &r : m_tx.exec_params(std::string("SELECT ") + kColumns
                                              + " FROM notifications.push_subscriptions WHERE user_id = $1 ORDER BY id",
                                          userId))
        out.append(fromRow(r));
    return out;
}

std::optional<PushSubscription> PushRepository::byId(qint64 id)
{
    const auto r = m_tx.exec_params(std::string("SELECT ") + kColumns + " FROM notifications.push_subscriptions WHERE id = $1", id);
    return r.empty() ? std::nullopt : std::optional<PushSubscription>(fromRow(r[0]));
}

bool PushRepository::remove(qint64 id, qint64 userId)
{
    return m_tx.exec_params("DELETE FROM notifications.push_subscriptions WHERE id = $1 AND ($2 = 0 OR user_id = $2)", id, userId)
               .affected_rows() == 1;
}

} // namespace Notifications
