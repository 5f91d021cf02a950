// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Signing keys of the access tokens and API keys: rotation, the first key at start,
/// creating, listing and revoking API keys. In-memory effects (the signer's keys, the
/// authenticator's API keys) follow the commit.
/// Threading: blocking (worker threads).

#include "keyrepository.h"

#include "community/result.h"

namespace Community::Db { class Database; }

namespace Auth {

class AuthState;
class StateSync;
class TokenSigner;

struct CreatedApiKey {
    qint64 id = 0;
    QDateTime createdAt;
    QString key;   ///< cpk_<id>_<secret>: shown once, only its hash is stored
};

class KeyService {
public:
    KeyService(Community::Db::Database &db, TokenSigner &signer, AuthState &state, StateSync &sync)
        : m_db(db), m_signer(signer), m_state(state), m_sync(sync) {}

    /// A new active signing key; returns its kid.
    Community::Result<QString> rotateSigningKey();
    /// Creates the first signing key unless one exists (several nodes may start together).
    Community::Result<void> ensureSigningKey();

    /// `ownerId` 0 = the operator (no creating account).
    Community::Result<CreatedApiKey> createApiKey(const QString &name, const QStringList &scopes, qint64 ownerId,
                                                  const QString &ownerName);
    /// Every key, with the pending last-used times recorded first.
    Community::Result<QList<ApiKeyListing>> apiKeys();
    /// NotFound unless an active key.
    Community::Result<void> revokeApiKey(qint64 id);

private:
    Community::Db::Database &m_db;
    TokenSigner &m_signer;
    AuthState &m_state;
    StateSync &m_sync;
};

} // namespace Auth
