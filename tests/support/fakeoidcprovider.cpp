// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "fakeoidcprovider.h"

#include "community/host/httpserver.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimer>

namespace Community::Test {

namespace {

QString randomToken()
{
    QByteArray b(24, '\0');
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(b.data()), b.size() / 4);
    return QString::fromLatin1(b.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Http::HttpResponse oauthError(int status, const char *error, const QString &description)
{
    return Http::HttpResponse::json(status, QJsonObject{{QStringLiteral("error"), QString::fromLatin1(error)},
                                                        {QStringLiteral("error_description"), description}});
}

QHash<QString, QString> parseForm(const QByteArray &body)
{
    QHash<QString, QString> out;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const int eq = pair.indexOf('=');
        QByteArray k = eq < 0 ? pair : pair.left(eq);
        QByteArray v = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        k.replace('+', ' ');
        v.replace('+', ' ');
        out.insert(QUrl::fromPercentEncoding(k), QUrl::fromPercentEncoding(v));
    }
    return out;
}

} // namespace

FakeOidcProvider::FakeOidcProvider(QString clientId, QString clientSecret)
    : m_clientId(std::move(clientId))
    , m_clientSecret(std::move(clientSecret))
{
}

FakeOidcProvider::~FakeOidcProvider() = default;

bool FakeOidcProvider::start()
{
    Http::HttpServerConfig cfg;
    cfg.address = QHostAddress::LocalHost;
    cfg.port = 0;
    m_server = std::make_unique<Http::HttpServer>(cfg);
    m_server->setHandler([this](Http::HttpRequest &request, const Http::Responder &responder) {
        responder.send(handle(request));
    });
    return m_server->listen().has_value();
}

QUrl FakeOidcProvider::url(const QString &path) const
{
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    u.setHost(QStringLiteral("127.0.0.1"));
    u.setPort(m_server ? m_server->serverPort() : 0);
    u.setPath(path);
    return u;
}

void FakeOidcProvider::setClaims(const Claims &claims)
{
    QMutexLocker lock(&m_mutex);
    m_claims = claims;
}

QList<FakeOidcProvider::Received> FakeOidcProvider::received() const
{
    QMutexLocker lock(&m_mutex);
    return m_received;
}

void FakeOidcProvider::clearReceived()
{
    QMutexLocker lock(&m_mutex);
    m_received.clear();
}

QUrl FakeOidcProvider::approve(const QUrl &authorizationUrl) const
{
    QNetworkAccessManager nam;
    QNetworkRequest req(authorizationUrl);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    std::unique_ptr<QNetworkReply> reply(nam.get(req));
    QEventLoop loop;
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 302)
        return {};
    return QUrl(QString::fromUtf8(reply->rawHeader("Location")));
}

Http::HttpResponse FakeOidcProvider::handle(const Http::HttpRequest &request)
{
    QMutexLocker lock(&m_mutex);
    Received rec;
    rec.method = request.method;
    rec.path = request.path;
    rec.query = request.query;
    rec.authorization = request.header("authorization");
    if (request.method == "POST")
        rec.form = parseForm(request.body);

    const auto q = [&](const char *name) {
        return request.query.queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded);
    };
    Http::HttpResponse resp;
    if (request.method == "GET" && request.path == QLatin1String("/authorize")) {
        if (q("response_type") != QLatin1String("code") || q("client_id") != m_clientId)
            resp = oauthError(400, "unauthorized_client", QStringLiteral("bad response_type or client_id"));
        else if (q("code_challenge_method") != QLatin1String("S256") || q("code_challenge").size() != 43)
            resp = oauthError(400, "invalid_request", QStringLiteral("S256 PKCE required"));
        else if (q("redirect_uri").isEmpty() || q("state").isEmpty())
            resp = oauthError(400, "invalid_request", QStringLiteral("redirect_uri and state required"));
        else {
            const QString code = randomToken();
            m_codes.insert(code, Grant{q("client_id"), q("redirect_uri"), q("code_challenge"), m_claims});
            QUrl target(q("redirect_uri"));
            QUrlQuery tq(target);
            tq.addQueryItem(QStringLiteral("code"), code);
            tq.addQueryItem(QStringLiteral("state"), QString::fromLatin1(QUrl::toPercentEncoding(q("state"))));
            target.setQuery(tq);
            resp = Http::HttpResponse::empty(302);
            resp.setHeader("Location", target.toString(QUrl::FullyEncoded).toUtf8());
        }
    } else if (request.method == "POST" && request.path == QLatin1String("/token")) {
        const auto &f = rec.form;
        const auto grant = m_codes.constFind(f.value(QStringLiteral("code")));
        if (f.value(QStringLiteral("client_id")) != m_clientId || f.value(QStringLiteral("client_secret")) != m_clientSecret)
            resp = oauthError(401, "invalid_client", QStringLiteral("client authentication failed"));
        else if (f.value(QStringLiteral("grant_type")) != QLatin1String("authorization_code") || grant == m_codes.constEnd())
            resp = oauthError(400, "invalid_grant", QStringLiteral("unknown or used code"));
        else {
            const Grant g = *grant;
            m_codes.remove(f.value(QStringLiteral("code")));  // single use, even when the rest is wrong
            const QString challenge = QString::fromLatin1(
                QCryptographicHash::hash(f.value(QStringLiteral("code_verifier")).toLatin1(), QCryptographicHash::Sha256)
                    .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            if (g.redirectUri != f.value(QStringLiteral("redirect_uri")))
                resp = oauthError(400, "invalid_grant", QStringLiteral("redirect_uri mismatch"));
            else if (challenge != g.challenge)
                resp = oauthError(400, "invalid_grant", QStringLiteral("PKCE verification failed"));
            else {
                const QString token = randomToken();
                m_tokens.insert(token, g.claims);
                resp = Http::HttpResponse::json(200, QJsonObject{{QStringLiteral("access_token"), token},
                                                                 {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                                                 {QStringLiteral("expires_in"), 3600},
                                                                 {QStringLiteral("id_token"), QStringLiteral("fake.id.token")}});
            }
        }
    } else if (request.method == "GET" && request.path == QLatin1String("/userinfo")) {
        const QByteArray auth = rec.authorization;
        const QString token = auth.startsWith("Bearer ") ? QString::fromLatin1(auth.mid(7)) : QString();
        const auto it = m_tokens.constFind(token);
        if (it == m_tokens.constEnd()) {
            resp = oauthError(401, "invalid_token", QStringLiteral("unknown access token"));
        } else {
            resp = Http::HttpResponse::json(200, QJsonObject{{QStringLiteral("sub"), it->sub},
                                                             {QStringLiteral("email"), it->email},
                                                             {QStringLiteral("email_verified"), it->emailVerified},
                                                             {QStringLiteral("preferred_username"), it->preferredUsername}});
        }
    } else {
        resp = oauthError(404, "not_found", request.path);
    }
    rec.status = resp.status;
    m_received.append(rec);
    return resp;
}

} // namespace Community::Test
