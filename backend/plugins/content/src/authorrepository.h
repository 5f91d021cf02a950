// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// content.authors: the local copy of usernames and account states that content rows
/// join for display. SQL only; runs in the caller's transaction.

#include <QString>

#include <pqxx/pqxx>

namespace Content::AuthorRepository {

/// Upserts the user's name (on every write; takes no row lock unless the name changed,
/// so one user's concurrent writes do not queue).
void remember(pqxx::transaction_base &tx, qint64 userId, const QString &username);
/// Applies an account change from the directory (rename, suspension).
void update(pqxx::transaction_base &tx, qint64 userId, const QString &username, const char *state);

} // namespace Content::AuthorRepository
