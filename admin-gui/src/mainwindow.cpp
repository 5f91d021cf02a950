// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mainwindow.h"

#include "auditscreen.h"
#include "chaosscreen.h"
#include "dashboardscreen.h"
#include "migrationsscreen.h"
#include "reviewqueuescreen.h"
#include "session.h"
#include "settingsscreen.h"
#include "userrecordscreen.h"
#include "usersscreen.h"

#include <QApplication>
#include <QCloseEvent>
#include <QSettings>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

namespace Console {

MainWindow::MainWindow(Session *session, QWidget *parent)
    : QMainWindow(parent),
      m_session(session),
      m_nav(new QListWidget),
      m_stack(new QStackedWidget),
      m_queue(new ReviewQueueScreen(session)),
      m_users(new UsersScreen(session)),
      m_audit(new AuditScreen(session)),
      m_dashboard(new DashboardScreen(session)),
      m_chaos(new ChaosScreen(session)),
      m_migrations(new MigrationsScreen(session)),
      m_record(new UserRecordScreen(session)),
      m_settings(new SettingsScreen(session))
{
    setWindowTitle(tr("Community console"));
    m_nav->addItem(tr("Review queue (g q)"));
    m_nav->addItem(tr("Users (g u)"));
    m_nav->addItem(tr("Audit log (g a)"));
    m_nav->addItem(tr("Dashboard (g d)"));
    m_nav->addItem(tr("Chaos (g c)"));
    m_nav->addItem(tr("Migrations (g m)"));
    m_nav->addItem(tr("User record (g r)"));
    m_nav->addItem(tr("Settings (g s)"));
    m_nav->setMaximumWidth(220);
    m_nav->setMinimumWidth(150);
    m_stack->addWidget(m_queue);
    m_stack->addWidget(m_users);
    m_stack->addWidget(m_audit);
    m_stack->addWidget(m_dashboard);
    m_stack->addWidget(m_chaos);
    m_stack->addWidget(m_migrations);
    m_stack->addWidget(m_record);
    m_stack->addWidget(m_settings);
    connect(m_users, &UsersScreen::recordRequested, this, &MainWindow::openRecord);
    auto *split = new QSplitter;
    split->addWidget(m_nav);
    split->addWidget(m_stack);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({190, 1250});
    setCentralWidget(split);

    QString status = tr("%1 at %2 · server %3").arg(session->username(), session->api()->baseUrl().toString(),
                                                    session->serverVersion());
    statusBar()->addPermanentWidget(new QLabel(status));
    if (!session->versionWarning().isEmpty())
        statusBar()->showMessage(session->versionWarning());

    connect(m_nav, &QListWidget::currentRowChanged, this, &MainWindow::showScreen);
    qApp->installEventFilter(this);  // the `g` chord works whatever has the focus
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_nav->setCurrentRow(std::clamp(settings.value(QStringLiteral("window/screen"), 0).toInt(), 0, m_stack->count() - 1));
    m_queue->reload();
    m_users->reload();
    m_audit->reload();
    m_audit->verify();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/screen"), currentScreen());
    QMainWindow::closeEvent(event);
}

void MainWindow::showScreen(int index)
{
    if (index < 0 || index >= m_stack->count())
        return;
    m_stack->setCurrentIndex(index);
    if (index == MigrationsScreenIndex && !m_migrationsLoaded) {
        m_migrationsLoaded = true;   // operator-only: asked for when first shown, F5 after
        m_migrations->reload();
    }
    if (index == SettingsScreenIndex && !m_settingsLoaded) {
        m_settingsLoaded = true;     // administrators only: asked for when first shown, F5 after
        m_settings->reload();
    }
    if (m_nav->currentRow() != index)
        m_nav->setCurrentRow(index);
    m_stack->currentWidget()->setFocus();
}

void MainWindow::openRecord(const QString &username)
{
    m_record->open(username);
    showScreen(UserRecordScreenIndex);
}

int MainWindow::currentScreen() const
{
    return m_stack->currentIndex();
}

void MainWindow::keyPressEvent(QKeyEvent *event)
{
    if (!handleChord(event))
        QMainWindow::keyPressEvent(event);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress && isActiveWindow() && !qobject_cast<QLineEdit *>(watched)
        && qobject_cast<QWidget *>(watched) && static_cast<QWidget *>(watched)->window() == this)
        return handleChord(static_cast<QKeyEvent *>(event));
    return QMainWindow::eventFilter(watched, event);
}

bool MainWindow::handleChord(QKeyEvent *event)
{
    if (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return false;
    if (!m_chord) {
        if (event->key() != Qt::Key_G)
            return false;
        m_chord = true;
        statusBar()->showMessage(tr("g … (q: review queue, u: users, a: audit log, d: dashboard, c: chaos, m: migrations, r: user record, s: settings)"), 2000);
        return true;
    }
    m_chord = false;
    statusBar()->clearMessage();
    switch (event->key()) {
    case Qt::Key_Q: showScreen(QueueScreen); return true;
    case Qt::Key_U: showScreen(UsersScreenIndex); return true;
    case Qt::Key_A: showScreen(AuditScreenIndex); return true;
    case Qt::Key_D: showScreen(DashboardScreenIndex); return true;
    case Qt::Key_C: showScreen(ChaosScreenIndex); return true;
    case Qt::Key_M: showScreen(MigrationsScreenIndex); return true;
    case Qt::Key_R: showScreen(UserRecordScreenIndex); return true;
    case Qt::Key_S: showScreen(SettingsScreenIndex); return true;
    default: return true;  // an unknown chord is swallowed, not typed
    }
}

} // namespace Console
