// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for auth.signing_keys (the HMAC keys of access tokens) and auth.api_keys (stored
/// as SHA-256 hashes of their secret part). Works inside a transaction the caller owns.

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <pqxx/pqxx>

#include <memory>

namespace Auth {

struct ApiKeyEntry;

struct SigningKeys {
    QHash<QString, QByteArray> keys;
    QString newestKid;
};

struct ApiKeyListing {
    qint64 id = 0;
    QString name;
    QStringList scopes;
    QString createdBy;     ///< username; empty = the operator (or a deleted account)
    QDateTime createdAt;
    QDateTime lastUsedAt;  ///< invalid = never
    bool revoked = false;
};

class KeyRepository {
public:
    explicit KeyRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Serialises the signing-key check of several starting nodes (until the transaction ends).
    void lockSigningKeys();
    bool hasActiveSigningKey();
    void addSigningKey(const QString &kid, const QByteArray &secret);
    /// Every key not retired; the newest signs.
    SigningKeys activeSigningKeys();

    /// A new API key of `ownerId` (0 = the operator); returns (id, created at).
    std::pair<qint64, QDateTime> addApiKey(const QString &name, const QByteArray &secretHash, const QStringList &scopes,
                                          qint64 ownerId);
    QList<ApiKeyListing> apiKeys();
    /// false when no such key is active.
    bool revokeApiKey(qint64 id);
    /// Keys not revoked, with their owner's name ("operator" for keys without one).
    QList<std::shared_ptr<ApiKeyEntry>> activeApiKeys();
    void recordApiKeyUse(qint64 id, qint64 msSinceEpoch);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Auth
