// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Sign-in: the server URL, then username + password (and a 2FA code when the account
/// asks for one) or an operator token. Errors are the server's problem detail. The last
/// server and username are remembered (QSettings). The contexts shared with communityctl
/// (Client::ContextStore) are offered as servers: choosing one fills the server and, when
/// it holds one, the operator token. Threading: GUI thread.

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;

namespace Console {

class Session;

class SignInDialog : public QDialog {
    Q_OBJECT
public:
    explicit SignInDialog(Session *session, QWidget *parent = nullptr);

    QComboBox *contextField() const { return m_context; }
    QLineEdit *serverField() const { return m_server; }
    QLineEdit *usernameField() const { return m_username; }
    QLineEdit *passwordField() const { return m_password; }
    QLineEdit *codeField() const { return m_code; }
    QLineEdit *tokenField() const { return m_token; }
    QString message() const;
    void submit();

private:
    void setBusy(bool busy);
    void loadContexts();
    void useContext(int index);

    Session *m_session;
    QTabWidget *m_tabs;
    QComboBox *m_context;
    QLineEdit *m_server;
    QLineEdit *m_username;
    QLineEdit *m_password;
    QLineEdit *m_code;
    QLineEdit *m_token;
    QLabel *m_message;
    QPushButton *m_signIn;
    QPushButton *m_cancel;
};

} // namespace Console
