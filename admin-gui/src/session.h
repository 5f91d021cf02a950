// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The console's connection to one communityd: signing in (username + password, then a
/// 2FA code when the account asks for one; or an operator token), the server's version,
/// and the API client every screen uses. Threading: GUI thread; all calls asynchronous.

#include "community/client/apiclient.h"

namespace Community::Client { class RealtimeClient; }

#include <QObject>

#include <memory>

namespace Console {

class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    /// Password sign-in: signedIn, codeRequired (then submitCode) or failed follows.
    void signIn(const QUrl &server, const QString &username, const QString &password);
    /// The second step after codeRequired: a TOTP code or a recovery code.
    void submitCode(const QString &code);
    /// Operator token sign-in (checked against /v1/system/info).
    void signInWithToken(const QUrl &server, const QString &token);
    /// Cancels a sign-in in flight (failed follows with "Cancelled").
    void cancel();

    bool isSignedIn() const { return m_signedIn; }
    Community::Client::ApiClient *api() const { return m_api.get(); }
    /// The session's one WebSocket to the realtime hub, opened on first use with the
    /// session's token (screens subscribe their topics; it reconnects and resumes).
    Community::Client::RealtimeClient *realtime();
    QString username() const { return m_username; }   ///< "operator" for a token sign-in
    QString serverVersion() const { return m_serverVersion; }
    /// Empty when the server's version matches the console's; else what to tell the user.
    QString versionWarning() const;
    static QString consoleVersion();

Q_SIGNALS:
    void signedIn();
    void codeRequired();
    void failed(const QString &message);

private:
    void startClient(const QUrl &server, const QString &token);
    void finishLogin(const Community::Client::ApiReply &reply);
    void loadServerInfo();
    void fail(const Community::Client::ApiReply &reply);

    std::unique_ptr<Community::Client::ApiClient> m_api;
    std::unique_ptr<Community::Client::RealtimeClient> m_realtime;
    QPointer<Community::Client::PendingReply> m_pending;
    QString m_username;
    QString m_mfaToken;
    QString m_serverVersion;
    bool m_signedIn = false;
};

} // namespace Console
