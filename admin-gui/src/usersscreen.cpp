// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "usersscreen.h"

#include "screenparts.h"
#include "jsontablemodel.h"
#include "requestprogress.h"
#include "session.h"
#include "triagekeys.h"

#include "community/client/endpoints.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Community::Client;

namespace Console {

UsersScreen::UsersScreen(Session *session, QWidget *parent)
    : QWidget(parent),
      m_session(session),
      m_progress(new RequestProgress(session, this)),
      m_model(new JsonTableModel({{tr("Username"), QStringLiteral("username")},
                                  {tr("Email"), QStringLiteral("email")},
                                  {tr("Role"), QStringLiteral("role")},
                                  {tr("State"), QStringLiteral("state")},
                                  {tr("Created"), QStringLiteral("createdAt")}},
                                 this)),
      m_list(new QTableView),
      m_search(new QLineEdit),
      m_reason(new QLineEdit),
      m_suspend(new QPushButton(tr("&Suspend"))),
      m_unsuspend(new QPushButton(tr("U&nsuspend"))),
      m_more(new QPushButton(tr("Load &more"))),
      m_record(new QPushButton(tr("Open &record (Enter)"))),
      m_feedback(new QLabel)
{
    m_search->setPlaceholderText(tr("Search username or email (/)"));
    m_search->setClearButtonEnabled(true);
    m_reason->setPlaceholderText(tr("Reason (required to suspend)"));
    setUpRowList(m_list, m_model);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_reason, 1);
    actions->addWidget(m_suspend);
    actions->addWidget(m_unsuspend);
    actions->addWidget(m_more);
    actions->addWidget(m_record);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addLayout(actions);
    layout->addWidget(m_progress);
    layout->addWidget(m_feedback);
    m_progress->watch(m_model);
    connect(m_progress, &RequestProgress::cancelled, this, [this] { setFeedback(tr("Cancelled: the server was not waited for."), true); });
    connect(m_record, &QPushButton::clicked, this, &UsersScreen::openRecord);
    connect(m_list, &QTableView::activated, this, &UsersScreen::openRecord);

    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        reload();
        m_list->setFocus();
    });
    connect(m_more, &QPushButton::clicked, m_model, &JsonTableModel::loadMore);
    connect(m_suspend, &QPushButton::clicked, this, [this] { setSuspended(true, m_reason->text()); });
    connect(m_unsuspend, &QPushButton::clicked, this, [this] { setSuspended(false); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &UsersScreen::updateActions);
    connect(m_model, &JsonTableModel::failed, this, [this](const QString &m) { setFeedback(m, true); });
    connect(m_model, &JsonTableModel::loaded, this, [this] {
        setFeedback(tr("%n account(s) shown", nullptr, m_model->rowCount()));
        m_list->resizeColumnsToContents();
        if (m_model->rowCount() > 0 && selectedRow() < 0)
            m_list->setCurrentIndex(m_model->index(0, 0));
        updateActions();
    });

    auto *keys = new TriageKeys(this);
    keys->bind(Qt::Key_J, [this] {
        m_list->setCurrentIndex(m_model->index(std::min(selectedRow() + 1, m_model->rowCount() - 1), 0));
    });
    keys->bind(Qt::Key_K, [this] { m_list->setCurrentIndex(m_model->index(std::max(selectedRow() - 1, 0), 0)); });
    keys->bind(Qt::Key_Slash, [this] { m_search->setFocus(); });
    keys->bind(Qt::Key_F5, [this] { reload(); });
    keys->bind(Qt::Key_Return, [this] { openRecord(); });
    keys->bind(Qt::Key_Enter, [this] { openRecord(); });
    keys->attach(m_list);
    setFocusProxy(m_list);
    updateActions();
}

void UsersScreen::reload()
{
    Endpoints::UserQuery query;
    query.query = m_search->text().trimmed();
    query.limit = 50;
    setFeedback(tr("Loading…"));
    m_model->load(m_session->api(), Endpoints::adminUsers(query));
}

QString UsersScreen::feedback() const
{
    return m_feedback->text();
}

int UsersScreen::selectedRow() const
{
    return m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -1;
}

void UsersScreen::updateActions()
{
    const int row = selectedRow();
    const QString state = row >= 0 ? m_model->item(row).value(QStringLiteral("state")).toString() : QString();
    m_suspend->setEnabled(row >= 0 && state != QLatin1String("suspended"));
    m_unsuspend->setEnabled(state == QLatin1String("suspended"));
    m_more->setEnabled(m_model->hasMore());
    m_record->setEnabled(row >= 0);
}

void UsersScreen::openRecord()
{
    const int row = selectedRow();
    if (row >= 0)
        Q_EMIT recordRequested(m_model->item(row).value(QStringLiteral("username")).toString());
}

void UsersScreen::setSuspended(bool suspended, const QString &reason)
{
    const int row = selectedRow();
    if (row < 0)
        return;
    if (suspended && reason.trimmed().isEmpty()) {
        m_reason->setFocus();
        return setFeedback(tr("Give a reason: the account holder is shown it."), true);
    }
    const QString username = m_model->item(row).value(QStringLiteral("username")).toString();
    const ApiRequest request = suspended ? Endpoints::suspendUser(username, reason.trimmed())
                                         : Endpoints::unsuspendUser(username);
    setFeedback(tr("%1: sending…").arg(username));
    m_progress->send(request, [this, row, username, suspended](const ApiReply &reply) {
        if (!reply.ok())
            return setFeedback(tr("%1 not changed: %2").arg(username, replyMessage(reply)), true);
        // The answer is the account as it is now (or under "user").
        QJsonObject account = reply.jsonObject().value_or(QJsonObject());
        if (account.contains(QStringLiteral("user")))
            account = account.value(QStringLiteral("user")).toObject();
        if (row < m_model->rowCount() && m_model->item(row).value(QStringLiteral("username")).toString() == username
            && account.contains(QStringLiteral("state")))
            m_model->setItem(row, account);
        m_reason->clear();
        updateActions();
        setFeedback(suspended ? tr("%1 suspended.").arg(username) : tr("%1 unsuspended.").arg(username));
    });
}

void UsersScreen::setFeedback(const QString &text, bool error)
{
    showFeedback(m_feedback, text, error);
}

} // namespace Console
