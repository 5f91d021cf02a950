// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A tiny OAuth 2.0 / OIDC provider for tests, on a loopback port (Community::Http::HttpServer):
///   GET  /authorize  response_type=code, client_id, redirect_uri, state, code_challenge,
///                    code_challenge_method=S256 -> 302 redirect_uri?code=..&state=..
///   POST /token      form: grant_type=authorization_code, code, redirect_uri, client_id,
///                    client_secret, code_verifier -> {access_token, token_type, id_token}
///                    (checks the client secret (401 invalid_client) and PKCE S256, code
///                    single use and redirect_uri (400 invalid_grant))
///   GET  /userinfo   Authorization: Bearer <access_token> -> {sub, email, email_verified,
///                    preferred_username}
/// The user who "approves" is whatever setClaims() last set. Every request is recorded.
/// Threading: lives on the creating (main) thread; the HTTP server answers on it too, so a
/// client blocking that thread without an event loop would hang.

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <memory>

namespace Community::Http { class HttpServer; struct HttpRequest; struct HttpResponse; }

namespace Community::Test {

class FakeOidcProvider {
public:
    struct Claims {
        QString sub = QStringLiteral("fake-subject-1");
        QString email = QStringLiteral("alice@example.org");
        bool emailVerified = true;
        QString preferredUsername = QStringLiteral("alice");
    };
    struct Received {
        QByteArray method;
        QString path;
        QUrlQuery query;
        QHash<QString, QString> form;  ///< decoded form fields (POST /token)
        QByteArray authorization;      ///< Authorization header
        int status = 0;                ///< what the provider answered
    };

    explicit FakeOidcProvider(QString clientId = QStringLiteral("community-test"),
                              QString clientSecret = QStringLiteral("test-client-secret"));
    ~FakeOidcProvider();

    /// Listens on 127.0.0.1, any free port.
    bool start();
    QUrl url(const QString &path) const;
    QString clientId() const { return m_clientId; }
    QString clientSecret() const { return m_clientSecret; }

    void setClaims(const Claims &claims);
    QList<Received> received() const;
    void clearReceived();

    /// The user approves: GETs `authorizationUrl` without following the redirect and
    /// returns the Location (redirect_uri?code=..&state=..), or an empty URL on refusal.
    QUrl approve(const QUrl &authorizationUrl) const;

private:
    struct Grant {
        QString clientId, redirectUri, challenge;
        Claims claims;
    };
    Http::HttpResponse handle(const Http::HttpRequest &request);

    QString m_clientId;
    QString m_clientSecret;
    std::unique_ptr<Http::HttpServer> m_server;
    mutable QMutex m_mutex;
    Claims m_claims;
    QHash<QString, Grant> m_codes;
    QHash<QString, Claims> m_tokens;
    QList<Received> m_received;
};

} // namespace Community::Test
