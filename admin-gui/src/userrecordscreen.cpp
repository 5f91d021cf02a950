// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "userrecordscreen.h"

#include "jsontablemodel.h"
#include "requestprogress.h"
#include "screenparts.h"
#include "session.h"
#include "triagekeys.h"

#include "community/client/endpoints.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Community::Client;

namespace Console {

namespace {

const QStringList kReportStatuses = {QStringLiteral("open"), QStringLiteral("resolved"), QStringLiteral("dismissed")};

QList<Column> reportColumns(bool filed)
{
    return {
        {UserRecordScreen::tr("Report"), QStringLiteral("id")},
        {UserRecordScreen::tr("Created"), QStringLiteral("createdAt")},
        {UserRecordScreen::tr("Reason"), QStringLiteral("reason")},
        {UserRecordScreen::tr("State"), QStringLiteral("status")},
        {UserRecordScreen::tr("Target"), {}, [](const QJsonObject &r) {
             return JsonTableModel::valueAt(r, QStringLiteral("targetType")) + QLatin1Char(' ')
                  + JsonTableModel::valueAt(r, QStringLiteral("targetId"));
         }},
        filed ? Column{UserRecordScreen::tr("Against"), QStringLiteral("target.author.username")}
              : Column{UserRecordScreen::tr("Reporter"), QStringLiteral("reporter.username")},
        {UserRecordScreen::tr("Excerpt"), QStringLiteral("target.excerpt")},
    };
}

QString row(const QString &label, const QString &value)
{
    return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(label.toHtmlEscaped(), value.toHtmlEscaped());
}

} // namespace

QStringList UserRecordScreen::reasonPresets()
{
    return {tr("Spam or advertising."), tr("Harassment of other members."), tr("Repeated rule violations after warnings."),
            tr("Ban evasion with another account."), tr("Illegal content.")};
}

UserRecordScreen::UserRecordScreen(Session *session, QWidget *parent)
    : QWidget(parent),
      m_session(session),
      m_progress(new RequestProgress(session, this)),
      m_sessions(new JsonTableModel({{tr("Session"), QStringLiteral("id")},
                                     {tr("Client"), QStringLiteral("userAgent")},
                                     {tr("Address"), QStringLiteral("ip")},
                                     {tr("Started"), QStringLiteral("createdAt")},
                                     {tr("Last seen"), QStringLiteral("lastSeenAt")},
                                     {tr("This console"), QStringLiteral("current")}},
                                    this)),
      m_penalties(new JsonTableModel({{tr("Kind"), QStringLiteral("kind")},
                                      {tr("Active"), QStringLiteral("active")},
                                      {tr("Reason"), QStringLiteral("reason")},
                                      {tr("Given"), QStringLiteral("createdAt")},
                                      {tr("Ends"), QStringLiteral("endsAt")},
                                      {tr("Lifted"), QStringLiteral("liftedAt")},
                                      {tr("Given by"), QStringLiteral("createdBy")}},
                                     this)),
      m_filed(new JsonTableModel(reportColumns(true), this)),
      m_received(new JsonTableModel(reportColumns(false), this)),
      m_tabs(new QTabWidget),
      m_profile(new QTextBrowser),
      m_role(new QComboBox),
      m_reason(new QComboBox),
      m_suspend(new QPushButton(tr("&Suspend"))),
      m_unsuspend(new QPushButton(tr("U&nsuspend"))),
      m_endSessions(new QPushButton(tr("&End every session (resets the password)…"))),
      m_revoke(new QPushButton(tr("&Revoke the selected session"))),
      m_sessionList(new QTableView),
      m_sessionsNote(new QLabel),
      m_feedback(new QLabel)
{
    m_role->addItem(tr("user"), QStringLiteral("user"));
    m_role->addItem(tr("moderator"), QStringLiteral("moderator"));
    m_role->addItem(tr("admin"), QStringLiteral("admin"));
    m_reason->setEditable(true);
    m_reason->addItems(reasonPresets());
    m_reason->lineEdit()->setPlaceholderText(tr("Reason (shown to the account holder)"));
    m_reason->setMinimumWidth(320);
    m_profile->setOpenLinks(false);

    auto *setRoleButton = new QPushButton(tr("Set &role"));
    auto *actions = new QFormLayout;
    auto *roleRow = new QHBoxLayout;
    roleRow->addWidget(m_role);
    roleRow->addWidget(setRoleButton);
    roleRow->addStretch(1);
    actions->addRow(tr("Role"), roleRow);
    auto *suspendRow = new QHBoxLayout;
    suspendRow->addWidget(m_reason, 1);
    suspendRow->addWidget(m_suspend);
    suspendRow->addWidget(m_unsuspend);
    actions->addRow(tr("Suspension"), suspendRow);
    auto *profileTab = new QWidget;
    auto *profileLayout = new QVBoxLayout(profileTab);
    profileLayout->addWidget(m_profile, 1);
    profileLayout->addLayout(actions);

    setUpRowList(m_sessionList, m_sessions);
    m_sessionsNote->setWordWrap(true);
    auto *sessionsTab = new QWidget;
    auto *sessionsLayout = new QVBoxLayout(sessionsTab);
    sessionsLayout->addWidget(m_sessionsNote);
    sessionsLayout->addWidget(m_sessionList, 1);
    auto *sessionButtons = new QHBoxLayout;
    sessionButtons->addWidget(m_revoke);
    sessionButtons->addStretch(1);
    sessionButtons->addWidget(m_endSessions);
    sessionsLayout->addLayout(sessionButtons);

    auto listTab = [](JsonTableModel *model) {
        auto *view = new QTableView;
        setUpRowList(view, model);
        QObject::connect(model, &JsonTableModel::modelReset, view, [view] { view->resizeColumnsToContents(); });
        return view;
    };
    m_tabs->addTab(profileTab, tr("&Profile"));
    m_tabs->addTab(sessionsTab, tr("Sess&ions"));
    m_tabs->addTab(listTab(m_penalties), tr("Strikes and &penalties"));
    m_tabs->addTab(listTab(m_filed), tr("Reports &filed"));
    m_tabs->addTab(listTab(m_received), tr("Reports recei&ved"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_feedback);
    setFocusProxy(m_tabs);
    m_progress->watch(m_sessions);
    m_progress->watch(m_penalties);

    m_confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("User record"), question, QMessageBox::Yes | QMessageBox::No,
                                     QMessageBox::No) == QMessageBox::Yes;
    };
    connect(setRoleButton, &QPushButton::clicked, this, [this] { setRole(m_role->currentData().toString()); });
    connect(m_suspend, &QPushButton::clicked, this, [this] { suspend(m_reason->currentText()); });
    connect(m_unsuspend, &QPushButton::clicked, this, &UserRecordScreen::unsuspend);
    connect(m_endSessions, &QPushButton::clicked, this, &UserRecordScreen::endAllSessions);
    connect(m_revoke, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_sessionList->currentIndex();
        if (current.isValid())
            revokeSession(m_sessions->item(current.row()).value(QStringLiteral("id")).toString());
    });
    connect(m_progress, &RequestProgress::cancelled, this, [this] { setFeedback(tr("Cancelled: the server was not waited for."), true); });
    for (JsonTableModel *model : {m_sessions, m_penalties})
        connect(model, &JsonTableModel::failed, this, [this](const QString &m) { setFeedback(m, true); });
    auto *keys = new TriageKeys(this);
    keys->bind(Qt::Key_F5, [this] { reload(); });
    keys->attach(m_tabs->tabBar());
    keys->attach(m_profile);
    showAccount();
}

void UserRecordScreen::open(const QString &username)
{
    if (username.isEmpty())
        return;
    m_username = username;
    m_account = m_public = {};
    m_filedRows.clear();
    m_receivedRows.clear();
    for (JsonTableModel *model : {m_sessions, m_penalties, m_filed, m_received})
        model->setItems({});
    const quint64 generation = ++m_generation;
    setFeedback(tr("Loading %1's record…").arg(username));
    showAccount();
    loadAccount(generation);
    scanReports(generation, 0, 0, {});
}

void UserRecordScreen::loadAccount(quint64 generation)
{
    m_progress->send(Endpoints::adminUser(m_username), [this, generation](const ApiReply &reply) {
        if (generation != m_generation)
            return;
        if (!reply.ok())
            return setFeedback(tr("%1: %2").arg(m_username, replyMessage(reply)), true);
        m_account = reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("user")).toObject();
        const QString id = QString::number(m_account.value(QStringLiteral("id")).toInteger());
        m_penalties->load(m_session->api(), Endpoints::penalties(id));
        // Sessions: the API shows them to their owner only.
        if (m_username.compare(m_session->username(), Qt::CaseInsensitive) == 0)
            m_sessions->load(m_session->api(), ApiRequest{"GET", QStringLiteral("/v1/auth/sessions")});
        showAccount();
        setFeedback(tr("%1's record.").arg(m_username));
        Q_EMIT accountLoaded();
    });
    m_progress->send(ApiRequest{"GET", QStringLiteral("/v1/users/") + ApiClient::pathSegment(m_username)},
                     [this, generation](const ApiReply &reply) {
        if (generation != m_generation || !reply.ok())
            return;   // the public profile only adds to the record
        m_public = reply.jsonObject().value_or(QJsonObject());
        showAccount();
    });
}

void UserRecordScreen::scanReports(quint64 generation, int statusIndex, int page, const QString &cursor)
{
    if (statusIndex >= kReportStatuses.size()) {
        m_filed->setItems(m_filedRows);
        m_received->setItems(m_receivedRows);
        return Q_EMIT reportsLoaded();
    }
    ApiRequest request{"GET", QStringLiteral("/v1/reports")};
    request.query.addQueryItem(QStringLiteral("status"), kReportStatuses[statusIndex]);
    request.query.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
    if (!cursor.isEmpty())
        request.query.addQueryItem(QStringLiteral("cursor"), cursor);
    m_progress->send(request, [this, generation, statusIndex, page](const ApiReply &reply) {
        if (generation != m_generation)
            return;
        if (!reply.ok()) {
            setFeedback(tr("Reports not loaded: %1").arg(replyMessage(reply)), true);
            return scanReports(generation, statusIndex + 1, 0, {});
        }
        const QJsonObject o = reply.jsonObject().value_or(QJsonObject());
        for (const QJsonValue &v : o.value(QStringLiteral("items")).toArray()) {
            const QJsonObject r = v.toObject();
            if (JsonTableModel::valueAt(r, QStringLiteral("reporter.username")).compare(m_username, Qt::CaseInsensitive) == 0)
                m_filedRows.append(r);
            if (JsonTableModel::valueAt(r, QStringLiteral("target.author.username")).compare(m_username, Qt::CaseInsensitive) == 0)
                m_receivedRows.append(r);
        }
        const QString next = o.value(QStringLiteral("nextCursor")).toString();
        if (!next.isEmpty() && page + 1 < kScanPages)
            return scanReports(generation, statusIndex, page + 1, next);
        scanReports(generation, statusIndex + 1, 0, {});
    });
}

void UserRecordScreen::showAccount()
{
    const bool loaded = !m_account.isEmpty();
    const bool own = loaded && m_username.compare(m_session->username(), Qt::CaseInsensitive) == 0;
    const QString state = m_account.value(QStringLiteral("state")).toString();
    m_suspend->setEnabled(loaded && state == QLatin1String("active") && !own);
    m_unsuspend->setEnabled(loaded && state == QLatin1String("suspended"));
    m_endSessions->setEnabled(loaded && !own);
    m_revoke->setEnabled(own);
    m_sessionList->setVisible(own);
    m_sessionsNote->setText(!loaded ? QString()
                            : own   ? tr("Your sessions. Revoking the one marked as this console signs the console out.")
                                    : tr("The server lists sessions only to their owner. Suspending %1 refuses its requests; "
                                         "ending every session resets the password.").arg(m_username));
    if (loaded)
        m_role->setCurrentIndex(std::max(0, m_role->findData(m_account.value(QStringLiteral("role")).toString())));
    if (!loaded) {
        m_profile->setHtml(m_username.isEmpty() ? tr("Choose an account on the users screen (Enter).") : QString());
        return;
    }
    auto v = [this](const char *key) { return JsonTableModel::valueAt(m_account, QString::fromLatin1(key)); };
    QString html = QStringLiteral("<h2>%1</h2><table cellspacing='4'>").arg(m_username.toHtmlEscaped());
    html += row(tr("Id"), v("id"));
    html += row(tr("Role"), v("role"));
    html += row(tr("State"), v("state"));
    if (!v("suspendedReason").isEmpty())
        html += row(tr("Suspended because"), v("suspendedReason"));
    html += row(tr("Email"), v("email"));
    html += row(tr("Email verified"), v("emailVerified"));
    html += row(tr("Created"), v("createdAt"));
    for (const auto &[key, label] : {std::pair{"displayName", tr("Display name")}, std::pair{"bio", tr("About")},
                                     std::pair{"followersCount", tr("Followers")}, std::pair{"followingCount", tr("Following")}}) {
        const QString value = JsonTableModel::valueAt(m_public, QString::fromLatin1(key));
        if (!value.isEmpty())
            html += row(label, value);
    }
    m_profile->setHtml(html + QStringLiteral("</table>"));
}

QString UserRecordScreen::profileText() const { return m_profile->toPlainText(); }
QString UserRecordScreen::feedback() const { return m_feedback->text(); }
QString UserRecordScreen::sessionsNote() const { return m_sessionsNote->text(); }

void UserRecordScreen::accountChanged(const ApiReply &reply, const QString &done)
{
    if (!reply.ok())
        return setFeedback(tr("%1 not changed: %2").arg(m_username, replyMessage(reply)), true);
    const QJsonObject user = reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("user")).toObject();
    if (!user.isEmpty())
        m_account = user;
    showAccount();
    setFeedback(done);
}

void UserRecordScreen::setRole(const QString &role)
{
    if (m_account.isEmpty())
        return;
    setFeedback(tr("%1: sending…").arg(m_username));
    m_progress->send(Endpoints::setUserRole(m_username, role), [this, role](const ApiReply &reply) {
        accountChanged(reply, tr("%1 is now %2.").arg(m_username, role));
    });
}

void UserRecordScreen::suspend(const QString &reason)
{
    if (m_account.isEmpty())
        return;
    if (reason.trimmed().isEmpty()) {
        m_reason->setFocus();
        return setFeedback(tr("Give a reason: the account holder is shown it."), true);
    }
    setFeedback(tr("%1: sending…").arg(m_username));
    m_progress->send(Endpoints::suspendUser(m_username, reason.trimmed()), [this](const ApiReply &reply) {
        accountChanged(reply, tr("%1 suspended.").arg(m_username));
        m_penalties->reload();
    });
}

void UserRecordScreen::unsuspend()
{
    if (m_account.isEmpty())
        return;
    setFeedback(tr("%1: sending…").arg(m_username));
    m_progress->send(Endpoints::unsuspendUser(m_username), [this](const ApiReply &reply) {
        accountChanged(reply, tr("%1 unsuspended.").arg(m_username));
    });
}

void UserRecordScreen::revokeSession(const QString &id)
{
    m_progress->send(ApiRequest{"DELETE", QStringLiteral("/v1/auth/sessions/") + ApiClient::pathSegment(id)},
                     [this, id](const ApiReply &reply) {
        if (!reply.ok())
            return setFeedback(tr("Session %1 not revoked: %2").arg(id, replyMessage(reply)), true);
        setFeedback(tr("Session %1 revoked.").arg(id));
        m_sessions->reload();
    });
}

void UserRecordScreen::endAllSessions()
{
    if (m_account.isEmpty())
        return;
    if (!m_confirm(tr("End every session of %1? Its password is replaced by a one-time password that you must pass on.")
                       .arg(m_username)))
        return setFeedback(tr("Nothing changed."));
    m_progress->send(Endpoints::resetUserPassword(m_username), [this](const ApiReply &reply) {
        if (!reply.ok())
            return setFeedback(tr("%1 not changed: %2").arg(m_username, replyMessage(reply)), true);
        const QString password = reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("password")).toString();
        setFeedback(tr("Every session of %1 ended. One-time password: %2").arg(m_username, password));
    });
}

void UserRecordScreen::setFeedback(const QString &text, bool error)
{
    showFeedback(m_feedback, text, error);
}

} // namespace Console
