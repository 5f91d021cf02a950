// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// OAuth 2.0 / OIDC provider configuration and a blocking client for the authorization
/// code flow with PKCE: authorization URL, token exchange, userinfo.
/// Threading: OAuthClient is immutable; exchangeCode()/fetchUserInfo() block the calling
/// thread (a database worker) with a local QEventLoop and a QNetworkAccessManager created
/// on that thread for the call. Never call them on an event-loop (I/O) thread.
/// Failure: errors are values. InvalidArgument = the provider refused the code
/// (invalid_grant); Unavailable = network failure, timeout, or a provider answer we
/// cannot use (including a refused client secret: a configuration problem).

#include "community/config.h"
#include "community/result.h"

#include <QJsonObject>
#include <QStringList>
#include <QUrl>

namespace Auth::Mfa {

struct OAuthProviderConfig {
    QString id;                    ///< [a-z0-9_-]+, used in routes: /v1/auth/oauth/{id}/...
    QString displayName;
    QUrl authorizationEndpoint;
    QUrl tokenEndpoint;
    QUrl userinfoEndpoint;
    QString clientId;
    Community::Secret clientSecret;
    QStringList scopes = {QStringLiteral("openid"), QStringLiteral("email"), QStringLiteral("profile")};
    QString redirectUri;           ///< default redirect URI (the front end's callback page)
    QStringList allowedRedirectUris; ///< further redirect URIs a client may ask for
    int timeoutMs = 10'000;        ///< per HTTP call to the provider
};

/// Reads one provider object (keys: displayName, authorizationEndpoint, tokenEndpoint,
/// userinfoEndpoint, clientId, clientSecret|clientSecretFile, scopes, redirectUri,
/// allowedRedirectUris, timeoutMs). Calls reader.finish(): unknown keys are errors.
Community::Result<OAuthProviderConfig> parseProviderConfig(const QString &id, Community::ConfigReader &reader);

struct OAuthTokens {
    QString accessToken;
    QString tokenType;
    QString idToken;   ///< may be empty (plain OAuth 2.0)
};

struct OAuthUserInfo {
    QString subject;            ///< OIDC `sub` (required)
    QString email;
    bool emailVerified = false;
    QString preferredUsername;
    QJsonObject claims;         ///< everything the provider sent
};

class OAuthClient {
public:
    explicit OAuthClient(OAuthProviderConfig config);

    const OAuthProviderConfig &config() const { return m_config; }

    /// The URL to send the browser to (response_type=code, S256 challenge).
    QUrl authorizationUrl(const QString &state, const QString &codeChallenge, const QString &redirectUri) const;

    /// POST to the token endpoint (form-encoded, client_secret_post). Blocking.
    Community::Result<OAuthTokens> exchangeCode(const QString &code, const QString &codeVerifier,
                                                const QString &redirectUri) const;

    /// GET the userinfo endpoint with the bearer access token. Blocking.
    Community::Result<OAuthUserInfo> fetchUserInfo(const QString &accessToken) const;

private:
    OAuthProviderConfig m_config;
};

} // namespace Auth::Mfa
