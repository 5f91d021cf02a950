// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "keyservice.h"

#include "aftercommit.h"
#include "authstate.h"
#include "crypto.h"
#include "statesync.h"

#include "community/database.h"

using namespace Community;

namespace Auth {

namespace {

/// Adds a signing key in `tx`; the signer uses it once committed.
QString addSigningKey(pqxx::work &tx, AfterCommit &after, TokenSigner &signer)
{
    const QString kid = QString::fromLatin1(randomToken(9));
    const QByteArray secret = randomBytes(32);
    KeyRepository(tx).addSigningKey(kid, secret);
    after.push_back([&signer, kid, secret] { signer.addKey(kid, secret, true); });
    return kid;
}

} // namespace

Result<QString> KeyService::rotateSigningKey()
{
    return transactThen<QString>(m_db, [&](pqxx::work &tx, AfterCommit &after) -> Result<QString> {
        return addSigningKey(tx, after, m_signer);
    });
}

Result<void> KeyService::ensureSigningKey()
{
    return transactThen<void>(m_db, [&](pqxx::work &tx, AfterCommit &after) -> Result<void> {
        KeyRepository keys(tx);
        keys.lockSigningKeys();
        if (!keys.hasActiveSigningKey())
            addSigningKey(tx, after, m_signer);
        return {};
    });
}

Result<CreatedApiKey> KeyService::createApiKey(const QString &name, const QStringList &scopes, qint64 ownerId,
                                               const QString &ownerName)
{
    const QByteArray secret = randomToken(32);
    return transactThen<CreatedApiKey>(m_db, [&](pqxx::work &tx, AfterCommit &after) -> Result<CreatedApiKey> {
        const auto [id, createdAt] = KeyRepository(tx).addApiKey(name, sha256(secret), scopes, ownerId);
        auto entry = std::make_shared<ApiKeyEntry>();
        entry->id = id;
        entry->secretHash = sha256(secret);
        entry->scopes = scopes;
        entry->ownerId = ownerId;
        entry->ownerName = ownerName;
        after.push_back([this, entry] { m_state.addApiKey(entry); });
        return CreatedApiKey{id, createdAt, QStringLiteral("cpk_%1_%2").arg(id).arg(QString::fromLatin1(secret))};
    });
}

Result<QList<ApiKeyListing>> KeyService::apiKeys()
{
    m_sync.flushUsage();
    return m_db.read<QList<ApiKeyListing>>([](pqxx::nontransaction &tx) -> Result<QList<ApiKeyListing>> {
        return KeyRepository(tx).apiKeys();
    });
}

Result<void> KeyService::revokeApiKey(qint64 id)
{
    return transactThen<void>(m_db, [&](pqxx::work &tx, AfterCommit &after) -> Result<void> {
        if (!KeyRepository(tx).revokeApiKey(id))
            return tl::unexpected(notFound(QStringLiteral("No such API key.")));
        after.push_back([this, id] { m_state.revokeApiKey(id); });
        return {};
    });
}

} // namespace Auth
