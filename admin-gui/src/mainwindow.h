// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The console's window: screens on the left (review queue, users), the chosen one on the
/// right, the server and the signed-in account in the status bar. `g` then `q` or `u`
/// jumps between screens from anywhere outside a text field. Threading: GUI thread.

#include <QMainWindow>

class QListWidget;
class QStackedWidget;

namespace Console {

class ReviewQueueScreen;
class Session;
class UsersScreen;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Session *session, QWidget *parent = nullptr);

    ReviewQueueScreen *reviewQueue() const { return m_queue; }
    UsersScreen *users() const { return m_users; }
    /// 0: review queue, 1: users.
    void showScreen(int index);
    int currentScreen() const;

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    bool handleChord(QKeyEvent *event);

    Session *m_session;
    QListWidget *m_nav;
    QStackedWidget *m_stack;
    ReviewQueueScreen *m_queue;
    UsersScreen *m_users;
    bool m_chord = false;   // `g` pressed, waiting for the screen's letter
};

} // namespace Console
