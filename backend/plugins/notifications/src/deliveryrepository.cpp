// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "deliveryrepository.h"

#include "community/json.h"

#include <QJsonDocument>

#include <pqxx/pqxx>

namespace Notifications {

namespace {

using Community::Json::fromMicros;

constexpr const char *kColumns =
    "id, user_id, item_id, source_key, channel, target, kind, status, coalesce(last_error, ''), message_id, "
    "content::text, digest, attempts, (extract(epoch FROM due_at) * 1000000)::bigint, "
    "(extract(epoch FROM created_at) * 1000000)::bigint, (extract(epoch FROM sent_at) * 1000000)::bigint, "
    "coalesce(provider_id, ''), coalesce(provider_status, '')";
constexpr int kColumnCount = 18;

QString text(const pqxx::field &f)
{
    return QString::fromUtf8(f.c_str());
}

DeliveryRow fromRow(const pqxx::row &r)
{
    DeliveryRow d;
    d.id = r[0].as<qint64>();
    d.userId = r[1].as<qint64>();
    if (!r[2].is_null())
        d.itemId = r[2].as<qint64>();
    d.sourceKey = text(r[3]);
    d.channel = text(r[4]);
    d.target = text(r[5]);
    d.kind = text(r[6]);
    d.status = text(r[7]);
    d.lastError = text(r[8]);
    d.messageId = text(r[9]);
    d.content = QJsonDocument::fromJson(QByteArray(r[10].c_str())).object();
    d.digest = r[11].as<bool>();
    d.attempts = r[12].as<int>();
    d.dueAt = fromMicros(r[13].as<qint64>());
    d.createdAt = fromMicros(r[14].as<qint64>());
    if (!r[15].is_null())
        d.sentAt = fromMicros(r[15].as<qint64>());
    d.providerId = text(r[16]);
    d.providerStatus = text(r[17]);
    return d;
}

QList<DeliveryRow> rows(const pqxx::result &result)
{
    QList<DeliveryRow> out;
    for (const auto &r : result)
        out.append(fromRow(r));
    return out;
}

std::optional<std::string> nonEmpty(const QString &s)
{
    return s.isEmpty() ? std::nullopt : std::optional<std::string>(s.toStdString());
}

} // namespace

bool DeliveryRepository::enqueue(const DeliveryRow &d)
{
    const auto r = m_tx.exec_params(
        "INSERT INTO notifications.deliveries (user_id, item_id, source_key, channel, target, kind, content, digest, "
        "due_at, message_id) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, to_timestamp($9::double precision / 1000), $10) "
        "ON CONFLICT DO NOTHING",
        d.userId, d.itemId, d.sourceKey.toStdString(), d.channel.toStdString(), d.target.toStdString(),
        d.kind.toStdString(), QJsonDocument(d.content).toJson(QJsonDocument::Compact).toStdString(), d.digest,
        d.dueAt.toMSecsSinceEpoch(), d.messageId.toStdString());
    return r.affected_rows() == 1;
}

QList<DeliveryRow> DeliveryRepository::claim(const QString &channel, int limit, int leaseSeconds)
{
    const auto result = m_tx.exec_params(
        std::string("UPDATE notifications.deliveries d SET status = 'sending', attempts = d.attempts + 1, "
                    "  locked_until = now() + make_interval(secs => $3) "
                    "FROM (SELECT id AS claim_id, status AS was FROM notifications.deliveries WHERE channel = $1 "
                    "  AND due_at <= now() AND (status = 'pending' OR (status = 'sending' AND locked_until < now())) "
                    "  ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) due "
                    "WHERE d.id = due.claim_id RETURNING ")
            + kColumns + ", due.was",
        channel.toStdString(), limit, leaseSeconds);
    QList<DeliveryRow> out;
    for (const auto &r : result) {
        out.append(fromRow(r));
        out.back().status = text(r[kColumnCount]);   // before the claim: "sending" means a lease ran out
    }
    return out;
}

void DeliveryRepository::markSent(qint64 id)
{
    // Auth's mails keep their token only while they may still be sent (ADR 0028).
    m_tx.exec_params("UPDATE notifications.deliveries SET status = 'sent', sent_at = now(), locked_until = NULL, "
                     "last_error = NULL, content = CASE WHEN kind LIKE 'auth.%' THEN content - 'token' ELSE content END "
                     "WHERE id = $1",
                     id);
}

void DeliveryRepository::markFailed(qint64 id, const QString &error, bool dead, const QDateTime &retryAt)
{
    m_tx.exec_params("UPDATE notifications.deliveries SET status = CASE WHEN $3 THEN 'dead' ELSE 'pending' END, "
                     "last_error = $2, locked_until = NULL, due_at = to_timestamp($4::double precision / 1000), "
                     "content = CASE WHEN $3 AND kind LIKE 'auth.%' THEN content - 'token' ELSE content END WHERE id = $1",
                     id, error.left(500).toStdString(), dead, retryAt.toMSecsSinceEpoch());
}

QList<DeliveryRow> DeliveryRepository::list(const DeliveryFilter &f)
{
    const bool failed = f.status == QLatin1String("failed");
    return rows(m_tx.exec_params(
        std::string("SELECT ") + kColumns + " FROM notifications.deliveries WHERE "
        "($1::text IS NULL OR status = $1) AND (NOT $2 OR status = 'dead' OR last_error IS NOT NULL) "
        "AND ($3::text IS NULL OR channel = $3) AND ($4::bigint IS NULL OR user_id = $4) "
        "AND ($5::bigint IS NULL OR id < $5) ORDER BY id DESC LIMIT $6",
        failed ? std::nullopt : nonEmpty(f.status), failed, nonEmpty(f.channel), f.userId, f.beforeId, f.limit));
}

bool DeliveryRepository::retry(qint64 id)
{
    return m_tx.exec_params("UPDATE notifications.deliveries SET status = 'pending', attempts = 0, due_at = now(), "
                            "locked_until = NULL WHERE id = $1 AND status IN ('dead', 'pending')",
                            id).affected_rows() == 1;
}

std::optional<DeliveryRow> DeliveryRepository::lockForStatus(qint64 id)
{
    const auto r = m_tx.exec_params(std::string("SELECT ") + kColumns + " FROM notifications.deliveries WHERE id = $1 FOR UPDATE", id);
    if (r.empty())
        return std::nullopt;
    return fromRow(r[0]);
}

void DeliveryRepository::setProviderStatus(qint64 id, const QString &providerId, const QString &status)
{
    m_tx.exec_params("UPDATE notifications.deliveries SET provider_id = coalesce(nullif($2, ''), provider_id), "
                     "provider_status = $3, provider_status_at = now() WHERE id = $1",
                     id, providerId.toStdString(), status.toStdString());
}

void DeliveryRepository::markSentByProvider(qint64 id)
{
    m_tx.exec_params("UPDATE notifications.deliveries SET status = 'sent', sent_at = now(), locked_until = NULL "
                     "WHERE id = $1 AND status = 'dead'",
                     id);
}

QByteArray DeliveryRepository::key(const QString &name, const QByteArray &candidate)
{
    m_tx.exec_params("INSERT INTO notifications.keys (name, secret) VALUES ($1, decode($2, 'hex')) ON CONFLICT DO NOTHING",
                     name.toStdString(), candidate.toHex().toStdString());
    const auto r = m_tx.exec_params("SELECT encode(secret, 'hex') FROM notifications.keys WHERE name = $1", name.toStdString());
    return QByteArray::fromHex(QByteArray(r[0][0].c_str()));
}

} // namespace Notifications
