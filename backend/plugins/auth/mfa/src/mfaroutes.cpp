// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mfaroutes.h"

#include "pkce.h"
#include "recoverycodes.h"
#include "totp.h"

#include "community/request.h"
#include "community/problem.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

#include <memory>

Q_LOGGING_CATEGORY(lcMfa, "community.auth.mfa")

using namespace Community;
using Community::Http::HttpRequest;
using Community::Http::HttpResponse;
using Community::Http::Responder;

namespace Auth::Mfa {

// ---------------------------------------------------------------------------------------
// Public helpers for the auth plugin's password login

Result<bool> totpEnabled(pqxx::work &tx, qint64 userId)
{
    const pqxx::result r = tx.exec_params(
        "SELECT 1 FROM auth.totp WHERE user_id = $1 AND enabled_at IS NOT NULL", userId);
    return !r.empty();
}

Result<QString> createChallenge(pqxx::work &tx, qint64 userId, const QString &userAgent, const QString &ip,
                                int ttlSeconds)
{
    const QString token = Pkce::generateState();
    tx.exec_params("INSERT INTO auth.mfa_challenges (token_hash, user_id, user_agent, ip, expires_at) "
                   "VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))",
                   Pkce::sha256Hex(token).toStdString(), userId, userAgent.left(512).toStdString(),
                   ip.toStdString(), ttlSeconds);
    return token;
}

// ---------------------------------------------------------------------------------------
// Configuration

Result<Config> parseConfig(ConfigReader &reader)
{
    Config c;
    QList<FieldError> errors;
    c.issuer = reader.string(QStringLiteral("issuer"), c.issuer);
    if (c.issuer.isEmpty() || c.issuer.contains(QLatin1Char(':')))
        errors.append({reader.path() + QStringLiteral(".issuer"), QStringLiteral("must be non-empty, without ':'"),
                       QStringLiteral("format")});
    c.recoveryCodePepper = reader.secret(QStringLiteral("recoveryCodePepper"));
    c.challengeTtlSeconds = int(reader.integer(QStringLiteral("challengeTtlSeconds"), c.challengeTtlSeconds, 30, 3600));
    c.oauthStateTtlSeconds = int(reader.integer(QStringLiteral("oauthStateTtlSeconds"), c.oauthStateTtlSeconds, 60, 3600));
    const QStringList ids = reader.stringList(QStringLiteral("oauthProviders"));
    ConfigReader oauth = reader.child(QStringLiteral("oauth"));
    QSet<QString> seen;
    for (const QString &id : ids) {
        if (seen.contains(id)) {
            errors.append({reader.path() + QStringLiteral(".oauthProviders"),
                           QStringLiteral("lists %1 twice").arg(id), QStringLiteral("duplicate")});
            continue;
        }
        seen.insert(id);
        ConfigReader p = oauth.child(id);
        auto parsed = parseProviderConfig(id, p);
        if (parsed)
            c.providers.append(*parsed);
        else
            errors += parsed.error().fields;
    }
    // Provider objects that oauthProviders does not enable are unknown keys here.
    if (auto fin = oauth.finish(); !fin)
        errors += fin.error().fields;
    if (auto fin = reader.finish(); !fin)
        errors = fin.error().fields + errors;
    if (!errors.isEmpty()) {
        Error e = Error::make(ErrorCode::Config, QStringLiteral("invalid configuration"));
        e.fields = errors;
        return tl::unexpected(e);
    }
    return c;
}

namespace Internal {
namespace {

// ---------------------------------------------------------------------------------------
// Request validation: every body is a JSON object of known string fields.

struct FieldSpec {
    QString name;
    bool required = true;
    int maxLength = 256;
};

using Fields = QHash<QString, QString>;

Error invalid(const QList<FieldError> &fields, const QString &message = QStringLiteral("The request is not valid."))
{
    Error e = Error::make(ErrorCode::InvalidArgument, message);
    e.fields = fields;
    return e;
}

Result<Fields> validateObject(const QJsonObject &body, const QList<FieldSpec> &spec)
{
    QList<FieldError> errors;
    Fields out;
    for (auto it = body.begin(); it != body.end(); ++it) {
        const bool known = std::any_of(spec.begin(), spec.end(), [&](const FieldSpec &f) { return f.name == it.key(); });
        if (!known)
            errors.append({it.key(), QStringLiteral("is not a known field"), QStringLiteral("unknown")});
    }
    for (const FieldSpec &f : spec) {
        const QJsonValue v = body.value(f.name);
        if (v.isUndefined() || v.isNull()) {
            if (f.required)
                errors.append({f.name, QStringLiteral("is required"), QStringLiteral("required")});
            continue;
        }
        if (!v.isString()) {
            errors.append({f.name, QStringLiteral("must be a string"), QStringLiteral("type")});
            continue;
        }
        const QString s = v.toString();
        if (s.size() > f.maxLength) {
            errors.append({f.name, QStringLiteral("must be at most %1 characters").arg(f.maxLength),
                           QStringLiteral("too_long")});
            continue;
        }
        if (f.required && s.isEmpty()) {
            errors.append({f.name, QStringLiteral("must not be empty"), QStringLiteral("required")});
            continue;
        }
        out.insert(f.name, s);
    }
    if (!errors.isEmpty())
        return tl::unexpected(invalid(errors));
    return out;
}

/// Parses and validates the body; on failure answers 400 and returns nullopt. An empty
/// body counts as {} (for routes without fields).
std::optional<Fields> readFields(const HttpRequest &request, const Responder &responder, const QList<FieldSpec> &spec)
{
    QJsonObject obj;
    if (!request.body.trimmed().isEmpty()) {
        auto parsed = Http::readBody(request, responder);
        if (!parsed)
            return std::nullopt;
        obj = parsed->json();
    }
    auto fields = validateObject(obj, spec);
    if (!fields) {
        responder.send(Http::problemFromError(fields.error(), request.requestId));
        return std::nullopt;
    }
    return *fields;
}

/// Query parameters: only the listed names are allowed.
bool checkQuery(const HttpRequest &request, const Responder &responder, const QStringList &allowed)
{
    QList<FieldError> errors;
    for (const auto &[k, v] : request.query.queryItems()) {
        Q_UNUSED(v)
        if (!allowed.contains(k))
            errors.append({k, QStringLiteral("is not a known query parameter"), QStringLiteral("unknown")});
    }
    if (errors.isEmpty())
        return true;
    responder.send(Http::problemFromError(invalid(errors), request.requestId));
    return false;
}

Error fieldError(const QString &field, const QString &message, const QString &code)
{
    return invalid({{field, message, code}});
}

// ---------------------------------------------------------------------------------------
// The service behind the routes

struct SecondFactor {
    enum class Kind { None, Totp, Recovery } kind = Kind::None;
    int recoveryRemaining = 0;
};

class MfaService {
public:
    MfaService(Db::Database &db, Hooks hooks, Config config)
        : m_db(db)
        , m_hooks(std::move(hooks))
        , m_config(std::move(config))
        , m_codes(m_config.recoveryCodePepper)
    {
        for (const auto &p : m_config.providers)
            m_clients.insert(p.id, std::make_shared<OAuthClient>(p));
    }

    void enrol(HttpRequest &req, const Responder &res);
    void enable(HttpRequest &req, const Responder &res);
    void loginSecondFactor(HttpRequest &req, const Responder &res);
    void disable(HttpRequest &req, const Responder &res);
    void regenerateCodes(HttpRequest &req, const Responder &res);
    void providers(HttpRequest &req, const Responder &res);
    void authorize(HttpRequest &req, const Responder &res);
    void callback(HttpRequest &req, const Responder &res);
    void identities(HttpRequest &req, const Responder &res);
    void unlink(HttpRequest &req, const Responder &res);

private:
    qint64 now() const { return m_config.clock ? m_config.clock() : QDateTime::currentSecsSinceEpoch(); }
    static QString userAgent(const HttpRequest &req) { return QString::fromUtf8(req.header("user-agent")).left(512); }
    /// The client address as the auth plugin records it (IPv4-mapped IPv6 as plain IPv4).
    static QString ip(const HttpRequest &req)
    {
        bool v4 = false;
        const quint32 a = req.peerAddress.toIPv4Address(&v4);
        return v4 ? QHostAddress(a).toString() : req.peerAddress.toString();
    }
    /// 2FA management is for people: API keys and the operator may not do it.
    static bool requireUser(const HttpRequest &req, const Responder &res);

    QStringList storeNewRecoveryCodes(pqxx::work &tx, qint64 userId) const;
    /// Checks a TOTP code (or, if allowed, a recovery code) and consumes it.
    Result<SecondFactor> consumeSecondFactor(pqxx::work &tx, qint64 userId, const QString &code,
                                             const QString &recoveryCode) const;
    /// Password check for the sensitive 2FA routes; accounts without a password (OAuth
    /// only) prove themselves with the second factor alone.
    Result<void> checkPassword(pqxx::work &tx, qint64 userId, const QString &password) const;
    /// For disable / regenerate: 2FA must be on, the password right, and the code a valid
    /// TOTP or recovery code (consumed).
    Result<void> confirmWithPasswordAndCode(pqxx::work &tx, qint64 userId, const QString &password,
                                            const QString &code);
    Result<QJsonObject> completeLogin(pqxx::work &tx, qint64 userId, const QString &ua, const QString &ipAddr) const;
    Result<HttpResponse> finishOAuth(const QString &providerId, const QString &code, const QString &state,
                                     const QString &ua, const QString &ipAddr) const;

    Db::Database &m_db;
    Hooks m_hooks;
    Config m_config;
    RecoveryCodes m_codes;
    QHash<QString, std::shared_ptr<OAuthClient>> m_clients;
};

bool MfaService::requireUser(const HttpRequest &req, const Responder &res)
{
    if (req.principal.kind == Principal::Kind::User)
        return true;
    res.send(Http::problem(403, QStringLiteral("forbidden"), QStringLiteral("Forbidden"),
                           QStringLiteral("Only a signed-in user can manage two-factor settings and identities."), {},
                           req.requestId));
    return false;
}

QStringList MfaService::storeNewRecoveryCodes(pqxx::work &tx, qint64 userId) const
{
    tx.exec_params("DELETE FROM auth.recovery_codes WHERE user_id = $1", userId);
    const QStringList codes = m_codes.generate();
    for (const QString &c : codes)
        tx.exec_params("INSERT INTO auth.recovery_codes (user_id, code_hash) VALUES ($1, $2)", userId,
                       m_codes.hash(userId, c)->toStdString());
    return codes;
}

Result<SecondFactor> MfaService::consumeSecondFactor(pqxx::work &tx, qint64 userId, const QString &code,
                                                     const QString &recoveryCode) const
{
    SecondFactor out;
    if (!code.isEmpty()) {
        const pqxx::result r = tx.exec_params(
            "SELECT encode(secret, 'hex'), COALESCE(last_used_step, -1) FROM auth.totp "
            "WHERE user_id = $1 AND enabled_at IS NOT NULL FOR UPDATE", userId);
        if (r.empty())
            return out;
        const QByteArray secret = QByteArray::fromHex(QByteArray::fromStdString(r[0][0].as<std::string>()));
        const auto step = verifyTotp(secret, code, now(), r[0][1].as<qint64>());
        if (!step)
            return out;
        tx.exec_params("UPDATE auth.totp SET last_used_step = $2 WHERE user_id = $1", userId, *step);
        out.kind = SecondFactor::Kind::Totp;
        return out;
    }
    const pqxx::result r = tx.exec_params(
        "SELECT code_hash FROM auth.recovery_codes WHERE user_id = $1 AND used_at IS NULL FOR UPDATE", userId);
    QStringList hashes;
    for (const auto &row : r)
        hashes.append(QString::fromStdString(row[0].as<std::string>()));
    const int i = m_codes.match(userId, recoveryCode, hashes);
    if (i < 0)
        return out;
    tx.exec_params("UPDATE auth.recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2", userId,
                   hashes.at(i).toStdString());
    out.kind = SecondFactor::Kind::Recovery;
    out.recoveryRemaining = int(hashes.size()) - 1;
    return out;
}

Result<void> MfaService::checkPassword(pqxx::work &tx, qint64 userId, const QString &password) const
{
    auto has = m_hooks.hasPassword(tx, userId);
    if (!has)
        return tl::unexpected(has.error());
    if (!*has && password.isEmpty())
        return {};
    if (password.isEmpty())
        return tl::unexpected(fieldError(QStringLiteral("password"), QStringLiteral("is required"),
                                         QStringLiteral("required")));
    auto ok = m_hooks.verifyPassword(tx, userId, password);
    if (!ok)
        return tl::unexpected(ok.error());
    if (!*ok)
        return tl::unexpected(fieldError(QStringLiteral("password"), QStringLiteral("is not correct"),
                                         QStringLiteral("incorrect")));
    return {};
}

Result<QJsonObject> MfaService::completeLogin(pqxx::work &tx, qint64 userId, const QString &ua,
                                              const QString &ipAddr) const
{
    auto enabled = totpEnabled(tx, userId);
    if (!enabled)
        return tl::unexpected(enabled.error());
    if (*enabled) {
        auto token = createChallenge(tx, userId, ua, ipAddr, m_config.challengeTtlSeconds);
        if (!token)
            return tl::unexpected(token.error());
        return QJsonObject{{QStringLiteral("mfaRequired"), true}, {QStringLiteral("mfaToken"), *token}};
    }
    return m_hooks.issueSession(tx, userId, ua, ipAddr);
}

// POST /v1/auth/2fa/enrol
void MfaService::enrol(HttpRequest &req, const Responder &res)
{
    if (!requireUser(req, res) || !readFields(req, res, {}))
        return;
    const qint64 userId = req.principal.userId;
    const QString fallbackName = req.principal.username;
    m_db.respond(req, res, [this, userId, fallbackName](pqxx::work &tx) -> Result<HttpResponse> {
        const pqxx::result cur = tx.exec_params(
            "SELECT enabled_at IS NOT NULL FROM auth.totp WHERE user_id = $1 FOR UPDATE", userId);
        if (!cur.empty() && cur[0][0].as<bool>())
            return fail(ErrorCode::Conflict, QStringLiteral("Two-factor authentication is already enabled."));
        const QByteArray secret = generateTotpSecret();
        // A pending (not yet enabled) secret is replaced: only the newest QR code works.
        tx.exec_params("INSERT INTO auth.totp (user_id, secret, enabled_at, created_at, last_used_step) "
                       "VALUES ($1, decode($2, 'hex'), NULL, now(), NULL) "
                       "ON CONFLICT (user_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now(), "
                       "last_used_step = NULL WHERE auth.totp.enabled_at IS NULL",
                       userId, secret.toHex().toStdString());
        const pqxx::result u = tx.exec_params("SELECT username FROM auth.users WHERE id = $1", userId);
        const QString account = !u.empty() && !u[0][0].is_null() ? QString::fromStdString(u[0][0].as<std::string>())
                                                                   : fallbackName;
        return HttpResponse::json(200, QJsonObject{
            {QStringLiteral("secret"), QString::fromLatin1(Base32::encode(secret, false))},
            {QStringLiteral("otpauthUri"), otpauthUri(m_config.issuer, account, secret)},
        });
    });
}

// POST /v1/auth/2fa/enable {code}
void MfaService::enable(HttpRequest &req, const Responder &res)
{
    if (!requireUser(req, res))
        return;
    const auto body = readFields(req, res, {{QStringLiteral("code"), true, 16}});
    if (!body)
        return;
    const qint64 userId = req.principal.userId;
    const QString code = body->value(QStringLiteral("code"));
    m_db.respond(req, res, [this, userId, code](pqxx::work &tx) -> Result<HttpResponse> {
        const pqxx::result r = tx.exec_params(
            "SELECT encode(secret, 'hex'), enabled_at IS NOT NULL, COALESCE(last_used_step, -1) "
            "FROM auth.totp WHERE user_id = $1 FOR UPDATE", userId);
        if (r.empty())
            return fail(ErrorCode::Conflict, QStringLiteral("Start with POST /v1/auth/2fa/enrol."));
        if (r[0][1].as<bool>())
            return fail(ErrorCode::Conflict, QStringLiteral("Two-factor authentication is already enabled."));
        const QByteArray secret = QByteArray::fromHex(QByteArray::fromStdString(r[0][0].as<std::string>()));
        const auto step = verifyTotp(secret, code, now(), r[0][2].as<qint64>());
        if (!step)
            return tl::unexpected(fieldError(QStringLiteral("code"), QStringLiteral("is not the current code"),
                                             QStringLiteral("incorrect")));
        tx.exec_params("UPDATE auth.totp SET enabled_at = now(), last_used_step = $2 WHERE user_id = $1", userId,
                       *step);
        const QStringList codes = storeNewRecoveryCodes(tx, userId);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("recoveryCodes"), QJsonArray::fromStringList(codes)}});
    });
}

// POST /v1/auth/login/2fa {mfaToken, code | recoveryCode}
void MfaService::loginSecondFactor(HttpRequest &req, const Responder &res)
{
    const auto body = readFields(req, res, {{QStringLiteral("mfaToken"), true, 128},
                                          {QStringLiteral("code"), false, 16},
                                          {QStringLiteral("recoveryCode"), false, 32}});
    if (!body)
        return;
    const QString code = body->value(QStringLiteral("code"));
    const QString recovery = body->value(QStringLiteral("recoveryCode"));
    if (code.isEmpty() == recovery.isEmpty()) {
        const QString msg = QStringLiteral("give exactly one of code and recoveryCode");
        res.send(Http::problemFromError(invalid({{QStringLiteral("code"), msg, QStringLiteral("one_of")},
                                                 {QStringLiteral("recoveryCode"), msg, QStringLiteral("one_of")}}),
                                        req.requestId));
        return;
    }
    const QString tokenHash = Pkce::sha256Hex(body->value(QStringLiteral("mfaToken")));
    const QString ua = userAgent(req), ipAddr = ip(req), requestId = req.requestId;
    m_db.respond(req, res, [=, this](pqxx::work &tx) -> Result<HttpResponse> {
        const auto refused = [&](const QString &detail) {
            return Http::problemFromError(Error::make(ErrorCode::Unauthorized, detail), requestId);
        };
        const pqxx::result c = tx.exec_params(
            "SELECT user_id, expires_at > now() FROM auth.mfa_challenges "
            "WHERE token_hash = $1 AND used_at IS NULL FOR UPDATE", tokenHash.toStdString());
        if (c.empty() || !c[0][1].as<bool>())
            return tl::unexpected(Error::make(ErrorCode::Unauthorized,
                                              QStringLiteral("The sign-in attempt expired; please sign in again.")));
        const qint64 userId = c[0][0].as<qint64>();
        // Single use whatever the outcome: a wrong code sends the client back to the
        // password step, so guessing codes is bounded by the password lockout.
        tx.exec_params("UPDATE auth.mfa_challenges SET used_at = now() WHERE token_hash = $1", tokenHash.toStdString());
        auto factor = consumeSecondFactor(tx, userId, code, recovery);
        if (!factor)
            return tl::unexpected(factor.error());
        if (factor->kind == SecondFactor::Kind::None)
            return refused(QStringLiteral("The code is not correct; please sign in again."));  // committed
        auto login = m_hooks.issueSession(tx, userId, ua, ipAddr);
        if (!login)
            return tl::unexpected(login.error());
        QJsonObject out = *login;
        if (factor->kind == SecondFactor::Kind::Recovery)
            out.insert(QStringLiteral("recoveryCodesRemaining"), factor->recoveryRemaining);
        return HttpResponse::json(200, out);
    });
}

Result<void> MfaService::confirmWithPasswordAndCode(pqxx::work &tx, qint64 userId, const QString &password,
                                                    const QString &code)
{
    auto enabled = totpEnabled(tx, userId);
    if (!enabled)
        return tl::unexpected(enabled.error());
    if (!*enabled)
        return fail(ErrorCode::Conflict, QStringLiteral("Two-factor authentication is not enabled."));
    if (auto pw = checkPassword(tx, userId, password); !pw)
        return tl::unexpected(pw.error());
    // The code field takes a TOTP code or a recovery code: losing the phone must not
    // lock anyone into 2FA.
    const bool looksLikeTotp = code.size() <= 10;
    auto factor = consumeSecondFactor(tx, userId, looksLikeTotp ? code : QString(), looksLikeTotp ? QString() : code);
    if (!factor)
        return tl::unexpected(factor.error());
    if (factor->kind == SecondFactor::Kind::None)
        return tl::unexpected(fieldError(QStringLiteral("code"), QStringLiteral("is not correct"),
                                         QStringLiteral("incorrect")));
    return {};
}

// POST /v1/auth/2fa/disable {password, code}
void MfaService::disable(HttpRequest &req, const Responder &res)
{
    if (!requireUser(req, res))
        return;
    const auto body = readFields(req, res, {{QStringLiteral("password"), false, 1024}, {QStringLiteral("code"), true, 32}});
    if (!body)
        return;
    const qint64 userId = req.principal.userId;
    const QString password = body->value(QStringLiteral("password")), code = body->value(QStringLiteral("code"));
    m_db.respond(req, res, [=, this](pqxx::work &tx) -> Result<HttpResponse> {
        if (auto ok = confirmWithPasswordAndCode(tx, userId, password, code); !ok)
            return tl::unexpected(ok.error());
        tx.exec_params("DELETE FROM auth.recovery_codes WHERE user_id = $1", userId);
        tx.exec_params("DELETE FROM auth.totp WHERE user_id = $1", userId);
        tx.exec_params("DELETE FROM auth.mfa_challenges WHERE user_id = $1 AND used_at IS NULL", userId);
        return HttpResponse::empty(204);
    });
}

// POST /v1/auth/2fa/recovery-codes {password, code}
void MfaService::regenerateCodes(HttpRequest &req, const Responder &res)
{
    if (!requireUser(req, res))
        return;
    const auto body = readFields(req, res, {{QStringLiteral("password"), false, 1024}, {QStringLiteral("code"), true, 32}});
    if (!body)
        return;
    const qint64 userId = req.principal.userId;
    const QString password = body->value(QStringLiteral("password")), code = body->value(QStringLiteral("code"));
    m_db.respond(req, res, [=, this](pqxx::work &tx) -> Result<HttpResponse> {
        if (auto ok = confirmWithPasswordAndCode(tx, userId, password, code); !ok)
            return tl::unexpected(ok.error());
        const QStringList codes = storeNewRecoveryCodes(tx, userId);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("recoveryCodes"), QJsonArray::fromStringList(codes)}});
    });
}

// GET /v1/auth/oauth/providers
void MfaService::providers(HttpRequest &req, const Responder &res)
{
    if (!checkQuery(req, res, {}))
        return;
    QJsonArray arr;
    for (const auto &p : m_config.providers)
        arr.append(QJsonObject{{QStringLiteral("id"), p.id}, {QStringLiteral("displayName"), p.displayName}});
    res.send(HttpResponse::json(200, QJsonDocument(arr)));
}

// GET /v1/auth/oauth/{provider}/authorize?redirectUri=
void MfaService::authorize(HttpRequest &req, const Responder &res)
{
    const auto client = m_clients.value(req.pathParams.value(QStringLiteral("provider")));
    if (!client) {
        res.send(Http::problemFromError(Error::make(ErrorCode::NotFound, QStringLiteral("No such identity provider.")),
                                        req.requestId));
        return;
    }
    if (!checkQuery(req, res, {QStringLiteral("redirectUri")}))
        return;
    const OAuthProviderConfig &pc = client->config();
    QString redirectUri = req.query.queryItemValue(QStringLiteral("redirectUri"), QUrl::FullyDecoded);
    if (redirectUri.isEmpty())
        redirectUri = pc.redirectUri;
    // Only configured redirect URIs: anything else would hand the code to a stranger.
    if (redirectUri != pc.redirectUri && !pc.allowedRedirectUris.contains(redirectUri)) {
        res.send(Http::problemFromError(fieldError(QStringLiteral("redirectUri"), QStringLiteral("is not allowed for this provider"),
                                                   QStringLiteral("not_allowed")), req.requestId));
        return;
    }
    if (req.principal.kind == Principal::Kind::ApiKey || req.principal.kind == Principal::Kind::Operator) {
        requireUser(req, res);
        return;
    }
    // A signed-in caller links the identity to their account instead of logging in.
    const qint64 linkUser = req.principal.kind == Principal::Kind::User ? req.principal.userId : 0;
    const QString state = Pkce::generateState();
    const QString verifier = Pkce::generateVerifier();
    const QUrl url = client->authorizationUrl(state, Pkce::challengeS256(verifier), redirectUri);
    const QString providerId = pc.id;
    const int ttl = m_config.oauthStateTtlSeconds;
    m_db.respond(req, res, [=](pqxx::work &tx) -> Result<HttpResponse> {
        tx.exec("DELETE FROM auth.oauth_states WHERE expires_at < now()");
        // Only the state's hash is stored, like every other bearer-ish value.
        tx.exec_params("INSERT INTO auth.oauth_states (state, provider, code_verifier, redirect_uri, link_user_id, expires_at) "
                       "VALUES ($1, $2, $3, $4, NULLIF($5, 0), now() + make_interval(secs => $6))",
                       Pkce::sha256Hex(state).toStdString(), providerId.toStdString(), verifier.toStdString(),
                       redirectUri.toStdString(), linkUser, ttl);
        return HttpResponse::json(200, QJsonObject{
            {QStringLiteral("authorizationUrl"), url.toString(QUrl::FullyEncoded)},
            {QStringLiteral("state"), state},
        });
    });
}

// POST /v1/auth/oauth/{provider}/callback {code, state}
void MfaService::callback(HttpRequest &req, const Responder &res)
{
    const QString providerId = req.pathParams.value(QStringLiteral("provider"));
    if (!m_clients.contains(providerId)) {
        res.send(Http::problemFromError(Error::make(ErrorCode::NotFound, QStringLiteral("No such identity provider.")),
                                        req.requestId));
        return;
    }
    const auto body = readFields(req, res, {{QStringLiteral("code"), true, 2048}, {QStringLiteral("state"), true, 256}});
    if (!body)
        return;
    const QString code = body->value(QStringLiteral("code")), state = body->value(QStringLiteral("state"));
    const QString ua = userAgent(req), ipAddr = ip(req), requestId = req.requestId, route = req.route;
    // Not Database::respond: the token exchange is network I/O that must not run inside
    // a transaction (it would hold a connection for seconds, and a retried transaction
    // would replay a single-use authorization code). The job runs three steps: consume
    // the state (committed), talk to the provider, then link/create/log in (one tx).
    const bool queued = m_db.trySubmit([=, this] {
        Result<HttpResponse> r = finishOAuth(providerId, code, state, ua, ipAddr);
        if (r) {
            res.send(std::move(*r));
            return;
        }
        if (r.error().code == ErrorCode::Internal || r.error().code == ErrorCode::Unavailable)
            qCWarning(lcMfa).noquote() << "request" << requestId << route << r.error().message << r.error().logDetail;
        res.send(Http::problemFromError(r.error(), requestId));
    });
    if (!queued) {
        auto resp = Http::problem(503, QStringLiteral("overloaded"), QStringLiteral("Service overloaded"),
                                  QStringLiteral("The server is busy; please retry shortly."), {}, requestId);
        resp.setHeader("Retry-After", "1");
        res.send(std::move(resp));
    }
}

Result<HttpResponse> MfaService::finishOAuth(const QString &providerId, const QString &code, const QString &state,
                                             const QString &ua, const QString &ipAddr) const
{
    struct Pending {
        QString provider, verifier, redirectUri;
        qint64 linkUser = 0;
        bool live = false;
    };
    // 1. The state is single use: deleted (and committed) before anything else happens.
    auto pending = m_db.transact<std::optional<Pending>>([&](pqxx::work &tx) -> Result<std::optional<Pending>> {
        const pqxx::result r = tx.exec_params(
            "DELETE FROM auth.oauth_states WHERE state = $1 "
            "RETURNING provider, code_verifier, COALESCE(redirect_uri, ''), COALESCE(link_user_id, 0), expires_at > now()",
            Pkce::sha256Hex(state).toStdString());
        if (r.empty())
            return std::optional<Pending>();
        return std::optional<Pending>(Pending{QString::fromStdString(r[0][0].as<std::string>()),
                                              QString::fromStdString(r[0][1].as<std::string>()),
                                              QString::fromStdString(r[0][2].as<std::string>()),
                                              r[0][3].as<qint64>(), r[0][4].as<bool>()});
    });
    if (!pending)
        return tl::unexpected(pending.error());
    if (!*pending || (*pending)->provider != providerId || !(*pending)->live)
        return tl::unexpected(fieldError(QStringLiteral("state"), QStringLiteral("is unknown, used, expired or for another provider"),
                                         QStringLiteral("invalid")));
    const Pending p = **pending;

    // 2. The provider, outside any transaction.
    const auto client = m_clients.value(providerId);
    auto tokens = client->exchangeCode(code, p.verifier, p.redirectUri);
    if (!tokens)
        return tl::unexpected(tokens.error());
    auto info = client->fetchUserInfo(tokens->accessToken);
    if (!info)
        return tl::unexpected(info.error());
    const OAuthUserInfo user = *info;
    // An unverified address is not evidence of anything: it is neither stored on a new
    // account nor trusted for matching.
    const QString verifiedEmail = user.emailVerified ? user.email.left(320) : QString();

    // 3. Link, or log in, or create the account.
    qint64 createdUser = 0;
    auto answer = m_db.transact<HttpResponse>([&](pqxx::work &tx) -> Result<HttpResponse> {
        createdUser = 0;   // a retried transaction starts over
        const pqxx::result existing = tx.exec_params(
            "SELECT user_id FROM auth.oauth_identities WHERE provider = $1 AND subject = $2 FOR UPDATE",
            providerId.toStdString(), user.subject.toStdString());
        const std::optional<qint64> owner = existing.empty() ? std::nullopt
                                                             : std::optional<qint64>(existing[0][0].as<qint64>());
        if (p.linkUser > 0) {
            if (owner && *owner != p.linkUser)
                return fail(ErrorCode::Conflict, QStringLiteral("This identity is linked to another account."));
            if (!owner) {
                const pqxx::result other = tx.exec_params(
                    "SELECT 1 FROM auth.oauth_identities WHERE provider = $1 AND user_id = $2", providerId.toStdString(),
                    p.linkUser);
                if (!other.empty())
                    return fail(ErrorCode::Conflict,
                                QStringLiteral("Another identity of this provider is already linked to your account."));
                tx.exec_params("INSERT INTO auth.oauth_identities (provider, subject, user_id, email, created_at) "
                               "VALUES ($1, $2, $3, NULLIF($4, ''), now())",
                               providerId.toStdString(), user.subject.toStdString(), p.linkUser,
                               verifiedEmail.toStdString());
            }
            return HttpResponse::json(200, QJsonObject{{QStringLiteral("linked"), true},
                                                       {QStringLiteral("provider"), providerId},
                                                       {QStringLiteral("email"), verifiedEmail}});
        }
        qint64 userId = 0;
        if (owner) {
            userId = *owner;
            if (!verifiedEmail.isEmpty())
                tx.exec_params("UPDATE auth.oauth_identities SET email = $3 WHERE provider = $1 AND subject = $2",
                               providerId.toStdString(), user.subject.toStdString(), verifiedEmail.toStdString());
        } else {
            // No automatic linking to an existing account with the same email: that would let
            // whoever controls the provider account take over a local one. createUser
            // answers Conflict when the email is taken; the user then logs in and links.
            auto created = m_hooks.createUser(tx, user.preferredUsername.left(64), verifiedEmail);
            if (!created)
                return tl::unexpected(created.error());
            userId = *created;
            createdUser = userId;
            tx.exec_params("INSERT INTO auth.oauth_identities (provider, subject, user_id, email, created_at) "
                           "VALUES ($1, $2, $3, NULLIF($4, ''), now())",
                           providerId.toStdString(), user.subject.toStdString(), userId, verifiedEmail.toStdString());
        }
        auto login = completeLogin(tx, userId, ua, ipAddr);
        if (!login)
            return tl::unexpected(login.error());
        return HttpResponse::json(200, *login);
    });
    if (answer && createdUser > 0 && m_hooks.accountCreated)
        m_hooks.accountCreated(createdUser);
    return answer;
}

// GET /v1/auth/identities
void MfaService::identities(HttpRequest &req, const Responder &res)
{
    if (!requireUser(req, res) || !checkQuery(req, res, {}))
        return;
    const qint64 userId = req.principal.userId;
    m_db.respond(req, res, [=, this](pqxx::work &tx) -> Result<HttpResponse> {
        const pqxx::result r = tx.exec_params(
            "SELECT provider, COALESCE(email, ''), (extract(epoch FROM created_at) * 1000)::bigint "
            "FROM auth.oauth_identities WHERE user_id = $1 ORDER BY created_at, provider", userId);
        QJsonArray arr;
        for (const auto &row : r) {
            const QString provider = QString::fromStdString(row[0].as<std::string>());
            QJsonObject o{{QStringLiteral("provider"), provider},
                          {QStringLiteral("email"), QString::fromStdString(row[1].as<std::string>())},
                          {QStringLiteral("createdAt"),
                           QDateTime::fromMSecsSinceEpoch(row[2].as<qint64>(), Qt::UTC).toString(Qt::ISODateWithMs)}};
            if (auto c = m_clients.value(provider))
                o.insert(QStringLiteral("displayName"), c->config().displayName);
            arr.append(o);
        }
        return HttpResponse::json(200, QJsonDocument(arr));
    });
}

// DELETE /v1/auth/identities/{provider}
void MfaService::unlink(HttpRequest &req, const Responder &res)
{
    if (!requireUser(req, res) || !checkQuery(req, res, {}))
        return;
    const qint64 userId = req.principal.userId;
    const QString provider = req.pathParams.value(QStringLiteral("provider"));
    m_db.respond(req, res, [=, this](pqxx::work &tx) -> Result<HttpResponse> {
        // Serialises concurrent unlinks of one account: each would otherwise see the other's
        // identity and both succeed, leaving no way in.
        tx.exec_params("SELECT 1 FROM auth.users WHERE id = $1 FOR UPDATE", userId);
        const pqxx::result r = tx.exec_params("SELECT provider FROM auth.oauth_identities WHERE user_id = $1", userId);
        bool found = false;
        for (const auto &row : r)
            found = found || QString::fromStdString(row[0].as<std::string>()) == provider;
        if (!found)
            return fail(ErrorCode::NotFound, QStringLiteral("No identity of that provider is linked."));
        auto has = m_hooks.hasPassword(tx, userId);
        if (!has)
            return tl::unexpected(has.error());
        if (!*has && r.size() <= 1)
            return fail(ErrorCode::Conflict,
                        QStringLiteral("This is the only way to sign in to the account; set a password first."));
        tx.exec_params("DELETE FROM auth.oauth_identities WHERE user_id = $1 AND provider = $2", userId,
                       provider.toStdString());
        return HttpResponse::empty(204);
    });
}

} // namespace
} // namespace Internal

Result<void> registerRoutes(Http::Router &router, Db::Database &db, Hooks hooks, Config config)
{
    if (!hooks.issueSession || !hooks.verifyPassword || !hooks.createUser || !hooks.hasPassword)
        return fail(ErrorCode::Config, QStringLiteral("auth.mfa: every hook must be set"));
    auto svc = std::make_shared<Internal::MfaService>(db, std::move(hooks), std::move(config));
    using Svc = Internal::MfaService;
    const auto bind = [svc](void (Svc::*m)(HttpRequest &, const Responder &)) -> Http::Handler {
        return [svc, m](HttpRequest &req, const Responder &res) { ((*svc).*m)(req, res); };
    };
    const auto opts = [](bool authenticated, bool authClass) {
        Http::RouteOptions o = authenticated ? Http::RouteOptions::authenticated() : Http::RouteOptions{};
        o.owner = QStringLiteral("auth");
        o.maxBodyBytes = 16 * 1024;
        if (authClass)
            o.rateClass = QStringLiteral("auth");
        return o;
    };
    struct Route {
        QByteArray method;
        QString pattern;
        void (Svc::*handler)(HttpRequest &, const Responder &);
        bool authenticated;
        bool authClass;
    };
    const QList<Route> routes = {
        {"POST", QStringLiteral("/v1/auth/2fa/enrol"), &Svc::enrol, true, false},
        {"POST", QStringLiteral("/v1/auth/2fa/enable"), &Svc::enable, true, true},
        {"POST", QStringLiteral("/v1/auth/2fa/disable"), &Svc::disable, true, true},
        {"POST", QStringLiteral("/v1/auth/2fa/recovery-codes"), &Svc::regenerateCodes, true, true},
        {"POST", QStringLiteral("/v1/auth/login/2fa"), &Svc::loginSecondFactor, false, true},
        {"GET", QStringLiteral("/v1/auth/oauth/providers"), &Svc::providers, false, false},
        {"GET", QStringLiteral("/v1/auth/oauth/{provider}/authorize"), &Svc::authorize, false, true},
        {"POST", QStringLiteral("/v1/auth/oauth/{provider}/callback"), &Svc::callback, false, true},
        {"GET", QStringLiteral("/v1/auth/identities"), &Svc::identities, true, false},
        {"DELETE", QStringLiteral("/v1/auth/identities/{provider}"), &Svc::unlink, true, false},
    };
    for (const Route &r : routes) {
        if (auto added = router.add(r.method, r.pattern, bind(r.handler), opts(r.authenticated, r.authClass)); !added)
            return added;
    }
    return {};
}

} // namespace Auth::Mfa
