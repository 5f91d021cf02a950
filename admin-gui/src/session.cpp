// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "session.h"

#include "community/client/realtimeclient.h"

#include <QJsonObject>

using namespace Community::Client;

namespace Console {

namespace {
constexpr std::chrono::seconds kTimeout{15};
}

Session::Session(QObject *parent) : QObject(parent) {}

Session::~Session() = default;

RealtimeClient *Session::realtime()
{
    if (!m_realtime && m_api) {
        m_realtime = std::make_unique<RealtimeClient>(m_api->baseUrl(), m_api->token());
        m_realtime->open();
    }
    return m_realtime.get();
}

QString Session::consoleVersion()
{
    return QStringLiteral(COMMUNITY_VERSION);
}

QString Session::versionWarning() const
{
    if (m_serverVersion.isEmpty() || m_serverVersion == consoleVersion())
        return {};
    return tr("The server runs version %1; this console is version %2. Screens may miss or misread "
              "what changed between them.").arg(m_serverVersion, consoleVersion());
}

void Session::startClient(const QUrl &server, const QString &token)
{
    cancel();
    m_realtime.reset();
    m_signedIn = false;
    m_serverVersion.clear();
    m_api = std::make_unique<ApiClient>(server, token, kTimeout);
    m_api->setUserAgent("community-console/" + consoleVersion().toLatin1());
}

void Session::signIn(const QUrl &server, const QString &username, const QString &password)
{
    startClient(server, {});
    m_username = username;
    m_pending = m_api->send(ApiRequest::withJson("POST", QStringLiteral("/v1/auth/login"),
                                                 {{QStringLiteral("login"), username}, {QStringLiteral("password"), password}}),
                            [this](const ApiReply &reply) { finishLogin(reply); });
}

void Session::submitCode(const QString &code)
{
    if (!m_api || m_mfaToken.isEmpty())
        return Q_EMIT failed(tr("Sign in with your password first."));
    const bool recovery = code.trimmed().size() > 8;  // TOTP codes have 6-8 digits
    m_pending = m_api->send(ApiRequest::withJson("POST", QStringLiteral("/v1/auth/login/2fa"),
                                                 {{QStringLiteral("mfaToken"), m_mfaToken},
                                                  {recovery ? QStringLiteral("recoveryCode") : QStringLiteral("code"), code.trimmed()}}),
                            [this](const ApiReply &reply) { finishLogin(reply); });
}

void Session::signInWithToken(const QUrl &server, const QString &token)
{
    startClient(server, token);
    m_username = QStringLiteral("operator");
    loadServerInfo();
}

void Session::cancel()
{
    if (m_pending)
        m_pending->cancel();
}

void Session::finishLogin(const ApiReply &reply)
{
    if (!reply.ok())
        return fail(reply);
    const QJsonObject o = reply.jsonObject().value_or(QJsonObject());
    if (o.value(QStringLiteral("mfaRequired")).toBool()) {
        m_mfaToken = o.value(QStringLiteral("mfaToken")).toString();
        return Q_EMIT codeRequired();
    }
    m_mfaToken.clear();
    const QString token = o.value(QStringLiteral("accessToken")).toString();
    if (token.isEmpty())
        return Q_EMIT failed(tr("The server answered the sign-in without a token."));
    m_api->setToken(token);
    loadServerInfo();
}

void Session::loadServerInfo()
{
    // The API description is public and names the server's version (info.version).
    m_pending = m_api->send(ApiRequest{"GET", QStringLiteral("/openapi.json")}, [this](const ApiReply &doc) {
        if (!doc.ok())
            return fail(doc);
        const QJsonObject info = doc.jsonObject().value_or(QJsonObject()).value(QStringLiteral("info")).toObject();
        m_serverVersion = info.value(QStringLiteral("version")).toString();
        // An operator token has no account: /v1/system/info checks it; a user's token, /v1/auth/me.
        const bool asOperator = m_username == QLatin1String("operator");
        const QString check = asOperator ? QStringLiteral("/v1/system/info") : QStringLiteral("/v1/auth/me");
        m_pending = m_api->send(ApiRequest{"GET", check}, [this](const ApiReply &reply) {
            if (!reply.ok())
                return fail(reply);
            m_signedIn = true;
            Q_EMIT signedIn();
        });
    });
}

void Session::fail(const ApiReply &reply)
{
    if (reply.outcome == ApiReply::Outcome::Cancelled)
        return Q_EMIT failed(tr("Cancelled."));
    Q_EMIT failed(reply.error().message);
}

} // namespace Console
