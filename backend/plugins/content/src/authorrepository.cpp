// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "authorrepository.h"

namespace Content::AuthorRepository {

void remember(pqxx::transaction_base &tx, qint64 userId, const QString &username)
{
    // No row lock unless the name really changes: ON CONFLICT DO UPDATE would lock the
    // author's row for the rest of the transaction (even when its WHERE is false) and so
    // serialise every concurrent write by one user behind each commit.
    tx.exec_params("WITH renamed AS (UPDATE content.authors SET username = $2 WHERE user_id = $1 AND username <> $2) "
                   "INSERT INTO content.authors (user_id, username) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING",
                   userId, username.toStdString());
}

void update(pqxx::transaction_base &tx, qint64 userId, const QString &username, const char *state)
{
    tx.exec_params("UPDATE content.authors SET username = $2, state = $3 WHERE user_id = $1", userId,
                   username.toStdString(), std::string(state));
}

} // namespace Content::AuthorRepository
