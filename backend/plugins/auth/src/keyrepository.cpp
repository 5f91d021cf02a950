// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "keyrepository.h"

#include "authstate.h"
#include "sqlvalues.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Auth::Internal;

namespace Auth {

namespace {

QStringList scopesOf(const pqxx::field &f)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(text(f).toUtf8()).array())
        out << v.toString();
    return out;
}

} // namespace

void KeyRepository::lockSigningKeys()
{
    m_tx.exec("SELECT pg_advisory_xact_lock(hashtext('auth.signing_keys'))");
}

bool KeyRepository::hasActiveSigningKey()
{
    return !m_tx.exec("SELECT 1 FROM auth.signing_keys WHERE retired_at IS NULL LIMIT 1").empty();
}

void KeyRepository::addSigningKey(const QString &kid, const QByteArray &secret)
{
    m_tx.exec_params("INSERT INTO auth.signing_keys (kid, secret) VALUES ($1, $2)", str(kid), bytes(secret));
}

SigningKeys KeyRepository::activeSigningKeys()
{
    SigningKeys out;
    for (const auto &k : m_tx.exec("SELECT kid, secret FROM auth.signing_keys WHERE retired_at IS NULL "
                                   "ORDER BY created_at, kid")) {
        out.keys.insert(text(k[0]), bytesOf(k[1]));
        out.newestKid = text(k[0]);
    }
    return out;
}

std::pair<qint64, QDateTime> KeyRepository::addApiKey(const QString &name, const QByteArray &secretHash,
                                                      const QStringList &scopes, qint64 ownerId)
{
    const std::string scopesJson = QJsonDocument(QJsonArray::fromStringList(scopes)).toJson(QJsonDocument::Compact).toStdString();
    const auto r = m_tx.exec_params1(
        "INSERT INTO auth.api_keys (name, secret_hash, scopes, created_by) "
        "SELECT $1, $2, coalesce(array_agg(s), '{}'), NULLIF($4, 0) FROM json_array_elements_text($3::json) s "
        "RETURNING id, " + micros("created_at"),
        str(name), bytes(secretHash), scopesJson, ownerId);
    return {r[0].as<qint64>(), Internal::time(r[1])};
}

QList<ApiKeyListing> KeyRepository::apiKeys()
{
    QList<ApiKeyListing> out;
    for (const auto &k : m_tx.exec("SELECT k.id, k.name, array_to_json(k.scopes)::text, u.username, "
                                   + micros("k.created_at") + ", " + micros("k.last_used_at") + ", "
                                   "k.revoked_at IS NOT NULL FROM auth.api_keys k "
                                   "LEFT JOIN auth.users u ON u.id = k.created_by ORDER BY k.id"))
        out.append(ApiKeyListing{k[0].as<qint64>(), text(k[1]), scopesOf(k[2]), text(k[3]), Internal::time(k[4]),
                                 Internal::time(k[5]), k[6].as<bool>()});
    return out;
}

bool KeyRepository::revokeApiKey(qint64 id)
{
    return !m_tx.exec_params("UPDATE auth.api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL "
                             "RETURNING id", id).empty();
}

QList<std::shared_ptr<ApiKeyEntry>> KeyRepository::activeApiKeys()
{
    QList<std::shared_ptr<ApiKeyEntry>> out;
    for (const auto &k : m_tx.exec("SELECT k.id, k.secret_hash, array_to_json(k.scopes)::text, "
                                   "coalesce(k.created_by, 0), coalesce(u.username, 'operator') "
                                   "FROM auth.api_keys k LEFT JOIN auth.users u ON u.id = k.created_by "
                                   "WHERE k.revoked_at IS NULL")) {
        auto e = std::make_shared<ApiKeyEntry>();
        e->id = k[0].as<qint64>();
        e->secretHash = bytesOf(k[1]);
        e->scopes = scopesOf(k[2]);
        e->ownerId = k[3].as<qint64>();
        e->ownerName = text(k[4]);
        out.append(e);
    }
    return out;
}

void KeyRepository::recordApiKeyUse(qint64 id, qint64 msSinceEpoch)
{
    m_tx.exec_params("UPDATE auth.api_keys SET last_used_at = to_timestamp($2::float8 / 1000) WHERE id = $1",
                     id, double(msSinceEpoch));
}

} // namespace Auth
