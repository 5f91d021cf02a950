// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "migrationsscreen.h"

#include "jsontablemodel.h"
#include "requestprogress.h"
#include "screenparts.h"
#include "session.h"
#include "triagekeys.h"

#include "community/client/endpoints.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QMap>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <array>

using namespace Community::Client;

namespace Console {

namespace {

QString stateText(const QJsonObject &m)
{
    const QString state = m.value(QStringLiteral("state")).toString();
    if (state == QLatin1String("applied"))
        return MigrationsScreen::tr("applied");
    if (state == QLatin1String("pending"))
        return MigrationsScreen::tr("pending");
    if (state == QLatin1String("changed"))
        return MigrationsScreen::tr("CHANGED since applied");
    return state;
}

QString planLine(const QJsonObject &m)
{
    return QStringLiteral("%1 %2 %3").arg(m.value(QStringLiteral("plugin")).toString())
        .arg(m.value(QStringLiteral("version")).toInt())
        .arg(m.value(QStringLiteral("name")).toString());
}

} // namespace

MigrationsScreen::MigrationsScreen(Session *session, QWidget *parent)
    : QWidget(parent),
      m_session(session),
      m_progress(new RequestProgress(session, this)),
      m_model(new JsonTableModel({{tr("Plugin"), QStringLiteral("plugin")},
                                  {tr("Version"), QStringLiteral("version")},
                                  {tr("Name"), QStringLiteral("name")},
                                  {tr("State"), {}, stateText},
                                  {tr("Checksum"), {}, [](const QJsonObject &m) {
                                       return m.value(QStringLiteral("checksum")).toString().left(16);
                                   }},
                                  {tr("Applied at"), QStringLiteral("appliedAt")}},
                                 this)),
      m_list(new QTableView),
      m_summary(new QLabel),
      m_plan(new QListWidget),
      m_planButton(new QPushButton(tr("&Plan (p)"))),
      m_applyButton(new QPushButton(tr("&Apply the plan…"))),
      m_feedback(new QLabel)
{
    m_model->setListMember(QStringLiteral("migrations"));
    setUpRowList(m_list, m_model);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *planBox = new QGroupBox(tr("Plan: what a run would apply"));
    auto *planLayout = new QVBoxLayout(planBox);
    planLayout->addWidget(m_plan, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_planButton);
    buttons->addWidget(m_applyButton);
    planLayout->addLayout(buttons);
    auto *lockNote = new QLabel(tr("Runs are serialised across nodes by a database lock; the server does not report who holds it."));
    lockNote->setWordWrap(true);
    planLayout->addWidget(lockNote);
    planBox->setMaximumWidth(420);

    auto *columns = new QHBoxLayout;
    auto *listSide = new QVBoxLayout;
    listSide->addWidget(m_summary);
    listSide->addWidget(m_list, 1);
    columns->addLayout(listSide, 1);
    columns->addWidget(planBox);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_feedback);
    m_progress->watch(m_model);
    setFocusProxy(m_list);
    setTabOrder(m_list, m_plan);

    m_confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Apply migrations"), question, QMessageBox::Yes | QMessageBox::No,
                                     QMessageBox::No) == QMessageBox::Yes;
    };
    connect(m_planButton, &QPushButton::clicked, this, &MigrationsScreen::plan);
    connect(m_applyButton, &QPushButton::clicked, this, &MigrationsScreen::apply);
    connect(m_progress, &RequestProgress::cancelled, this, [this] { setFeedback(tr("Cancelled: the server was not waited for."), true); });
    connect(m_model, &JsonTableModel::failed, this, [this](const QString &m) {
        setFeedback(tr("Migrations not loaded: %1 (this screen needs the operator token)").arg(m), true);
    });
    connect(m_model, &JsonTableModel::loaded, this, [this] {
        m_summary->setText(summary());
        m_list->resizeColumnsToContents();
    });
    auto *keys = new TriageKeys(this);
    keys->bind(Qt::Key_J, [this] {
        m_list->setCurrentIndex(m_model->index(std::min(m_list->currentIndex().row() + 1, m_model->rowCount() - 1), 0));
    });
    keys->bind(Qt::Key_K, [this] { m_list->setCurrentIndex(m_model->index(std::max(m_list->currentIndex().row() - 1, 0), 0)); });
    keys->bind(Qt::Key_P, [this] { plan(); });
    keys->bind(Qt::Key_F5, [this] { reload(); });
    keys->attach(m_list);
    keys->attach(m_plan);
    m_applyButton->setEnabled(false);
}

void MigrationsScreen::reload()
{
    m_model->load(m_session->api(), Endpoints::migrations());
}

QString MigrationsScreen::summary() const
{
    // plugin -> {applied, pending, changed}, in plugin order
    QMap<QString, std::array<int, 3>> counts;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QJsonObject m = m_model->item(r);
        const QString state = m.value(QStringLiteral("state")).toString();
        auto &c = counts[m.value(QStringLiteral("plugin")).toString()];
        ++c[state == QLatin1String("applied") ? 0 : state == QLatin1String("pending") ? 1 : 2];
    }
    QStringList lines;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        QString line = tr("%1: %2 applied, %3 pending").arg(it.key()).arg(it.value()[0]).arg(it.value()[1]);
        if (it.value()[2] > 0)
            line += QStringLiteral(", ") + tr("%n changed since applied", nullptr, it.value()[2]);
        lines << line;
    }
    return lines.isEmpty() ? tr("No plugin ships migrations.") : lines.join(QStringLiteral(" · "));
}

QStringList MigrationsScreen::planned() const
{
    QStringList out;
    for (const QJsonValue &v : m_planned)
        out << planLine(v.toObject());
    return out;
}

bool MigrationsScreen::canApply() const
{
    return m_havePlan && !m_planned.isEmpty() && !m_progress->isBusy();
}

void MigrationsScreen::plan()
{
    m_havePlan = false;
    m_planned = {};
    m_plan->clear();
    m_applyButton->setEnabled(false);
    setFeedback(tr("Asking the server for its plan…"));
    m_progress->send(Endpoints::migrate(true), [this](const ApiReply &reply) {
        if (!reply.ok())
            return setFeedback(tr("No plan: %1").arg(replyMessage(reply)), true);
        m_planned = reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("applied")).toArray();
        m_havePlan = true;
        for (const QString &line : planned())
            m_plan->addItem(line);
        if (m_planned.isEmpty())
            m_plan->addItem(tr("Nothing to apply: every migration is applied."));
        m_applyButton->setEnabled(!m_planned.isEmpty());
        setFeedback(tr("The plan lists %n migration(s).", nullptr, int(m_planned.size())));
    });
}

void MigrationsScreen::apply()
{
    if (!canApply())
        return setFeedback(tr("Make a plan first (p): only a plan you have seen is applied."), true);
    const int count = int(m_planned.size());
    if (!m_confirm(tr("Apply %n migration(s) now?\n\n%1", nullptr, count).arg(planned().join(QLatin1Char('\n')))))
        return setFeedback(tr("Not applied."));
    m_applyButton->setEnabled(false);
    m_havePlan = false;
    setFeedback(tr("Applying %n migration(s)…", nullptr, count));
    m_progress->send(Endpoints::migrate(false), [this](const ApiReply &reply) {
        if (!reply.ok()) {
            reload();
            return setFeedback(tr("Migrations failed: %1").arg(replyMessage(reply)), true);
        }
        const int done = int(reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("applied")).toArray().size());
        m_planned = {};
        m_plan->clear();
        setFeedback(tr("Applied %n migration(s).", nullptr, done));
        Q_EMIT applied(done);
        reload();
    });
}

QString MigrationsScreen::feedback() const
{
    return m_feedback->text();
}

void MigrationsScreen::setFeedback(const QString &text, bool error)
{
    showFeedback(m_feedback, text, error);
}

} // namespace Console
