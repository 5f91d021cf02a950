// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "oauthprovider.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

#include <memory>

using Community::ErrorCode;
using Community::Result;
using Community::fail;

namespace Auth::Mfa {

namespace {

Community::FieldError fieldError(const QString &field, const QString &message, const QString &code)
{
    return Community::FieldError{field, message, code};
}

QUrl readUrl(Community::ConfigReader &reader, const QString &key, QList<Community::FieldError> &errors, bool required)
{
    const QString s = reader.string(key);
    const QString field = reader.path() + QLatin1Char('.') + key;
    if (s.isEmpty()) {
        if (required)
            errors.append(fieldError(field, QStringLiteral("is required"), QStringLiteral("required")));
        return {};
    }
    const QUrl url(s, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))
        || url.host().isEmpty())
        errors.append(fieldError(field, QStringLiteral("must be an absolute http(s) URL"), QStringLiteral("format")));
    return url;
}

struct Reply {
    int status = 0;
    QByteArray body;
    QString networkError;  ///< empty when an HTTP answer arrived
};

// One blocking HTTP call. The manager lives on this thread for the duration of the call,
// so the worker thread needs no running event loop of its own.
Reply blockingRequest(const QNetworkRequest &req, const QByteArray &method, const QByteArray &body, int timeoutMs)
{
    QNetworkAccessManager nam;
    nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    std::unique_ptr<QNetworkReply> reply(
        method == "POST" ? nam.post(req, body) : nam.sendCustomRequest(req, method, body));
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    Reply out;
    if (!reply->isFinished()) {
        reply->abort();
        out.networkError = QStringLiteral("timed out after %1 ms").arg(timeoutMs);
        return out;
    }
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        out.networkError = reply->errorString();
        return out;
    }
    out.status = status.toInt();
    out.body = reply->readAll();
    return out;
}

QByteArray formEncode(const QList<QPair<QString, QString>> &items)
{
    QByteArray out;
    for (const auto &[k, v] : items) {
        if (!out.isEmpty())
            out.append('&');
        out.append(QUrl::toPercentEncoding(k) + '=' + QUrl::toPercentEncoding(v));
    }
    return out;
}

} // namespace

Result<OAuthProviderConfig> parseProviderConfig(const QString &id, Community::ConfigReader &reader)
{
    QList<Community::FieldError> errors;
    OAuthProviderConfig c;
    c.id = id;
    static const QRegularExpression idRe(QStringLiteral("^[a-z0-9][a-z0-9_-]{0,31}$"));
    if (!idRe.match(id).hasMatch())
        errors.append(fieldError(reader.path(), QStringLiteral("provider id must match [a-z0-9][a-z0-9_-]{0,31}"),
                                 QStringLiteral("format")));
    c.displayName = reader.string(QStringLiteral("displayName"), id);
    c.authorizationEndpoint = readUrl(reader, QStringLiteral("authorizationEndpoint"), errors, true);
    c.tokenEndpoint = readUrl(reader, QStringLiteral("tokenEndpoint"), errors, true);
    c.userinfoEndpoint = readUrl(reader, QStringLiteral("userinfoEndpoint"), errors, true);
    c.clientId = reader.string(QStringLiteral("clientId"));
    if (c.clientId.isEmpty())
        errors.append(fieldError(reader.path() + QStringLiteral(".clientId"), QStringLiteral("is required"),
                                 QStringLiteral("required")));
    c.clientSecret = reader.secret(QStringLiteral("clientSecret"));
    c.scopes = reader.stringList(QStringLiteral("scopes"), c.scopes);
    c.redirectUri = reader.string(QStringLiteral("redirectUri"));
    if (c.redirectUri.isEmpty() || !QUrl(c.redirectUri, QUrl::StrictMode).isValid())
        errors.append(fieldError(reader.path() + QStringLiteral(".redirectUri"),
                                 QStringLiteral("is required (an absolute URL)"), QStringLiteral("required")));
    c.allowedRedirectUris = reader.stringList(QStringLiteral("allowedRedirectUris"));
    c.timeoutMs = int(reader.integer(QStringLiteral("timeoutMs"), c.timeoutMs, 100, 120'000));
    auto fin = reader.finish();
    if (!fin)
        errors = fin.error().fields + errors;
    if (!errors.isEmpty()) {
        Community::Error e = Community::Error::make(ErrorCode::Config, QStringLiteral("invalid configuration"));
        e.fields = errors;
        return tl::unexpected(e);
    }
    return c;
}

OAuthClient::OAuthClient(OAuthProviderConfig config)
    : m_config(std::move(config))
{
}

QUrl OAuthClient::authorizationUrl(const QString &state, const QString &codeChallenge, const QString &redirectUri) const
{
    QUrl url = m_config.authorizationEndpoint;
    // Fully encoded by hand: QUrlQuery would leave '+' and '&' ambiguous in values.
    QList<QPair<QString, QString>> items = {
        {QStringLiteral("response_type"), QStringLiteral("code")},
        {QStringLiteral("client_id"), m_config.clientId},
        {QStringLiteral("redirect_uri"), redirectUri},
        {QStringLiteral("scope"), m_config.scopes.join(QLatin1Char(' '))},
        {QStringLiteral("state"), state},
        {QStringLiteral("code_challenge"), codeChallenge},
        {QStringLiteral("code_challenge_method"), QStringLiteral("S256")},
    };
    QByteArray query = url.query(QUrl::FullyEncoded).toLatin1();
    const QByteArray extra = formEncode(items);
    query = query.isEmpty() ? extra : query + '&' + extra;
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

Result<OAuthTokens> OAuthClient::exchangeCode(const QString &code, const QString &codeVerifier,
                                              const QString &redirectUri) const
{
    QNetworkRequest req(m_config.tokenEndpoint);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    req.setRawHeader("Accept", "application/json");
    const QByteArray body = formEncode({
        {QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
        {QStringLiteral("code"), code},
        {QStringLiteral("redirect_uri"), redirectUri},
        {QStringLiteral("client_id"), m_config.clientId},
        {QStringLiteral("client_secret"), m_config.clientSecret.reveal()},
        {QStringLiteral("code_verifier"), codeVerifier},
    });
    const Reply r = blockingRequest(req, "POST", body, m_config.timeoutMs);
    const QString who = QStringLiteral("oauth provider %1 token endpoint: ").arg(m_config.id);
    if (!r.networkError.isEmpty())
        return fail(ErrorCode::Unavailable, QStringLiteral("The identity provider is not reachable."), who + r.networkError);
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    if (r.status != 200) {
        const QString err = o.value(QStringLiteral("error")).toString();
        const QString detail = who + QStringLiteral("HTTP %1 %2").arg(r.status).arg(err);
        // invalid_grant: the code (or its PKCE verifier) is wrong, used or expired: the
        // client's fault. Anything else (invalid_client, ...) is ours: configuration.
        if (r.status == 400 && err == QLatin1String("invalid_grant")) {
            Community::Error e = Community::Error::make(ErrorCode::InvalidArgument,
                                                        QStringLiteral("The authorization code was refused."), detail);
            e.fields.append({QStringLiteral("code"), QStringLiteral("refused by the identity provider"),
                             QStringLiteral("invalid_grant")});
            return tl::unexpected(e);
        }
        return fail(ErrorCode::Unavailable, QStringLiteral("The identity provider refused the login."), detail);
    }
    OAuthTokens t;
    t.accessToken = o.value(QStringLiteral("access_token")).toString();
    t.tokenType = o.value(QStringLiteral("token_type")).toString();
    t.idToken = o.value(QStringLiteral("id_token")).toString();
    if (t.accessToken.isEmpty() || t.tokenType.compare(QLatin1String("bearer"), Qt::CaseInsensitive) != 0)
        return fail(ErrorCode::Unavailable, QStringLiteral("The identity provider sent an unusable answer."),
                    who + QStringLiteral("no bearer access_token in the response"));
    return t;
}

Result<OAuthUserInfo> OAuthClient::fetchUserInfo(const QString &accessToken) const
{
    QNetworkRequest req(m_config.userinfoEndpoint);
    req.setRawHeader("Authorization", "Bearer " + accessToken.toUtf8());
    req.setRawHeader("Accept", "application/json");
    const Reply r = blockingRequest(req, "GET", {}, m_config.timeoutMs);
    const QString who = QStringLiteral("oauth provider %1 userinfo endpoint: ").arg(m_config.id);
    if (!r.networkError.isEmpty())
        return fail(ErrorCode::Unavailable, QStringLiteral("The identity provider is not reachable."), who + r.networkError);
    if (r.status != 200)
        return fail(ErrorCode::Unavailable, QStringLiteral("The identity provider refused the login."),
                    who + QStringLiteral("HTTP %1").arg(r.status));
    const QJsonDocument doc = QJsonDocument::fromJson(r.body);
    const QJsonObject o = doc.object();
    OAuthUserInfo u;
    u.claims = o;
    const QJsonValue sub = o.value(QStringLiteral("sub"));
    // Some OAuth-only providers send a numeric id; OIDC says string.
    u.subject = sub.isDouble() ? QString::number(qint64(sub.toDouble())) : sub.toString();
    u.email = o.value(QStringLiteral("email")).toString();
    const QJsonValue ev = o.value(QStringLiteral("email_verified"));
    u.emailVerified = ev.isBool() ? ev.toBool() : ev.toString() == QLatin1String("true");
    u.preferredUsername = o.value(QStringLiteral("preferred_username")).toString();
    if (!doc.isObject() || u.subject.isEmpty() || u.subject.size() > 255)
        return fail(ErrorCode::Unavailable, QStringLiteral("The identity provider sent an unusable answer."),
                    who + QStringLiteral("no usable sub claim"));
    return u;
}

} // namespace Auth::Mfa
