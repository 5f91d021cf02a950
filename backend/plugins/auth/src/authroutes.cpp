// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "authroutes.h"
#include "validation.h"

#include "community/problem.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

using namespace Community;
using namespace Community::Http;
using Community::Contracts::AccountState;
using Community::Contracts::UserChange;

Q_DECLARE_LOGGING_CATEGORY(lcAuth)

namespace Auth {

namespace {

QString clientIp(const HttpRequest &req)
{
    QHostAddress a = req.peerAddress;
    bool ok = false;
    const QHostAddress v4(a.toIPv4Address(&ok));
    return ok ? v4.toString() : a.toString();
}

QString userAgent(const HttpRequest &req)
{
    return QString::fromUtf8(req.header("user-agent")).left(512);
}

HttpResponse errorResponse(const Error &e, const QString &requestId)
{
    return problemFromError(e, requestId);
}

Error invalidField(const QString &field, const QString &message, const QString &code)
{
    Error e = Error::make(ErrorCode::InvalidArgument, QStringLiteral("The request has invalid fields."));
    e.fields = {{field, message, code}};
    return e;
}

/// Parses the body strictly and runs `read` on it; sends the 400 itself on failure.
template<typename F>
bool readBody(const HttpRequest &req, const Responder &res, F &&read, bool optional = false)
{
    QJsonObject obj;
    if (!(optional && req.body.trimmed().isEmpty())) {
        auto parsed = parseStrictObject(req.body);
        if (!parsed) {
            res.send(errorResponse(parsed.error(), req.requestId));
            return false;
        }
        obj = *parsed;
    }
    BodyReader reader(obj);
    read(reader);
    if (auto r = reader.finish(); !r) {
        res.send(errorResponse(r.error(), req.requestId));
        return false;
    }
    return true;
}

void addCheck(BodyReader &r, const std::optional<FieldError> &e)
{
    if (e)
        r.addError(e->field, e->message, e->code);
}

HttpResponse invalidCredentials(const QString &requestId)
{
    return problem(401, QStringLiteral("invalid-credentials"), QStringLiteral("Unauthorized"),
                   QStringLiteral("The login or the password is wrong."), {}, requestId);
}

HttpResponse invalidToken(const QString &requestId)
{
    HttpResponse r = problem(401, QStringLiteral("invalid-token"), QStringLiteral("Unauthorized"),
                             QStringLiteral("The refresh token is invalid, expired or revoked."), {}, requestId);
    return r;
}

std::string userSelect(const std::string &where)
{
    return "SELECT " + AuthServices::userColumns() + " FROM auth.users WHERE " + where;
}

QJsonObject tokenJson(const TokenPair &t)
{
    return AuthServices::tokenJson(t);
}

pqxx::binarystring bin(const QByteArray &b)
{
    return pqxx::binarystring(b.constData(), size_t(b.size()));
}

/// Counts a failed login for `key`; from `delayAfter` failures an escalating wait, from
/// `max` failures a lock of `lockSeconds`.
void recordFailure(pqxx::work &tx, const QString &key, int max, int delayAfter, const AuthConfig &cfg)
{
    const std::string window = std::to_string(cfg.lockout.windowSeconds) + " seconds";
    const auto r = tx.exec_params(
        "INSERT INTO auth.login_failures AS f (key, failures, window_start) VALUES ($1, 1, now()) "
        "ON CONFLICT (key) DO UPDATE SET "
        " failures = CASE WHEN f.window_start < now() - $2::interval THEN 1 ELSE f.failures + 1 END, "
        " window_start = CASE WHEN f.window_start < now() - $2::interval THEN now() ELSE f.window_start END "
        "RETURNING failures",
        toStd(key), window);
    const int failures = r[0][0].as<int>();
    qint64 lockFor = 0;
    if (failures >= max)
        lockFor = cfg.lockout.lockSeconds;
    else if (delayAfter > 0 && failures >= delayAfter)
        lockFor = qMin<qint64>(qint64(1) << qMin(failures - delayAfter, 6), 60);
    if (lockFor > 0)
        tx.exec_params("UPDATE auth.login_failures SET locked_until = now() + ($2 || ' seconds')::interval WHERE key = $1",
                       toStd(key), std::to_string(lockFor));
}

/// Revokes sessions of a user (all, or all but `keep`), in the database and after commit in memory.
void revokeSessions(pqxx::work &tx, AfterCommit &after, AuthState &state, qint64 userId, qint64 keep = 0)
{
    const auto r = tx.exec_params("UPDATE auth.sessions SET revoked_at = now() "
                                  "WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING id",
                                  userId, keep);
    QList<qint64> ids;
    for (const auto &row : r)
        ids << row[0].as<qint64>();
    after.push_back([&state, ids] {
        for (qint64 id : ids)
            state.revokeSession(id);
    });
}

/// Writes an email token (hashed) and its outbox event in the caller's transaction.
QString issueEmailToken(pqxx::work &tx, qint64 userId, const QString &email, const QString &purpose,
                        qint64 ttlSeconds, const QString &eventType)
{
    const QByteArray token = randomToken(32);
    tx.exec_params("INSERT INTO auth.email_tokens (token_hash, user_id, purpose, email, expires_at) "
                   "VALUES ($1, $2, $3, $4, now() + ($5 || ' seconds')::interval)",
                   bin(sha256(token)), userId, toStd(purpose), toStd(email), std::to_string(ttlSeconds));
    const QJsonObject payload{{QStringLiteral("userId"), userId},
                              {QStringLiteral("email"), email},
                              {QStringLiteral("token"), QString::fromLatin1(token)},
                              {QStringLiteral("expiresInSeconds"), ttlSeconds}};
    tx.exec_params("INSERT INTO auth.outbox (type, payload) VALUES ($1, $2::jsonb)", toStd(eventType),
                   QJsonDocument(payload).toJson(QJsonDocument::Compact).toStdString());
    return QString::fromLatin1(token);
}

// 409 with field errors when the username or the email already belongs to an account.
Result<void> checkAccountFree(pqxx::work &tx, const QString &username, const QString &email)
{
    const auto dup = tx.exec_params("SELECT bool_or(lower(username) = lower($1)), coalesce(bool_or(lower(email) = lower($2)), false) "
                                    "FROM auth.users WHERE lower(username) = lower($1) OR lower(email) = lower($2)",
                                    toStd(username), toStd(email));
    if (dup[0][0].is_null())
        return {};
    Error e = Error::make(ErrorCode::Conflict, QStringLiteral("The username or email is already taken."));
    if (dup[0][0].as<bool>())
        e.fields.append({QStringLiteral("username"), QStringLiteral("This username is taken."), QStringLiteral("taken")});
    if (dup[0][1].as<bool>())
        e.fields.append({QStringLiteral("email"), QStringLiteral("This email is already registered."), QStringLiteral("taken")});
    return tl::unexpected(e);
}

} // namespace

bool AuthRoutes::userSession(const HttpRequest &req, const Responder &res)
{
    if (req.principal.kind != Principal::Kind::User || req.principal.sessionId.isEmpty()) {
        res.send(problem(403, QStringLiteral("forbidden"), QStringLiteral("Forbidden"),
                         QStringLiteral("This route needs a user session, not an API key."), {}, req.requestId));
        return false;
    }
    return true;
}

Result<void> AuthRoutes::registerAll(Router &router)
{
    using H = void (AuthRoutes::*)(Req &, const Res &);
    auto pub = [] {
        RouteOptions o;
        o.owner = QStringLiteral("auth");
        o.rateClass = QStringLiteral("auth");
        o.maxBodyBytes = 16 * 1024;
        return o;
    };
    auto user = [](bool authClass = false, bool duringPasswordChange = false) {
        RouteOptions o = RouteOptions::authenticated(Role::User);
        o.owner = QStringLiteral("auth");
        o.maxBodyBytes = 16 * 1024;
        if (authClass)
            o.rateClass = QStringLiteral("auth");
        // Reachable while the account must change its password (the gateway answers 403
        // password-change-required on every other authenticated route).
        o.allowPendingPasswordChange = duringPasswordChange;
        return o;
    };
    auto admin = [] {
        RouteOptions o = RouteOptions::authenticated(Role::Admin, QStringLiteral("admin"));
        o.owner = QStringLiteral("auth");
        o.maxBodyBytes = 16 * 1024;
        return o;
    };
    struct R { const char *method; const char *path; H handler; RouteOptions opts; };
    const QList<R> routes{
        {"POST", "/v1/auth/register", &AuthRoutes::registerUser, pub()},
        {"POST", "/v1/auth/login", &AuthRoutes::login, pub()},
        {"POST", "/v1/auth/refresh", &AuthRoutes::refresh, pub()},
        {"POST", "/v1/auth/logout", &AuthRoutes::logout, user(false, true)},
        {"GET", "/v1/auth/me", &AuthRoutes::me, user(false, true)},
        {"GET", "/v1/auth/sessions", &AuthRoutes::sessions, user(false, true)},
        {"DELETE", "/v1/auth/sessions/{id}", &AuthRoutes::deleteSession, user()},
        {"POST", "/v1/auth/sessions/revoke-others", &AuthRoutes::revokeOtherSessions, user()},
        {"POST", "/v1/auth/password", &AuthRoutes::changePassword, user(true, true)},
        {"POST", "/v1/auth/verify-email/request", &AuthRoutes::requestEmailVerification, user(true)},
        {"POST", "/v1/auth/verify-email", &AuthRoutes::verifyEmail, pub()},
        {"POST", "/v1/auth/password-reset/request", &AuthRoutes::requestPasswordReset, pub()},
        {"POST", "/v1/auth/password-reset", &AuthRoutes::resetPassword, pub()},
        {"POST", "/v1/admin/auth/rotate-key", &AuthRoutes::rotateKey, admin()},
        {"GET", "/v1/admin/auth/outbox", &AuthRoutes::outbox, admin()},
        {"POST", "/v1/admin/api-keys", &AuthRoutes::createApiKey, admin()},
        {"GET", "/v1/admin/api-keys", &AuthRoutes::listApiKeys, admin()},
        {"DELETE", "/v1/admin/api-keys/{id}", &AuthRoutes::revokeApiKey, admin()},
        {"GET", "/v1/admin/users", &AuthRoutes::listUsers, admin()},
        {"POST", "/v1/admin/users", &AuthRoutes::createUser, admin()},
        {"GET", "/v1/admin/users/{username}", &AuthRoutes::showUser, admin()},
        {"PUT", "/v1/admin/users/{username}/role", &AuthRoutes::setRole, admin()},
        {"POST", "/v1/admin/users/{username}/suspend", &AuthRoutes::suspend, admin()},
        {"POST", "/v1/admin/users/{username}/unsuspend", &AuthRoutes::unsuspend, admin()},
        {"POST", "/v1/admin/users/{username}/reset-password", &AuthRoutes::adminResetPassword, admin()},
        {"POST", "/v1/admin/users/{username}/disable-2fa", &AuthRoutes::disableTwoFactor, admin()},
    };
    for (const R &r : routes) {
        const H h = r.handler;
        auto added = router.add(QByteArray(r.method), QString::fromLatin1(r.path),
                                [this, h](HttpRequest &req, const Responder &res) { (this->*h)(req, res); }, r.opts);
        if (!added)
            return added;
    }
    return {};
}

// ---- /v1/auth ----

void AuthRoutes::registerUser(Req &req, const Res &res)
{
    QString username, email, password;
    if (!readBody(req, res, [&](BodyReader &r) {
            auto u = r.string(QStringLiteral("username"), true, 64);
            auto e = r.string(QStringLiteral("email"), true, 254);
            auto p = r.string(QStringLiteral("password"), true, 256);
            if (u) addCheck(r, checkUsername(username = *u));
            if (e) addCheck(r, checkEmail(email = *e));
            if (p) addCheck(r, checkPassword(password = *p, username, email));
        }))
        return;
    m_s->respond(req, res, [this, username, email, password](pqxx::work &tx, AfterCommit &after)
                               -> Result<HttpResponse> {
        if (auto free = checkAccountFree(tx, username, email); !free)
            return tl::unexpected(free.error());
        auto hash = m_s->hasher().hash(password);
        if (!hash)
            return tl::unexpected(hash.error());
        const auto row = tx.exec_params("INSERT INTO auth.users (username, email, password_hash) VALUES ($1, $2, $3) "
                                        "RETURNING " + AuthServices::userColumns(),
                                        toStd(username), toStd(email), toStd(*hash));
        m_s->userChanged(after, AuthServices::recordFromRow(row[0]), false, UserChange::Kind::Registered);
        return HttpResponse::json(201, QJsonObject{{QStringLiteral("user"), AuthServices::userJson(row[0])}});
    });
}

void AuthRoutes::login(Req &req, const Res &res)
{
    QString login, password;
    if (!readBody(req, res, [&](BodyReader &r) {
            auto l = r.string(QStringLiteral("login"), true, 254);
            auto p = r.string(QStringLiteral("password"), true, 256);
            if (l && l->isEmpty())
                r.addError(QStringLiteral("login"), QStringLiteral("This field is required."), QStringLiteral("required"));
            if (p && p->isEmpty())
                r.addError(QStringLiteral("password"), QStringLiteral("This field is required."), QStringLiteral("required"));
            login = l.value_or(QString());
            password = p.value_or(QString());
        }))
        return;
    const QString ip = clientIp(req);
    const QString ua = userAgent(req);
    m_s->respond(req, res, [this, login, password, ip, ua, rid = req.requestId](pqxx::work &tx, AfterCommit &after)
                               -> Result<HttpResponse> {
        const AuthConfig &cfg = m_s->config();
        const QString loginKey = QStringLiteral("login:") + login.toLower();
        const QString ipKey = QStringLiteral("ip:") + ip;
        const auto locked = tx.exec_params("SELECT ceil(extract(epoch FROM max(locked_until) - now()))::bigint "
                                           "FROM auth.login_failures WHERE key IN ($1, $2) AND locked_until > now()",
                                           toStd(loginKey), toStd(ipKey));
        if (!locked[0][0].is_null()) {
            const qint64 wait = qMax<qint64>(1, locked[0][0].as<qint64>());
            HttpResponse r = problem(429, QStringLiteral("too-many-attempts"), QStringLiteral("Too Many Requests"),
                                     QStringLiteral("Too many failed logins; retry after %1 s.").arg(wait), {}, rid);
            r.setHeader("Retry-After", QByteArray::number(wait));
            return r;
        }
        const auto u = tx.exec_params("SELECT " + AuthServices::userColumns() + ", password_hash FROM auth.users "
                                      "WHERE lower(username) = lower($1) OR lower(email) = lower($1) "
                                      "ORDER BY (lower(username) = lower($1)) DESC LIMIT 1",
                                      toStd(login));
        bool ok = false;
        if (u.empty() || u[0][9].is_null())
            m_s->hasher().dummyVerify(password);   // the same time as a real check
        else
            ok = m_s->hasher().verify(toQ(u[0][9]), password);
        if (!ok) {
            recordFailure(tx, loginKey, cfg.lockout.maxFailures, cfg.lockout.delayAfter, cfg);
            recordFailure(tx, ipKey, cfg.lockout.ipMaxFailures, 0, cfg);
            return invalidCredentials(rid);
        }
        const pqxx::row user = u[0];
        tx.exec_params("DELETE FROM auth.login_failures WHERE key = $1", toStd(loginKey));
        const qint64 userId = user[0].as<qint64>();
        if (parseState(toQ(user[4])) != AccountState::Active)
            return problem(403, QStringLiteral("account-suspended"), QStringLiteral("Forbidden"),
                           QStringLiteral("This account is suspended."), {}, rid);
        if (m_s->hasher().needsRehash(toQ(user[9]))) {
            auto h = m_s->hasher().hash(password);
            if (h)
                tx.exec_params("UPDATE auth.users SET password_hash = $2 WHERE id = $1", userId, toStd(*h));
        }
        // A second factor is due: no tokens yet, a single-use challenge for POST /v1/auth/login/2fa.
        auto totp = Mfa::totpEnabled(tx, userId);
        if (!totp)
            return tl::unexpected(totp.error());
        if (*totp) {
            auto token = Mfa::createChallenge(tx, userId, ua, ip, m_s->mfaChallengeTtl());
            if (!token)
                return tl::unexpected(token.error());
            return HttpResponse::json(200, QJsonObject{{QStringLiteral("mfaRequired"), true},
                                                       {QStringLiteral("mfaToken"), *token}});
        }
        auto body = m_s->loginResponse(tx, userId, ua, ip);
        if (!body)
            return tl::unexpected(body.error());
        Q_UNUSED(after);
        return HttpResponse::json(200, *body);
    });
}

void AuthRoutes::refresh(Req &req, const Res &res)
{
    QString token;
    if (!readBody(req, res, [&](BodyReader &r) {
            token = r.string(QStringLiteral("refreshToken"), true, 128).value_or(QString());
        }))
        return;
    m_s->respond(req, res, [this, token, rid = req.requestId](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        const QByteArray hash = sha256(token.toLatin1());
        const auto r = tx.exec_params(
            "SELECT r.session_id, r.used_at IS NOT NULL, r.expires_at < now() OR s.expires_at < now(), "
            "       s.revoked_at IS NOT NULL, s.user_id, u.username, u.state "
            "FROM auth.refresh_tokens r JOIN auth.sessions s ON s.id = r.session_id "
            "JOIN auth.users u ON u.id = s.user_id WHERE r.token_hash = $1 FOR UPDATE OF r, s",
            bin(hash));
        if (r.empty())
            return invalidToken(rid);
        const qint64 sid = r[0][0].as<qint64>();
        const qint64 userId = r[0][4].as<qint64>();
        if (r[0][1].as<bool>()) {
            // A used token came back: someone holds a copy. End the whole family.
            tx.exec_params("UPDATE auth.sessions SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1", sid);
            tx.exec_params("UPDATE auth.refresh_tokens SET used_at = coalesce(used_at, now()) WHERE session_id = $1", sid);
            after.push_back([this, sid, userId] {
                m_s->state().revokeSession(sid);
                qCWarning(lcAuth, "refresh token reuse: session %lld of user %lld revoked", sid, userId);
            });
            return invalidToken(rid);
        }
        if (r[0][2].as<bool>() || r[0][3].as<bool>())
            return invalidToken(rid);
        if (parseState(toQ(r[0][6])) != AccountState::Active)
            return problem(403, QStringLiteral("account-suspended"), QStringLiteral("Forbidden"),
                           QStringLiteral("This account is suspended."), {}, rid);
        tx.exec_params("UPDATE auth.refresh_tokens SET used_at = now() WHERE token_hash = $1", bin(hash));
        const QByteArray next = randomToken(32);
        tx.exec_params("INSERT INTO auth.refresh_tokens (token_hash, session_id, expires_at) "
                       "VALUES ($1, $2, now() + ($3 || ' days')::interval)",
                       bin(sha256(next)), sid, std::to_string(m_s->config().refreshTokenTtlDays));
        tx.exec_params("UPDATE auth.sessions SET last_seen_at = now() WHERE id = $1", sid);
        auto access = m_s->accessToken(userId, toQ(r[0][5]), sid);
        if (!access)
            return tl::unexpected(access.error());
        return HttpResponse::json(200, tokenJson(TokenPair{*access, QString::fromLatin1(next),
                                                           m_s->config().accessTokenTtlSeconds, sid}));
    });
}

void AuthRoutes::logout(Req &req, const Res &res)
{
    if (!userSession(req, res))
        return;
    const qint64 sid = req.principal.sessionId.toLongLong();
    const qint64 uid = req.principal.userId;
    m_s->respond(req, res, [this, sid, uid](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        tx.exec_params("UPDATE auth.sessions SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND user_id = $2",
                       sid, uid);
        after.push_back([this, sid] { m_s->state().revokeSession(sid); });
        return HttpResponse::empty(204);
    });
}

void AuthRoutes::me(Req &req, const Res &res)
{
    if (req.principal.userId <= 0) {   // the operator token, or a key the operator created
        res.send(problem(403, QStringLiteral("forbidden"), QStringLiteral("Forbidden"),
                         QStringLiteral("This credential belongs to no user account."), {}, req.requestId));
        return;
    }
    const qint64 uid = req.principal.userId;
    m_s->respond(req, res, [uid](pqxx::work &tx, AfterCommit &) -> Result<HttpResponse> {
        const auto r = tx.exec_params(userSelect("id = $1"), uid);
        if (r.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("user"), AuthServices::userJson(r[0])}});
    });
}

void AuthRoutes::sessions(Req &req, const Res &res)
{
    if (!userSession(req, res))
        return;
    const qint64 uid = req.principal.userId;
    const qint64 current = req.principal.sessionId.toLongLong();
    m_s->respond(req, res, [uid, current](pqxx::work &tx, AfterCommit &) -> Result<HttpResponse> {
        QJsonArray items;
        for (const auto &s : tx.exec_params("SELECT id, user_agent, ip, extract(epoch FROM created_at)::float8, "
                                            "extract(epoch FROM last_seen_at)::float8 FROM auth.sessions "
                                            "WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() "
                                            "ORDER BY last_seen_at DESC, id DESC", uid)) {
            const qint64 id = s[0].as<qint64>();
            items.append(QJsonObject{{QStringLiteral("id"), QString::number(id)},
                                     {QStringLiteral("userAgent"), toQ(s[1])},
                                     {QStringLiteral("ip"), toQ(s[2])},
                                     {QStringLiteral("createdAt"), isoTime(s[3])},
                                     {QStringLiteral("lastSeenAt"), isoTime(s[4])},
                                     {QStringLiteral("current"), id == current}});
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void AuthRoutes::deleteSession(Req &req, const Res &res)
{
    if (!userSession(req, res))
        return;
    bool ok = false;
    const qint64 id = req.pathParams.value(QStringLiteral("id")).toLongLong(&ok);
    if (!ok) {
        res.send(problem(404, QStringLiteral("not-found"), QStringLiteral("Not Found"), QStringLiteral("No such session."), {},
                         req.requestId));
        return;
    }
    const qint64 uid = req.principal.userId;
    m_s->respond(req, res, [this, id, uid](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        const auto r = tx.exec_params("UPDATE auth.sessions SET revoked_at = now() "
                                      "WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id", id, uid);
        if (r.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such session."));
        after.push_back([this, id] { m_s->state().revokeSession(id); });
        return HttpResponse::empty(204);
    });
}

void AuthRoutes::revokeOtherSessions(Req &req, const Res &res)
{
    if (!userSession(req, res))
        return;
    const qint64 uid = req.principal.userId;
    const qint64 current = req.principal.sessionId.toLongLong();
    m_s->respond(req, res, [this, uid, current](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        const auto n = tx.exec_params("SELECT count(*) FROM auth.sessions WHERE user_id = $1 AND id <> $2 "
                                      "AND revoked_at IS NULL", uid, current)[0][0].as<qint64>();
        revokeSessions(tx, after, m_s->state(), uid, current);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("revoked"), n}});
    });
}

void AuthRoutes::changePassword(Req &req, const Res &res)
{
    if (!userSession(req, res))
        return;
    QString current, next;
    if (!readBody(req, res, [&](BodyReader &r) {
            current = r.string(QStringLiteral("currentPassword"), true, 256).value_or(QString());
            auto n = r.string(QStringLiteral("newPassword"), true, 256);
            if (n) {
                next = *n;
                if (auto e = checkPassword(next, req.principal.username)) {
                    e->field = QStringLiteral("newPassword");
                    addCheck(r, e);
                }
            }
        }))
        return;
    const qint64 uid = req.principal.userId;
    const qint64 sid = req.principal.sessionId.toLongLong();
    m_s->respond(req, res, [this, uid, sid, current, next](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        const auto u = tx.exec_params(userSelect("id = $1") + " FOR UPDATE", uid);
        if (u.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
        auto ok = m_s->verifyPassword(tx, uid, current);
        if (!ok)
            return tl::unexpected(ok.error());
        if (!*ok)
            return tl::unexpected(invalidField(QStringLiteral("currentPassword"), QStringLiteral("The current password is wrong."),
                                               QStringLiteral("wrong_password")));
        if (next == current)
            return tl::unexpected(invalidField(QStringLiteral("newPassword"), QStringLiteral("Choose a new password."),
                                               QStringLiteral("same_as_current")));
        if (auto e = checkPassword(next, toQ(u[0][1]), toQ(u[0][2]))) {
            e->field = QStringLiteral("newPassword");
            return tl::unexpected(invalidField(e->field, e->message, e->code));
        }
        auto hash = m_s->hasher().hash(next);
        if (!hash)
            return tl::unexpected(hash.error());
        const auto row = tx.exec_params("UPDATE auth.users SET password_hash = $2, must_change_password = false, "
                                        "updated_at = now() WHERE id = $1 RETURNING " + AuthServices::userColumns(),
                                        uid, toStd(*hash));
        revokeSessions(tx, after, m_s->state(), uid, sid);
        m_s->userChanged(after, AuthServices::recordFromRow(row[0]), false, UserChange::Kind::Updated);
        return HttpResponse::empty(204);
    });
}

void AuthRoutes::requestEmailVerification(Req &req, const Res &res)
{
    if (!userSession(req, res))
        return;
    if (!readBody(req, res, [](BodyReader &) {}, true))
        return;
    const qint64 uid = req.principal.userId;
    m_s->respond(req, res, [uid](pqxx::work &tx, AfterCommit &) -> Result<HttpResponse> {
        const auto u = tx.exec_params("SELECT email, email_verified_at IS NOT NULL FROM auth.users WHERE id = $1", uid);
        if (u.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
        if (u[0][0].is_null())
            return fail(ErrorCode::Conflict, QStringLiteral("The account has no email address."));
        if (u[0][1].as<bool>())
            return fail(ErrorCode::Conflict, QStringLiteral("The email address is already verified."));
        issueEmailToken(tx, uid, toQ(u[0][0]), QStringLiteral("verify"), 24 * 3600,
                        QStringLiteral("auth.email_verification_requested"));
        return HttpResponse::json(202, QJsonObject{{QStringLiteral("status"), QStringLiteral("sent")}});
    });
}

void AuthRoutes::verifyEmail(Req &req, const Res &res)
{
    QString token;
    if (!readBody(req, res, [&](BodyReader &r) { token = r.string(QStringLiteral("token"), true, 128).value_or(QString()); }))
        return;
    m_s->respond(req, res, [this, token](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        const auto t = tx.exec_params("UPDATE auth.email_tokens SET used_at = now() WHERE token_hash = $1 "
                                      "AND purpose = 'verify' AND used_at IS NULL AND expires_at > now() "
                                      "RETURNING user_id, email", bin(sha256(token.toLatin1())));
        if (t.empty())
            return tl::unexpected(invalidField(QStringLiteral("token"), QStringLiteral("The token is invalid, used or expired."),
                                               QStringLiteral("invalid_token")));
        const auto row = tx.exec_params("UPDATE auth.users SET email_verified_at = now(), updated_at = now() "
                                        "WHERE id = $1 AND lower(email) = lower($2) RETURNING " + AuthServices::userColumns(),
                                        t[0][0].as<qint64>(), toStd(toQ(t[0][1])));
        if (row.empty())
            return tl::unexpected(invalidField(QStringLiteral("token"), QStringLiteral("The email address has changed."),
                                               QStringLiteral("invalid_token")));
        m_s->userChanged(after, AuthServices::recordFromRow(row[0]), row[0][6].as<bool>(), UserChange::Kind::Updated);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("user"), AuthServices::userJson(row[0])}});
    });
}

void AuthRoutes::requestPasswordReset(Req &req, const Res &res)
{
    QString email;
    if (!readBody(req, res, [&](BodyReader &r) {
            auto e = r.string(QStringLiteral("email"), true, 254);
            if (e)
                addCheck(r, checkEmail(email = *e));
        }))
        return;
    m_s->respond(req, res, [email](pqxx::work &tx, AfterCommit &) -> Result<HttpResponse> {
        const auto u = tx.exec_params("SELECT id, email FROM auth.users WHERE lower(email) = lower($1) AND state = 'active'",
                                      toStd(email));
        if (!u.empty())
            issueEmailToken(tx, u[0][0].as<qint64>(), toQ(u[0][1]), QStringLiteral("reset"), 3600,
                            QStringLiteral("auth.password_reset_requested"));
        // The same answer whether or not the address is known.
        return HttpResponse::json(202, QJsonObject{{QStringLiteral("status"), QStringLiteral("accepted")}});
    });
}

void AuthRoutes::resetPassword(Req &req, const Res &res)
{
    QString token, next;
    if (!readBody(req, res, [&](BodyReader &r) {
            token = r.string(QStringLiteral("token"), true, 128).value_or(QString());
            auto n = r.string(QStringLiteral("newPassword"), true, 256);
            if (n) {
                next = *n;
                if (auto e = checkPassword(next)) {
                    e->field = QStringLiteral("newPassword");
                    addCheck(r, e);
                }
            }
        }))
        return;
    m_s->respond(req, res, [this, token, next](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        const auto t = tx.exec_params("UPDATE auth.email_tokens SET used_at = now() WHERE token_hash = $1 "
                                      "AND purpose = 'reset' AND used_at IS NULL AND expires_at > now() RETURNING user_id",
                                      bin(sha256(token.toLatin1())));
        if (t.empty())
            return tl::unexpected(invalidField(QStringLiteral("token"), QStringLiteral("The token is invalid, used or expired."),
                                               QStringLiteral("invalid_token")));
        const qint64 uid = t[0][0].as<qint64>();
        const auto u = tx.exec_params(userSelect("id = $1"), uid);
        if (auto e = checkPassword(next, toQ(u[0][1]), toQ(u[0][2])))
            return tl::unexpected(invalidField(QStringLiteral("newPassword"), e->message, e->code));
        auto hash = m_s->hasher().hash(next);
        if (!hash)
            return tl::unexpected(hash.error());
        const auto row = tx.exec_params("UPDATE auth.users SET password_hash = $2, must_change_password = false, "
                                        "updated_at = now() WHERE id = $1 RETURNING " + AuthServices::userColumns(),
                                        uid, toStd(*hash));
        tx.exec_params("DELETE FROM auth.login_failures WHERE key IN ($1, $2)",
                       toStd(QStringLiteral("login:") + toQ(row[0][1]).toLower()),
                       toStd(QStringLiteral("login:") + toQ(row[0][2]).toLower()));
        revokeSessions(tx, after, m_s->state(), uid);
        m_s->userChanged(after, AuthServices::recordFromRow(row[0]), false, UserChange::Kind::Updated);
        return HttpResponse::empty(204);
    });
}

// ---- admin ----

void AuthRoutes::rotateKey(Req &req, const Res &res)
{
    if (!readBody(req, res, [](BodyReader &) {}, true))
        return;
    m_s->respond(req, res, [this](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        auto kid = m_s->rotateKey(tx, after);
        if (!kid)
            return tl::unexpected(kid.error());
        return HttpResponse::json(201, QJsonObject{{QStringLiteral("kid"), *kid}});
    });
}

void AuthRoutes::outbox(Req &req, const Res &res)
{
    bool okAfter = true, okLimit = true;
    const QString afterText = req.query.queryItemValue(QStringLiteral("after"));
    const QString limitText = req.query.queryItemValue(QStringLiteral("limit"));
    const qint64 after = afterText.isEmpty() ? 0 : afterText.toLongLong(&okAfter);
    const int limit = limitText.isEmpty() ? 50 : limitText.toInt(&okLimit);
    QList<FieldError> errors;
    if (!okAfter || after < 0)
        errors.append({QStringLiteral("after"), QStringLiteral("Must be an event id."), QStringLiteral("invalid")});
    if (!okLimit || limit < 1 || limit > 500)
        errors.append({QStringLiteral("limit"), QStringLiteral("Must be 1 to 500."), QStringLiteral("range")});
    if (!errors.isEmpty()) {
        Error e = Error::make(ErrorCode::InvalidArgument, QStringLiteral("Invalid query parameters."));
        e.fields = errors;
        res.send(errorResponse(e, req.requestId));
        return;
    }
    m_s->respond(req, res, [after, limit](pqxx::work &tx, AfterCommit &) -> Result<HttpResponse> {
        QJsonArray items;
        qint64 last = after;
        for (const auto &r : tx.exec_params("SELECT id, type, payload::text, extract(epoch FROM created_at)::float8 "
                                            "FROM auth.outbox WHERE id > $1 ORDER BY id LIMIT $2", after, limit)) {
            last = r[0].as<qint64>();
            items.append(QJsonObject{{QStringLiteral("id"), last},
                                     {QStringLiteral("type"), toQ(r[1])},
                                     {QStringLiteral("payload"), QJsonDocument::fromJson(toQ(r[2]).toUtf8()).object()},
                                     {QStringLiteral("createdAt"), isoTime(r[3])}});
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("nextAfter"), last}});
    });
}

void AuthRoutes::createApiKey(Req &req, const Res &res)
{
    QString name;
    QStringList scopes;
    if (!readBody(req, res, [&](BodyReader &r) {
            auto n = r.string(QStringLiteral("name"), true, 100);
            if (n && n->trimmed().isEmpty())
                r.addError(QStringLiteral("name"), QStringLiteral("Must not be empty."), QStringLiteral("required"));
            name = n.value_or(QString());
            scopes = r.stringList(QStringLiteral("scopes"), true, 32, 64).value_or(QStringList());
        }))
        return;
    // The operator token has no account (userId 0): such keys record no creator.
    const qint64 owner = req.principal.kind == Principal::Kind::Operator ? 0 : req.principal.userId;
    const QString ownerName = req.principal.username;
    m_s->respond(req, res, [this, name, scopes, owner, ownerName](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        const QByteArray secret = randomToken(32);
        const QByteArray hash = sha256(secret);
        const std::string scopesJson = QJsonDocument(QJsonArray::fromStringList(scopes)).toJson(QJsonDocument::Compact).toStdString();
        const auto r = tx.exec_params("INSERT INTO auth.api_keys (name, secret_hash, scopes, created_by) "
                                      "SELECT $1, $2, coalesce(array_agg(s), '{}'), NULLIF($4, 0) FROM json_array_elements_text($3::json) s "
                                      "RETURNING id, extract(epoch FROM created_at)::float8",
                                      toStd(name), bin(hash), scopesJson, owner);
        auto entry = std::make_shared<ApiKeyEntry>();
        entry->id = r[0][0].as<qint64>();
        entry->secretHash = hash;
        entry->scopes = scopes;
        entry->ownerId = owner;
        entry->ownerName = ownerName;
        after.push_back([this, entry] { m_s->state().addApiKey(entry); });
        const QString key = QStringLiteral("cpk_%1_%2").arg(entry->id).arg(QString::fromLatin1(secret));
        return HttpResponse::json(201, QJsonObject{{QStringLiteral("id"), QString::number(entry->id)},
                                                   {QStringLiteral("name"), name},
                                                   {QStringLiteral("scopes"), QJsonArray::fromStringList(scopes)},
                                                   {QStringLiteral("createdBy"), owner > 0 ? QJsonValue(owner) : QJsonValue()},
                                                   {QStringLiteral("createdAt"), isoTime(r[0][1])},
                                                   {QStringLiteral("key"), key}});
    });
}

void AuthRoutes::listApiKeys(Req &req, const Res &res)
{
    m_s->respond(req, res, [this](pqxx::work &tx, AfterCommit &) -> Result<HttpResponse> {
        m_s->flushKeyUsage();
        QJsonArray items;
        for (const auto &k : tx.exec("SELECT k.id, k.name, array_to_json(k.scopes)::text, u.username, "
                                     "extract(epoch FROM k.created_at)::float8, extract(epoch FROM k.last_used_at)::float8, "
                                     "k.revoked_at IS NOT NULL FROM auth.api_keys k LEFT JOIN auth.users u ON u.id = k.created_by "
                                     "ORDER BY k.id")) {
            QJsonObject o{{QStringLiteral("id"), toQ(k[0])},
                          {QStringLiteral("name"), toQ(k[1])},
                          {QStringLiteral("scopes"), QJsonDocument::fromJson(toQ(k[2]).toUtf8()).array()},
                          {QStringLiteral("createdBy"), k[3].is_null() ? QJsonValue() : QJsonValue(toQ(k[3]))},
                          {QStringLiteral("createdAt"), isoTime(k[4])},
                          {QStringLiteral("lastUsedAt"), k[5].is_null() ? QJsonValue() : QJsonValue(isoTime(k[5]))},
                          {QStringLiteral("revoked"), k[6].as<bool>()}};
            items.append(o);
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void AuthRoutes::revokeApiKey(Req &req, const Res &res)
{
    bool ok = false;
    const qint64 id = req.pathParams.value(QStringLiteral("id")).toLongLong(&ok);
    m_s->respond(req, res, [this, id, ok](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        if (!ok || tx.exec_params("UPDATE auth.api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL "
                                  "RETURNING id", id).empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such API key."));
        after.push_back([this, id] { m_s->state().revokeApiKey(id); });
        return HttpResponse::empty(204);
    });
}

void AuthRoutes::listUsers(Req &req, const Res &res)
{
    const QString query = req.query.queryItemValue(QStringLiteral("query"), QUrl::FullyDecoded);
    const QString limitText = req.query.queryItemValue(QStringLiteral("limit"));
    const QString cursorText = req.query.queryItemValue(QStringLiteral("cursor"));
    bool okLimit = true, okCursor = true;
    const int limit = limitText.isEmpty() ? 20 : limitText.toInt(&okLimit);
    const qint64 cursor = cursorText.isEmpty() ? 0 : cursorText.toLongLong(&okCursor);
    QList<FieldError> errors;
    if (!okLimit || limit < 1 || limit > 100)
        errors.append({QStringLiteral("limit"), QStringLiteral("Must be 1 to 100."), QStringLiteral("range")});
    if (!okCursor || cursor < 0)
        errors.append({QStringLiteral("cursor"), QStringLiteral("Invalid cursor."), QStringLiteral("invalid")});
    if (codePoints(query) > 100)
        errors.append({QStringLiteral("query"), QStringLiteral("At most 100 characters."), QStringLiteral("too_long")});
    if (!errors.isEmpty()) {
        Error e = Error::make(ErrorCode::InvalidArgument, QStringLiteral("Invalid query parameters."));
        e.fields = errors;
        res.send(errorResponse(e, req.requestId));
        return;
    }
    m_s->respond(req, res, [query, limit, cursor](pqxx::work &tx, AfterCommit &) -> Result<HttpResponse> {
        const auto rows = tx.exec_params(
            userSelect("id > $1 AND ($2 = '' OR left(lower(username), length($2)) = lower($2) "
                       "OR left(lower(email), length($2)) = lower($2)) ORDER BY id LIMIT $3"),
            cursor, toStd(query), limit + 1);
        QJsonArray items;
        qint64 last = 0;
        for (int i = 0; i < rows.size() && i < limit; ++i) {
            items.append(AuthServices::userJson(rows[i]));
            last = rows[i][0].as<qint64>();
        }
        QJsonObject o{{QStringLiteral("items"), items}};
        o.insert(QStringLiteral("nextCursor"), int(rows.size()) > limit ? QJsonValue(QString::number(last)) : QJsonValue());
        return HttpResponse::json(200, o);
    });
}

void AuthRoutes::showUser(Req &req, const Res &res)
{
    const QString name = req.pathParams.value(QStringLiteral("username"));
    m_s->respond(req, res, [name](pqxx::work &tx, AfterCommit &) -> Result<HttpResponse> {
        const auto r = tx.exec_params(userSelect("lower(username) = lower($1)"), toStd(name));
        if (r.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("user"), AuthServices::userJson(r[0])}});
    });
}

void AuthRoutes::createUser(Req &req, const Res &res)
{
    QString username, email, password, roleText;
    Role role = Role::User;
    if (!readBody(req, res, [&](BodyReader &r) {
            auto u = r.string(QStringLiteral("username"), true, 64);
            auto e = r.string(QStringLiteral("email"), true, 254);
            auto p = r.string(QStringLiteral("password"), false, 256);
            auto ro = r.string(QStringLiteral("role"), false, 32);
            if (u) addCheck(r, checkUsername(username = *u));
            if (e) addCheck(r, checkEmail(email = *e));
            if (p) addCheck(r, checkPassword(password = *p, username, email));
            if (ro && !parseRole(*ro, &role))
                r.addError(QStringLiteral("role"), QStringLiteral("Must be user, moderator or admin."), QStringLiteral("invalid_role"));
        }))
        return;
    const bool generated = password.isEmpty();
    if (generated)
        password = QString::fromLatin1(randomToken(12));
    m_s->respond(req, res, [this, username, email, password, role, generated](pqxx::work &tx, AfterCommit &after)
                               -> Result<HttpResponse> {
        if (auto free = checkAccountFree(tx, username, email); !free)
            return tl::unexpected(free.error());
        auto hash = m_s->hasher().hash(password);
        if (!hash)
            return tl::unexpected(hash.error());
        // An account an administrator knows the password of: its owner must choose a new one.
        const auto row = tx.exec_params("INSERT INTO auth.users (username, email, password_hash, role, must_change_password) "
                                        "VALUES ($1, $2, $3, $4, true) RETURNING " + AuthServices::userColumns(),
                                        toStd(username), toStd(email), toStd(*hash), toStd(roleName(role)));
        m_s->userChanged(after, AuthServices::recordFromRow(row[0]), true, UserChange::Kind::Registered);
        QJsonObject o{{QStringLiteral("user"), AuthServices::userJson(row[0])}};
        if (generated)
            o.insert(QStringLiteral("password"), password);
        return HttpResponse::json(201, o);
    });
}

void AuthRoutes::setRole(Req &req, const Res &res)
{
    Role role = Role::User;
    if (!readBody(req, res, [&](BodyReader &r) {
            auto ro = r.string(QStringLiteral("role"), true, 32);
            if (ro && !parseRole(*ro, &role))
                r.addError(QStringLiteral("role"), QStringLiteral("Must be user, moderator or admin."), QStringLiteral("invalid_role"));
        }))
        return;
    const QString name = req.pathParams.value(QStringLiteral("username"));
    m_s->respond(req, res, [this, name, role](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        const auto row = tx.exec_params("UPDATE auth.users SET role = $2, updated_at = now() WHERE lower(username) = lower($1) "
                                        "RETURNING " + AuthServices::userColumns(), toStd(name), toStd(roleName(role)));
        if (row.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
        m_s->userChanged(after, AuthServices::recordFromRow(row[0]), row[0][6].as<bool>(), UserChange::Kind::RoleChanged);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("user"), AuthServices::userJson(row[0])}});
    });
}

void AuthRoutes::setUserState(Req &req, const Res &res, const QString &state, bool withReason)
{
    QString reason;
    if (!readBody(req, res, [&](BodyReader &r) {
            if (withReason)
                reason = r.string(QStringLiteral("reason"), false, 500).value_or(QString());
        }, true))
        return;
    const QString name = req.pathParams.value(QStringLiteral("username"));
    const qint64 self = req.principal.userId;
    m_s->respond(req, res, [this, name, state, reason, self](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        const auto row = tx.exec_params("UPDATE auth.users SET state = $2, suspended_reason = nullif($3, ''), "
                                        "updated_at = now() WHERE lower(username) = lower($1) AND ($2 = 'active' OR id <> $4) "
                                        "RETURNING " + AuthServices::userColumns(),
                                        toStd(name), toStd(state), toStd(reason), self);
        if (row.empty()) {
            if (!tx.exec_params("SELECT 1 FROM auth.users WHERE lower(username) = lower($1)", toStd(name)).empty())
                return fail(ErrorCode::Conflict, QStringLiteral("You cannot suspend yourself."));
            return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
        }
        m_s->userChanged(after, AuthServices::recordFromRow(row[0]), row[0][6].as<bool>(),
                         state == QLatin1String("active") ? UserChange::Kind::Unsuspended : UserChange::Kind::Suspended);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("user"), AuthServices::userJson(row[0])}});
    });
}

void AuthRoutes::suspend(Req &req, const Res &res)
{
    setUserState(req, res, QStringLiteral("suspended"), true);
}

void AuthRoutes::unsuspend(Req &req, const Res &res)
{
    setUserState(req, res, QStringLiteral("active"), false);
}

void AuthRoutes::adminResetPassword(Req &req, const Res &res)
{
    if (!readBody(req, res, [](BodyReader &) {}, true))
        return;
    const QString name = req.pathParams.value(QStringLiteral("username"));
    const QString password = QString::fromLatin1(randomToken(12));
    m_s->respond(req, res, [this, name, password](pqxx::work &tx, AfterCommit &after) -> Result<HttpResponse> {
        const auto u = tx.exec_params("SELECT id FROM auth.users WHERE lower(username) = lower($1)", toStd(name));
        if (u.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
        auto hash = m_s->hasher().hash(password);
        if (!hash)
            return tl::unexpected(hash.error());
        const qint64 uid = u[0][0].as<qint64>();
        const auto row = tx.exec_params("UPDATE auth.users SET password_hash = $2, must_change_password = true, "
                                        "updated_at = now() WHERE id = $1 RETURNING " + AuthServices::userColumns(),
                                        uid, toStd(*hash));
        revokeSessions(tx, after, m_s->state(), uid);
        m_s->userChanged(after, AuthServices::recordFromRow(row[0]), true, UserChange::Kind::Updated);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("user"), AuthServices::userJson(row[0])},
                                                   {QStringLiteral("password"), password}});
    });
}

void AuthRoutes::disableTwoFactor(Req &req, const Res &res)
{
    if (!readBody(req, res, [](BodyReader &) {}, true))
        return;
    const QString name = req.pathParams.value(QStringLiteral("username"));
    m_s->respond(req, res, [name](pqxx::work &tx, AfterCommit &) -> Result<HttpResponse> {
        const auto u = tx.exec_params(userSelect("lower(username) = lower($1)"), toStd(name));
        if (u.empty())
            return fail(ErrorCode::NotFound, QStringLiteral("No such user."));
        const qint64 uid = u[0][0].as<qint64>();
        const bool had = !tx.exec_params("DELETE FROM auth.totp WHERE user_id = $1 RETURNING 1", uid).empty();
        tx.exec_params("DELETE FROM auth.recovery_codes WHERE user_id = $1", uid);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("user"), AuthServices::userJson(u[0])},
                                                   {QStringLiteral("disabled"), had}});
    });
}

} // namespace Auth
