// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What the 2FA / OAuth module borrows from the auth plugin, which owns accounts,
/// passwords and sessions. Hooks are called on database worker threads inside the
/// module's transaction (the pqxx::work passed in); they must not commit it.

#include "community/result.h"

#include <QJsonObject>
#include <QString>

#include <pqxx/pqxx>

#include <functional>

namespace Auth::Mfa {

using Community::Result;

struct Hooks {
    /// Creates a session for a user who passed every factor; returns the login response
    /// body (the same one POST /v1/auth/login answers). Refuse suspended accounts here.
    std::function<Result<QJsonObject>(pqxx::work &, qint64 userId, const QString &userAgent, const QString &ip)>
        issueSession;
    /// Checks the user's password (Argon2id). false = wrong (or no password set).
    std::function<Result<bool>(pqxx::work &, qint64 userId, const QString &password)> verifyPassword;
    /// Creates an account for a first OAuth login; `email` is empty unless the provider
    /// verified it; `preferredUsername` may be empty, invalid or taken: the hook must
    /// derive a valid, free username. Conflict (e.g. email taken) is answered as 409.
    std::function<Result<qint64>(pqxx::work &, const QString &preferredUsername, const QString &email)> createUser;
    /// Whether the account has a password (a non-null password hash).
    std::function<Result<bool>(pqxx::work &, qint64 userId)> hasPassword;
    /// Optional: called once the transaction that created an account through createUser
    /// has committed (on the same worker thread, outside any transaction), e.g. to tell
    /// listeners about the new account. Not called when the transaction rolled back.
    std::function<void(qint64 userId)> accountCreated;
};

} // namespace Auth::Mfa
