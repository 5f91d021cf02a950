// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "signindialog.h"

#include "session.h"

#include "community/client/contexts.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Console {

SignInDialog::SignInDialog(Session *session, QWidget *parent)
    : QDialog(parent),
      m_session(session),
      m_tabs(new QTabWidget),
      m_context(new QComboBox),
      m_server(new QLineEdit),
      m_username(new QLineEdit),
      m_password(new QLineEdit),
      m_code(new QLineEdit),
      m_token(new QLineEdit),
      m_message(new QLabel)
{
    setWindowTitle(tr("Sign in to a community"));
    QSettings settings;
    m_server->setText(settings.value(QStringLiteral("signIn/server"), QStringLiteral("http://127.0.0.1:8080")).toString());
    m_username->setText(settings.value(QStringLiteral("signIn/username")).toString());
    m_password->setEchoMode(QLineEdit::Password);
    m_token->setEchoMode(QLineEdit::Password);
    m_code->setPlaceholderText(tr("6-digit code or a recovery code"));
    m_code->setEnabled(false);
    m_message->setWordWrap(true);

    auto *account = new QWidget;
    auto *accountForm = new QFormLayout(account);
    accountForm->addRow(tr("&Username"), m_username);
    accountForm->addRow(tr("&Password"), m_password);
    accountForm->addRow(tr("2FA &code"), m_code);
    auto *operatorTab = new QWidget;
    auto *operatorForm = new QFormLayout(operatorTab);
    operatorForm->addRow(tr("Operator &token"), m_token);
    m_tabs->addTab(account, tr("Account"));
    m_tabs->addTab(operatorTab, tr("Operator"));

    auto *buttons = new QDialogButtonBox;
    m_signIn = buttons->addButton(tr("Sign in"), QDialogButtonBox::AcceptRole);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    auto *form = new QFormLayout;
    form->addRow(tr("Con&text"), m_context);
    form->addRow(tr("&Server"), m_server);
    loadContexts();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_tabs);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    connect(m_signIn, &QPushButton::clicked, this, &SignInDialog::submit);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_signIn->isEnabled())
            reject();
        else
            m_session->cancel();  // a sign-in in flight is cancelled first
    });
    connect(session, &Session::codeRequired, this, [this] {
        setBusy(false);
        m_code->setEnabled(true);
        m_code->setFocus();
        m_message->setText(tr("Enter the code from your authenticator app."));
    });
    connect(session, &Session::failed, this, [this](const QString &message) {
        setBusy(false);
        m_message->setText(message);
    });
    connect(session, &Session::signedIn, this, [this] {
        QSettings settings;
        settings.setValue(QStringLiteral("signIn/server"), m_server->text().trimmed());
        settings.setValue(QStringLiteral("signIn/username"), m_username->text().trimmed());
        setBusy(false);
        accept();
    });
}

void SignInDialog::loadContexts()
{
    m_context->addItem(tr("(none)"));
    Community::Client::ContextStore store;
    if (auto r = store.load(); !r) {
        m_message->setText(r.error().message);
        return;
    }
    for (const Community::Client::Context &c : store.contexts()) {
        m_context->addItem(QStringLiteral("%1 (%2)").arg(c.name, c.server.toDisplayString()), c.name);
        if (c.name == store.current())
            m_context->setCurrentIndex(m_context->count() - 1);
    }
    connect(m_context, &QComboBox::currentIndexChanged, this, &SignInDialog::useContext);
    useContext(m_context->currentIndex());
}

void SignInDialog::useContext(int index)
{
    Community::Client::ContextStore store;
    const QString name = m_context->itemData(index).toString();
    const auto context = name.isEmpty() || !store.load() ? std::nullopt : store.find(name);
    if (!context)
        return;
    m_server->setText(context->server.toString());
    QString token = context->token;
    if (token.isEmpty() && !context->tokenFile.isEmpty()) {
        QFile file(context->tokenFile);
        if (file.open(QIODevice::ReadOnly))
            token = QString::fromUtf8(file.readAll()).trimmed();
    }
    m_token->setText(token);
    if (!token.isEmpty())
        m_tabs->setCurrentIndex(1);
}

QString SignInDialog::message() const
{
    return m_message->text();
}

void SignInDialog::submit()
{
    const QUrl server = QUrl::fromUserInput(m_server->text().trimmed());
    if (!server.isValid() || !server.scheme().startsWith(QLatin1String("http")))
        return m_message->setText(tr("The server must be an http(s) URL."));
    setBusy(true);
    m_message->setText(tr("Signing in…"));
    if (m_tabs->currentIndex() == 1)
        m_session->signInWithToken(server, m_token->text().trimmed());
    else if (m_code->isEnabled())
        m_session->submitCode(m_code->text());
    else
        m_session->signIn(server, m_username->text().trimmed(), m_password->text());
}

void SignInDialog::setBusy(bool busy)
{
    m_signIn->setEnabled(!busy);
    m_tabs->setEnabled(!busy);
    m_context->setEnabled(!busy);
    m_server->setEnabled(!busy);
}

} // namespace Console
