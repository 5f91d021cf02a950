// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "authservices.h"
#include "validation.h"

#include "community/problem.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <sodium.h>

using namespace Community;
using Community::Contracts::AccountState;
using Community::Contracts::UserChange;
using Community::Contracts::UserRecord;

Q_LOGGING_CATEGORY(lcAuth, "community.auth")

namespace Auth {

QString toQ(const pqxx::field &f)
{
    if (f.is_null())
        return {};
    return QString::fromUtf8(f.c_str(), qsizetype(f.size()));
}

std::string toStd(const QString &s)
{
    return s.toStdString();
}

QString roleText(Role r)
{
    return roleName(r);
}

AccountState parseState(const QString &s)
{
    if (s == QLatin1String("suspended"))
        return AccountState::Suspended;
    if (s == QLatin1String("disabled"))
        return AccountState::Disabled;
    return AccountState::Active;
}

QString stateText(AccountState s)
{
    switch (s) {
    case AccountState::Active: return QStringLiteral("active");
    case AccountState::Suspended: return QStringLiteral("suspended");
    case AccountState::Disabled: return QStringLiteral("disabled");
    }
    return QStringLiteral("active");
}

QString isoTime(const pqxx::field &f)
{
    if (f.is_null())
        return {};
    return QDateTime::fromMSecsSinceEpoch(qint64(f.as<double>() * 1000), Qt::UTC).toString(Qt::ISODateWithMs);
}

std::string AuthServices::userColumns(const std::string &a)
{
    const std::string p = a.empty() ? std::string() : a + ".";
    return p + "id, " + p + "username, " + p + "email, " + p + "role, " + p + "state, " + p
           + "email_verified_at IS NOT NULL, " + p + "must_change_password, extract(epoch FROM " + p
           + "created_at)::float8, " + p + "suspended_reason";
}

UserRecord AuthServices::recordFromRow(const pqxx::row &row)
{
    UserRecord u;
    u.id = row[0].as<qint64>();
    u.username = toQ(row[1]);
    u.email = toQ(row[2]);
    Role r = Role::User;
    parseRole(toQ(row[3]), &r);
    u.role = r;
    u.state = parseState(toQ(row[4]));
    u.createdAt = QDateTime::fromMSecsSinceEpoch(qint64(row[7].as<double>() * 1000), Qt::UTC);
    return u;
}

QJsonObject AuthServices::userJson(const pqxx::row &row)
{
    QJsonObject o{{QStringLiteral("id"), row[0].as<qint64>()},
                  {QStringLiteral("username"), toQ(row[1])},
                  {QStringLiteral("email"), row[2].is_null() ? QJsonValue() : QJsonValue(toQ(row[2]))},
                  {QStringLiteral("role"), toQ(row[3])},
                  {QStringLiteral("state"), toQ(row[4])},
                  {QStringLiteral("emailVerified"), row[5].as<bool>()},
                  {QStringLiteral("mustChangePassword"), row[6].as<bool>()},
                  {QStringLiteral("createdAt"), isoTime(row[7])}};
    if (!row[8].is_null())
        o.insert(QStringLiteral("suspendedReason"), toQ(row[8]));
    return o;
}

QJsonObject AuthServices::tokenJson(const TokenPair &t)
{
    return {{QStringLiteral("accessToken"), t.accessToken},
            {QStringLiteral("tokenType"), QStringLiteral("Bearer")},
            {QStringLiteral("expiresIn"), t.expiresIn},
            {QStringLiteral("refreshToken"), t.refreshToken}};
}

AuthServices::AuthServices(AuthConfig config, Db::Database *db)
    : m_config(std::move(config)), m_db(db), m_hasher(m_config.opsLimit, m_config.memLimitBytes)
{
}

Result<QString> AuthServices::accessToken(qint64 userId, const QString &username, qint64 sessionId)
{
    AccessClaims c;
    c.userId = userId;
    c.username = username;
    c.sessionId = sessionId;
    c.issuedAt = QDateTime::currentSecsSinceEpoch();
    c.expiresAt = c.issuedAt + m_config.accessTokenTtlSeconds;
    auto t = m_signer.sign(c);
    if (!t)
        return tl::unexpected(t.error());
    return QString::fromLatin1(*t);
}

Result<TokenPair> AuthServices::issueSession(pqxx::work &tx, qint64 userId, const QString &userAgent, const QString &ip)
{
    const auto u = tx.exec_params("SELECT username FROM auth.users WHERE id = $1", userId);
    if (u.empty())
        return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
    const std::string days = std::to_string(m_config.refreshTokenTtlDays);
    const auto s = tx.exec_params("INSERT INTO auth.sessions (user_id, user_agent, ip, expires_at) "
                                  "VALUES ($1, $2, $3, now() + ($4 || ' days')::interval) RETURNING id",
                                  userId, toStd(userAgent.left(512)), toStd(ip), days);
    const qint64 sid = s[0][0].as<qint64>();
    const QByteArray refresh = randomToken(32);
    const QByteArray hash = sha256(refresh);
    tx.exec_params("INSERT INTO auth.refresh_tokens (token_hash, session_id, expires_at) "
                   "VALUES ($1, $2, now() + ($3 || ' days')::interval)",
                   pqxx::binarystring(hash.constData(), size_t(hash.size())), sid, days);
    auto access = accessToken(userId, toQ(u[0][0]), sid);
    if (!access)
        return tl::unexpected(access.error());
    return TokenPair{*access, QString::fromLatin1(refresh), m_config.accessTokenTtlSeconds, sid};
}

Result<QJsonObject> AuthServices::loginResponse(pqxx::work &tx, qint64 userId, const QString &userAgent,
                                                const QString &ip)
{
    const auto u = tx.exec_params("SELECT " + userColumns() + " FROM auth.users WHERE id = $1", userId);
    if (u.empty())
        return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
    const AccountState state = parseState(toQ(u[0][4]));
    if (state != AccountState::Active)
        return fail(ErrorCode::Forbidden, state == AccountState::Suspended ? QStringLiteral("This account is suspended.")
                                                                          : QStringLiteral("This account is disabled."));
    auto pair = issueSession(tx, userId, userAgent, ip);
    if (!pair)
        return tl::unexpected(pair.error());
    QJsonObject o = tokenJson(*pair);
    o.insert(QStringLiteral("user"), userJson(u[0]));
    return o;
}

Result<qint64> AuthServices::createExternalUser(pqxx::work &tx, const QString &preferredUsername, const QString &email)
{
    auto emailTaken = [&] {
        return !email.isEmpty()
               && !tx.exec_params("SELECT 1 FROM auth.users WHERE lower(email) = lower($1)", toStd(email)).empty();
    };
    auto conflict = [] {
        Error e = Error::make(ErrorCode::Conflict,
                              QStringLiteral("An account with this email address exists; sign in to it and link the identity."));
        e.fields = {{QStringLiteral("email"), QStringLiteral("This email is already registered."), QStringLiteral("taken")}};
        return tl::unexpected(e);
    };
    if (emailTaken())
        return conflict();
    const QString base = derivedUsername(preferredUsername, email);
    // Every name that could clash with base + digits, in one query.
    QString pattern = base.toLower();
    pattern.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    for (int attempt = 0; attempt < 5; ++attempt) {
        QSet<QString> taken;
        for (const auto &r : tx.exec_params("SELECT lower(username) FROM auth.users WHERE lower(username) LIKE $1 || '%'",
                                            toStd(pattern)))
            taken.insert(toQ(r[0]));
        QString name;
        for (int n = 1; n < 10000 && name.isEmpty(); ++n) {
            const QString candidate = n == 1 ? base : usernameWithSuffix(base, QString::number(n));
            if (!taken.contains(candidate.toLower()) && !checkUsername(candidate))
                name = candidate;
        }
        if (name.isEmpty())
            name = usernameWithSuffix(base, QString::number(100000 + randombytes_uniform(900000)));
        const auto row = tx.exec_params("INSERT INTO auth.users (username, email, password_hash, email_verified_at) "
                                        "VALUES ($1, NULLIF($2, ''), NULL, CASE WHEN $2 <> '' THEN now() END) "
                                        "ON CONFLICT DO NOTHING RETURNING id",
                                        toStd(name), toStd(email));
        if (!row.empty())
            return row[0][0].as<qint64>();
        if (emailTaken())   // taken by a concurrent registration
            return conflict();
    }
    return fail(ErrorCode::Unavailable, QStringLiteral("Could not choose a username; please retry."));
}

Result<bool> AuthServices::hasPassword(pqxx::work &tx, qint64 userId)
{
    const auto r = tx.exec_params("SELECT password_hash IS NOT NULL FROM auth.users WHERE id = $1", userId);
    if (r.empty())
        return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
    return r[0][0].as<bool>();
}

void AuthServices::accountCreated(qint64 userId)
{
    auto u = findById(userId);
    if (!u) {
        qCWarning(lcAuth) << "reading new account" << userId << "failed:" << u.error().logDetail;
        return;
    }
    AfterCommit after;
    userChanged(after, *u, false, UserChange::Kind::Registered);
    for (auto &f : after)
        f();
}

Mfa::Hooks AuthServices::mfaHooks()
{
    Mfa::Hooks h;
    h.issueSession = [this](pqxx::work &tx, qint64 userId, const QString &ua, const QString &ip) {
        return loginResponse(tx, userId, ua, ip);
    };
    h.verifyPassword = [this](pqxx::work &tx, qint64 userId, const QString &password) {
        return verifyPassword(tx, userId, password);
    };
    h.createUser = [this](pqxx::work &tx, const QString &preferred, const QString &email) {
        return createExternalUser(tx, preferred, email);
    };
    h.hasPassword = [this](pqxx::work &tx, qint64 userId) { return hasPassword(tx, userId); };
    h.accountCreated = [this](qint64 userId) { accountCreated(userId); };
    return h;
}

Result<bool> AuthServices::verifyPassword(pqxx::work &tx, qint64 userId, const QString &password)
{
    const auto r = tx.exec_params("SELECT password_hash FROM auth.users WHERE id = $1", userId);
    if (r.empty())
        return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
    if (r[0][0].is_null()) {   // an account without a password (OAuth only)
        m_hasher.dummyVerify(password);
        return false;
    }
    return m_hasher.verify(toQ(r[0][0]), password);
}

void AuthServices::respond(const Http::HttpRequest &request, const Http::Responder &responder, TxWork work)
{
    const QString requestId = request.requestId;
    auto job = [this, requestId, responder, work = std::move(work)] {
        AfterCommit after;
        auto r = m_db->transact<Http::HttpResponse>([&](pqxx::work &tx) {
            after.clear();   // a retried transaction starts over
            return work(tx, after);
        });
        if (!r) {
            if (r.error().code == ErrorCode::Internal)
                qCWarning(lcAuth) << "request" << requestId << "failed:" << r.error().logDetail;
            responder.send(Http::problemFromError(r.error(), requestId));
            return;
        }
        for (auto &f : after)
            f();
        responder.send(std::move(*r));
    };
    if (!m_db->trySubmit(std::move(job))) {
        auto resp = Http::problem(503, QStringLiteral("overloaded"), QStringLiteral("Service overloaded"),
                                  QStringLiteral("The server is busy; please retry shortly."), {}, requestId);
        resp.setHeader("Retry-After", "1");
        responder.send(std::move(resp));
    }
}

Result<QString> AuthServices::rotateKey(pqxx::work &tx, AfterCommit &after)
{
    const QString kid = QString::fromLatin1(randomToken(9));
    const QByteArray secret = randomBytes(32);
    tx.exec_params("INSERT INTO auth.signing_keys (kid, secret) VALUES ($1, $2)", toStd(kid),
                   pqxx::binarystring(secret.constData(), size_t(secret.size())));
    after.push_back([this, kid, secret] { m_signer.addKey(kid, secret, true); });
    return kid;
}

Result<void> AuthServices::ensureSigningKey()
{
    AfterCommit after;
    auto r = m_db->transact<void>([&](pqxx::work &tx) -> Result<void> {
        after.clear();
        // Several nodes may start together: one creates the key.
        tx.exec("SELECT pg_advisory_xact_lock(hashtext('auth.signing_keys'))");
        if (tx.exec("SELECT 1 FROM auth.signing_keys WHERE retired_at IS NULL LIMIT 1").empty()) {
            if (auto k = rotateKey(tx, after); !k)
                return tl::unexpected(k.error());
        }
        return {};
    });
    if (!r)
        return r;
    for (auto &f : after)
        f();
    return {};
}

Result<QString> AuthServices::ensureAdmin()
{
    const QString password = QString::fromLatin1(randomToken(15));
    auto hash = m_hasher.hash(password);
    if (!hash)
        return tl::unexpected(hash.error());
    AfterCommit after;
    auto r = m_db->transact<QString>([&](pqxx::work &tx) -> Result<QString> {
        after.clear();
        tx.exec("SELECT pg_advisory_xact_lock(hashtext('auth.first_admin'))");
        if (!tx.exec("SELECT 1 FROM auth.users WHERE role = 'admin' LIMIT 1").empty())
            return QString();
        const auto row = tx.exec_params("INSERT INTO auth.users (username, email, password_hash, role, must_change_password) "
                                        "VALUES ('admin', 'admin@localhost.localdomain', $1, 'admin', true) "
                                        "ON CONFLICT DO NOTHING RETURNING " + userColumns(),
                                        toStd(*hash));
        if (row.empty())
            return fail(ErrorCode::Conflict, QStringLiteral("A user named admin exists but no admin does."));
        userChanged(after, recordFromRow(row[0]), true, UserChange::Kind::Registered);
        return password;
    });
    if (!r)
        return r;
    for (auto &f : after)
        f();
    return r;
}

Result<void> AuthServices::reloadState()
{
    const quint64 startedAt = m_state.version();
    StateSnapshot snap;
    auto r = m_db->transact<void>([&](pqxx::work &tx) -> Result<void> {
        snap = StateSnapshot{};
        const auto keys = tx.exec("SELECT kid, secret FROM auth.signing_keys WHERE retired_at IS NULL "
                                  "ORDER BY created_at, kid");
        for (const auto &k : keys) {
            const pqxx::binarystring b(k[1]);
            snap.keys.insert(toQ(k[0]), QByteArray(reinterpret_cast<const char *>(b.data()), qsizetype(b.size())));
            snap.activeKid = toQ(k[0]);
        }
        // Access tokens of a revoked session stay valid until they expire: remember it that long.
        const auto rev = tx.exec_params("SELECT id FROM auth.sessions WHERE revoked_at > now() - ($1 || ' seconds')::interval",
                                        std::to_string(m_config.accessTokenTtlSeconds + 60));
        for (const auto &s : rev)
            snap.revokedSessions.insert(s[0].as<qint64>());
        const auto users = tx.exec("SELECT id, role, state, must_change_password FROM auth.users "
                                   "WHERE role <> 'user' OR state <> 'active' OR must_change_password");
        for (const auto &u : users) {
            UserFlags f;
            parseRole(toQ(u[1]), &f.role);
            f.state = parseState(toQ(u[2]));
            f.mustChangePassword = u[3].as<bool>();
            snap.users.insert(u[0].as<qint64>(), f);
        }
        const auto apiKeys = tx.exec("SELECT k.id, k.secret_hash, array_to_json(k.scopes)::text, "
                                     "coalesce(k.created_by, 0), coalesce(u.username, 'operator') "
                                     "FROM auth.api_keys k LEFT JOIN auth.users u ON u.id = k.created_by "
                                     "WHERE k.revoked_at IS NULL");
        for (const auto &k : apiKeys) {
            auto e = std::make_shared<ApiKeyEntry>();
            e->id = k[0].as<qint64>();
            const pqxx::binarystring b(k[1]);
            e->secretHash = QByteArray(reinterpret_cast<const char *>(b.data()), qsizetype(b.size()));
            for (const QJsonValue &v : QJsonDocument::fromJson(toQ(k[2]).toUtf8()).array())
                e->scopes << v.toString();
            e->ownerId = k[3].as<qint64>();
            e->ownerName = toQ(k[4]);
            snap.apiKeys.append(e);
        }
        return {};
    });
    if (!r)
        return r;
    m_state.apply(std::move(snap), startedAt);
    return {};
}

void AuthServices::flushKeyUsage()
{
    const auto usage = m_state.takeKeyUsage();
    if (usage.isEmpty())
        return;
    auto r = m_db->transact<void>([&](pqxx::work &tx) -> Result<void> {
        for (const auto &[id, ms] : usage)
            tx.exec_params("UPDATE auth.api_keys SET last_used_at = to_timestamp($2::float8 / 1000) WHERE id = $1",
                           id, double(ms));
        return {};
    });
    if (!r)
        qCWarning(lcAuth) << "recording API key use failed:" << r.error().logDetail;
}

void AuthServices::userChanged(AfterCommit &after, const UserRecord &user, bool mustChange, UserChange::Kind kind)
{
    after.push_back([this, user, mustChange, kind] {
        m_state.setUser(user.id, UserFlags{user.role, user.state, mustChange});
        QList<std::function<void(const UserChange &)>> listeners;
        {
            QMutexLocker lock(&m_listenersMutex);
            listeners = m_listeners;
        }
        const UserChange change{kind, user};
        for (const auto &l : listeners)
            l(change);
    });
}

Result<UserRecord> AuthServices::findByUsername(const QString &username) const
{
    return m_db->read<UserRecord>([&](pqxx::nontransaction &tx) -> Result<UserRecord> {
        const auto r = tx.exec_params("SELECT " + userColumns() + " FROM auth.users WHERE lower(username) = lower($1)",
                                      toStd(username));
        if (r.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
        return recordFromRow(r[0]);
    });
}

Result<UserRecord> AuthServices::findById(qint64 id) const
{
    return m_db->read<UserRecord>([&](pqxx::nontransaction &tx) -> Result<UserRecord> {
        const auto r = tx.exec_params("SELECT " + userColumns() + " FROM auth.users WHERE id = $1", id);
        if (r.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
        return recordFromRow(r[0]);
    });
}

Result<QList<UserRecord>> AuthServices::findByIds(const QList<qint64> &ids) const
{
    QStringList parts;
    for (qint64 id : ids)
        parts << QString::number(id);
    const std::string arr = "{" + parts.join(QLatin1Char(',')).toStdString() + "}";
    return m_db->read<QList<UserRecord>>([&](pqxx::nontransaction &tx) -> Result<QList<UserRecord>> {
        QList<UserRecord> out;
        for (const auto &row : tx.exec_params("SELECT " + userColumns() + " FROM auth.users WHERE id = ANY($1::bigint[]) ORDER BY id", arr))
            out.append(recordFromRow(row));
        return out;
    });
}

void AuthServices::subscribe(std::function<void(const UserChange &)> listener)
{
    QMutexLocker lock(&m_listenersMutex);
    m_listeners.append(std::move(listener));
}

} // namespace Auth
