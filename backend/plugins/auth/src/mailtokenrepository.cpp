// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mailtokenrepository.h"

#include "sqlvalues.h"

#include <QJsonDocument>

using namespace Auth::Internal;

namespace Auth {

void MailTokenRepository::addToken(const QByteArray &tokenHash, qint64 userId, const QString &purpose,
                                   const QString &email, qint64 ttlSeconds)
{
    m_tx.exec_params("INSERT INTO auth.email_tokens (token_hash, user_id, purpose, email, expires_at) "
                     "VALUES ($1, $2, $3, $4, now() + ($5 || ' seconds')::interval)",
                     bytes(tokenHash), userId, str(purpose), str(email), std::to_string(ttlSeconds));
}

std::optional<std::pair<qint64, QString>> MailTokenRepository::consume(const QByteArray &tokenHash, const QString &purpose)
{
    const auto t = m_tx.exec_params("UPDATE auth.email_tokens SET used_at = now() WHERE token_hash = $1 "
                                    "AND purpose = $2 AND used_at IS NULL AND expires_at > now() "
                                    "RETURNING user_id, email", bytes(tokenHash), str(purpose));
    if (t.empty())
        return std::nullopt;
    return std::pair{t[0][0].as<qint64>(), text(t[0][1])};
}

void MailTokenRepository::queueMail(const QString &type, const QJsonObject &payload)
{
    m_tx.exec_params("INSERT INTO auth.outbox (type, payload) VALUES ($1, $2::jsonb)", str(type),
                     QJsonDocument(payload).toJson(QJsonDocument::Compact).toStdString());
}

QList<OutboxMail> MailTokenRepository::mail(qint64 afterId, int limit)
{
    QList<OutboxMail> out;
    for (const auto &r : m_tx.exec_params("SELECT id, type, payload::text, " + micros("created_at") + ", "
                                          + micros("handed_over_at")
                                          + " FROM auth.outbox WHERE id > $1 ORDER BY id LIMIT $2", afterId, limit))
        out.append(OutboxMail{r[0].as<qint64>(), text(r[1]), QJsonDocument::fromJson(text(r[2]).toUtf8()).object(),
                              Internal::time(r[3]), Internal::time(r[4])});
    return out;
}

QList<OutboxMail> MailTokenRepository::pending(int limit)
{
    QList<OutboxMail> out;
    for (const auto &r : m_tx.exec_params(
             "SELECT id, type, payload::text, " + micros("created_at")
                 + " FROM auth.outbox WHERE handed_over_at IS NULL AND payload ? 'token' "
                   "AND created_at + make_interval(secs => (payload->>'expiresInSeconds')::double precision) > now() "
                   "ORDER BY id LIMIT $1",
             limit))
        out.append(OutboxMail{r[0].as<qint64>(), text(r[1]), QJsonDocument::fromJson(text(r[2]).toUtf8()).object(),
                              Internal::time(r[3]), {}});
    return out;
}

void MailTokenRepository::handOver(const QList<qint64> &ids)
{
    std::string list = "{";
    for (qint64 id : ids)
        list += (list.size() > 1 ? "," : "") + std::to_string(id);
    list += "}";
    m_tx.exec_params("UPDATE auth.outbox SET handed_over_at = now(), payload = payload - 'token' "
                     "WHERE id = ANY($1::bigint[]) AND handed_over_at IS NULL",
                     list);
}

} // namespace Auth
