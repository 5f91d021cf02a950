// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The console's window: screens on the left (review queue, users, audit log, dashboard,
/// chaos, migrations, user record, settings), the chosen one on the right, the server and
/// the signed-in account in the status bar. `g` then `q`, `u`, `a`, `d`, `c`, `m`, `r` or `s` jumps
/// between screens from anywhere outside a text field; Enter on the users screen opens
/// the account's record.
/// Window layout and the last screen are remembered (QSettings). Threading: GUI thread.

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace Console {

class AuditScreen;
class DashboardScreen;
class ChaosScreen;
class MigrationsScreen;
class UserRecordScreen;
class ReviewQueueScreen;
class SettingsScreen;
class Session;
class UsersScreen;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Session *session, QWidget *parent = nullptr);

    ReviewQueueScreen *reviewQueue() const { return m_queue; }
    UsersScreen *users() const { return m_users; }
    AuditScreen *audit() const { return m_audit; }
    DashboardScreen *dashboard() const { return m_dashboard; }
    ChaosScreen *chaos() const { return m_chaos; }
    MigrationsScreen *migrations() const { return m_migrations; }
    UserRecordScreen *userRecord() const { return m_record; }
    SettingsScreen *settings() const { return m_settings; }
    enum Screen { QueueScreen, UsersScreenIndex, AuditScreenIndex, DashboardScreenIndex, ChaosScreenIndex,
                  MigrationsScreenIndex, UserRecordScreenIndex, SettingsScreenIndex };
    /// Opens `username`'s record (what Enter on the users screen does).
    void openRecord(const QString &username);
    void showScreen(int index);
    int currentScreen() const;

protected:
    void closeEvent(QCloseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    bool handleChord(QKeyEvent *event);

    Session *m_session;
    QListWidget *m_nav;
    QStackedWidget *m_stack;
    ReviewQueueScreen *m_queue;
    UsersScreen *m_users;
    AuditScreen *m_audit;
    DashboardScreen *m_dashboard;
    ChaosScreen *m_chaos;
    MigrationsScreen *m_migrations;
    UserRecordScreen *m_record;
    SettingsScreen *m_settings;
    bool m_migrationsLoaded = false;
    bool m_settingsLoaded = false;
    bool m_chord = false;   // `g` pressed, waiting for the screen's letter
};

} // namespace Console
