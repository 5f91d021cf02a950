// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "accountrepository.h"

#include "authstate.h"
#include "sqlvalues.h"
#include "validation.h"

#include "community/json.h"

#include <QStringList>

using namespace Community;
using Community::Contracts::AccountState;
using namespace Auth::Internal;

namespace Auth {

QDateTime Internal::time(const pqxx::field &f)
{
    return f.is_null() ? QDateTime() : Json::fromMicros(f.as<qint64>());
}

namespace {

// The columns accountFrom() reads, in its order.
const std::string kColumns = "id, username, email, role, state, email_verified_at IS NOT NULL, must_change_password, "
                             + micros("created_at") + ", suspended_reason";

std::string select(const std::string &where)
{
    return "SELECT " + kColumns + " FROM auth.users WHERE " + where;
}

Account accountFrom(const pqxx::row &row)
{
    Account a;
    a.id = row[0].as<qint64>();
    a.username = text(row[1]);
    a.email = text(row[2]);
    parseRole(text(row[3]), &a.role);
    a.state = parseState(text(row[4]));
    a.emailVerified = row[5].as<bool>();
    a.mustChangePassword = row[6].as<bool>();
    a.createdAt = Internal::time(row[7]);
    a.suspendedReason = text(row[8]);
    return a;
}

std::optional<Account> first(const pqxx::result &r)
{
    if (r.empty())
        return std::nullopt;
    return accountFrom(r[0]);
}

} // namespace

Contracts::UserRecord Account::record() const
{
    return Contracts::UserRecord{id, username, email, role, state, createdAt};
}

QString stateName(AccountState s)
{
    switch (s) {
    case AccountState::Active: return QStringLiteral("active");
    case AccountState::Suspended: return QStringLiteral("suspended");
    case AccountState::Disabled: return QStringLiteral("disabled");
    }
    return QStringLiteral("active");
}

AccountState parseState(const QString &s)
{
    if (s == QLatin1String("suspended"))
        return AccountState::Suspended;
    if (s == QLatin1String("disabled"))
        return AccountState::Disabled;
    return AccountState::Active;
}

std::optional<Account> AccountRepository::byId(qint64 id, bool forUpdate)
{
    return first(m_tx.exec_params(select("id = $1") + (forUpdate ? " FOR UPDATE" : ""), id));
}

std::optional<Account> AccountRepository::byUsername(const QString &username)
{
    return first(m_tx.exec_params(select("lower(username) = lower($1)"), str(normalizeUsername(username))));
}

QList<Account> AccountRepository::byIds(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts << QString::number(id);
    QList<Account> out;
    for (const auto &row : m_tx.exec_params(select("id = ANY($1::bigint[]) ORDER BY id"),
                                            "{" + parts.join(QLatin1Char(',')).toStdString() + "}"))
        out.append(accountFrom(row));
    return out;
}

QList<qint64> AccountRepository::activeIdsAfter(qint64 afterId, int limit)
{
    QList<qint64> out;
    for (const auto &row : m_tx.exec_params("SELECT id FROM auth.users WHERE id > $1 AND state = 'active' ORDER BY id LIMIT $2",
                                            afterId, limit))
        out.append(row[0].as<qint64>());
    return out;
}

std::optional<std::pair<Account, QString>> AccountRepository::forLogin(const QString &login)
{
    const auto r = m_tx.exec_params("SELECT " + kColumns + ", password_hash FROM auth.users "
                                    "WHERE lower(username) = lower($1) OR lower(email) = lower($1) "
                                    "ORDER BY (lower(username) = lower($1)) DESC LIMIT 1",
                                    str(normalizeUsername(login)));
    if (r.empty())
        return std::nullopt;
    return std::pair{accountFrom(r[0]), text(r[0][9])};
}

std::optional<QString> AccountRepository::passwordHash(qint64 id)
{
    const auto r = m_tx.exec_params("SELECT password_hash FROM auth.users WHERE id = $1", id);
    if (r.empty())
        return std::nullopt;
    return text(r[0][0]);
}

std::optional<Taken> AccountRepository::taken(const QString &username, const QString &skeleton, const QString &email)
{
    const auto r = m_tx.exec_params("SELECT bool_or(lower(username) = lower($1)), "
                                    "coalesce(bool_or(lower(email) = lower($2)), false), "
                                    "coalesce(bool_or(username_skeleton = $3), false) "
                                    "FROM auth.users WHERE lower(username) = lower($1) OR lower(email) = lower($2) "
                                    "OR username_skeleton = $3",
                                    str(username), str(email), str(skeleton));
    if (r[0][0].is_null())
        return std::nullopt;
    Taken t{r[0][0].as<bool>(), r[0][1].as<bool>(), r[0][2].as<bool>()};
    t.confusable = t.confusable && !t.username;
    return t;
}

bool AccountRepository::skeletonTaken(const QString &skeleton)
{
    return !m_tx.exec_params("SELECT 1 FROM auth.users WHERE username_skeleton = $1", str(skeleton)).empty();
}

QList<StoredUsername> AccountRepository::withoutSkeleton(int limit)
{
    QList<StoredUsername> out;
    for (const auto &r : m_tx.exec_params("SELECT id, username FROM auth.users WHERE username_skeleton IS NULL "
                                          "ORDER BY id LIMIT $1",
                                          limit))
        out.append({r[0].as<qint64>(), text(r[1])});
    return out;
}

bool AccountRepository::setUsernameKey(qint64 id, const QString &username, const QString &skeleton)
{
    // Checked first instead of caught: a unique violation would abort the transaction.
    const auto clash = m_tx.exec_params("SELECT 1 FROM auth.users WHERE id <> $1 AND "
                                        "(lower(username) = lower($2) OR username_skeleton = $3) LIMIT 1",
                                        id, str(username), str(skeleton));
    if (!clash.empty())
        return false;
    m_tx.exec_params("UPDATE auth.users SET username = $2, username_skeleton = $3 WHERE id = $1", id, str(username),
                     str(skeleton));
    return true;
}

bool AccountRepository::emailTaken(const QString &email)
{
    return !m_tx.exec_params("SELECT 1 FROM auth.users WHERE lower(email) = lower($1)", str(email)).empty();
}

QSet<QString> AccountRepository::usernamesLike(const QString &likePrefix)
{
    QSet<QString> out;
    for (const auto &r : m_tx.exec_params("SELECT lower(username) FROM auth.users WHERE lower(username) LIKE $1 || '%'",
                                          str(likePrefix)))
        out.insert(text(r[0]));
    return out;
}

bool AccountRepository::exists(const QString &username)
{
    return !m_tx.exec_params("SELECT 1 FROM auth.users WHERE lower(username) = lower($1)", str(normalizeUsername(username)))
                .empty();
}

bool AccountRepository::anyAdmin()
{
    return !m_tx.exec("SELECT 1 FROM auth.users WHERE role = 'admin' LIMIT 1").empty();
}

std::optional<std::pair<QString, bool>> AccountRepository::email(qint64 id)
{
    const auto r = m_tx.exec_params("SELECT email, email_verified_at IS NOT NULL FROM auth.users WHERE id = $1", id);
    if (r.empty())
        return std::nullopt;
    return std::pair{text(r[0][0]), r[0][1].as<bool>()};
}

std::optional<std::pair<qint64, QString>> AccountRepository::activeByEmail(const QString &email)
{
    const auto r = m_tx.exec_params("SELECT id, email FROM auth.users WHERE lower(email) = lower($1) AND state = 'active'",
                                    str(email));
    if (r.empty())
        return std::nullopt;
    return std::pair{r[0][0].as<qint64>(), text(r[0][1])};
}

QList<Account> AccountRepository::list(qint64 afterId, const QString &prefix, int limit)
{
    QList<Account> out;
    for (const auto &row : m_tx.exec_params(
             select("id > $1 AND ($2 = '' OR left(lower(username), length($2)) = lower($2) "
                    "OR left(lower(email), length($2)) = lower($2)) ORDER BY id LIMIT $3"),
             afterId, str(prefix), limit))
        out.append(accountFrom(row));
    return out;
}

QList<std::pair<qint64, UserFlags>> AccountRepository::flagged()
{
    QList<std::pair<qint64, UserFlags>> out;
    for (const auto &u : m_tx.exec("SELECT id, role, state, must_change_password FROM auth.users "
                                   "WHERE role <> 'user' OR state <> 'active' OR must_change_password")) {
        UserFlags f;
        parseRole(text(u[1]), &f.role);
        f.state = parseState(text(u[2]));
        f.mustChangePassword = u[3].as<bool>();
        out.append({u[0].as<qint64>(), f});
    }
    return out;
}

Account AccountRepository::insert(const NewAccount &a)
{
    return accountFrom(m_tx.exec_params1(
        "INSERT INTO auth.users (username, email, password_hash, role, must_change_password, username_skeleton) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + kColumns,
        str(a.username), str(a.email), str(a.passwordHash), str(roleName(a.role)), a.mustChangePassword,
        str(a.usernameSkeleton)));
}

std::optional<Account> AccountRepository::insertFirstAdmin(const QString &passwordHash, const QString &skeleton)
{
    return first(m_tx.exec_params("INSERT INTO auth.users (username, email, password_hash, role, must_change_password, "
                                  "username_skeleton) "
                                  "VALUES ('admin', 'admin@localhost.localdomain', $1, 'admin', true, $2) "
                                  "ON CONFLICT DO NOTHING RETURNING " + kColumns,
                                  str(passwordHash), str(skeleton)));
}

std::optional<qint64> AccountRepository::insertExternal(const QString &username, const QString &skeleton,
                                                        const QString &email)
{
    const auto r = m_tx.exec_params("INSERT INTO auth.users (username, email, password_hash, email_verified_at, "
                                    "username_skeleton) "
                                    "VALUES ($1, NULLIF($2, ''), NULL, CASE WHEN $2 <> '' THEN now() END, $3) "
                                    "ON CONFLICT DO NOTHING RETURNING id",
                                    str(username), str(email), str(skeleton));
    if (r.empty())
        return std::nullopt;
    return r[0][0].as<qint64>();
}

Account AccountRepository::setPassword(qint64 id, const QString &passwordHash, bool mustChange)
{
    return accountFrom(m_tx.exec_params1("UPDATE auth.users SET password_hash = $2, must_change_password = $3, "
                                         "updated_at = now() WHERE id = $1 RETURNING " + kColumns,
                                         id, str(passwordHash), mustChange));
}

void AccountRepository::rehash(qint64 id, const QString &passwordHash)
{
    m_tx.exec_params("UPDATE auth.users SET password_hash = $2 WHERE id = $1", id, str(passwordHash));
}

std::optional<Account> AccountRepository::setRole(const QString &username, Role role)
{
    return first(m_tx.exec_params("UPDATE auth.users SET role = $2, updated_at = now() WHERE lower(username) = lower($1) "
                                  "RETURNING " + kColumns, str(normalizeUsername(username)), str(roleName(role))));
}

std::optional<Account> AccountRepository::setState(const QString &username, AccountState state, const QString &reason,
                                                   qint64 actorId)
{
    return first(m_tx.exec_params("UPDATE auth.users SET state = $2, suspended_reason = nullif($3, ''), "
                                  "updated_at = now() WHERE lower(username) = lower($1) AND ($2 = 'active' OR id <> $4) "
                                  "RETURNING " + kColumns,
                                  str(normalizeUsername(username)), str(stateName(state)), str(reason), actorId));
}

std::optional<Account> AccountRepository::markEmailVerified(qint64 id, const QString &email)
{
    return first(m_tx.exec_params("UPDATE auth.users SET email_verified_at = now(), updated_at = now() "
                                  "WHERE id = $1 AND lower(email) = lower($2) RETURNING " + kColumns,
                                  id, str(email)));
}

void AccountRepository::lockFirstAdmin()
{
    m_tx.exec("SELECT pg_advisory_xact_lock(hashtext('auth.first_admin'))");
}

} // namespace Auth
