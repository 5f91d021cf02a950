// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Users: search by username or email prefix, the account list with paging, and the
/// actions on the selected account (suspend with a reason, unsuspend). `/` searches,
/// j/k move, Enter opens the account's record (UserRecordScreen), F5 reloads, "Load more"
/// follows the cursor. Requests in flight show under the list; Esc cancels them.
/// Threading: GUI thread.

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace Console {

class JsonTableModel;
class RequestProgress;
class Session;

class UsersScreen : public QWidget {
    Q_OBJECT
public:
    explicit UsersScreen(Session *session, QWidget *parent = nullptr);

    void reload();
    JsonTableModel *model() const { return m_model; }
    QLineEdit *searchField() const { return m_search; }
    QTableView *list() const { return m_list; }
    RequestProgress *progress() const { return m_progress; }
    QString feedback() const;
    /// Suspends (with `reason`) or unsuspends the selected account.
    void setSuspended(bool suspended, const QString &reason = {});
    /// Asks for the selected account's record (recordRequested).
    void openRecord();

Q_SIGNALS:
    void recordRequested(const QString &username);

private:
    int selectedRow() const;
    void setFeedback(const QString &text, bool error = false);
    void updateActions();

    Session *m_session;
    RequestProgress *m_progress;
    JsonTableModel *m_model;
    QTableView *m_list;
    QLineEdit *m_search;
    QLineEdit *m_reason;
    QPushButton *m_suspend;
    QPushButton *m_unsuspend;
    QPushButton *m_more;
    QPushButton *m_record;
    QLabel *m_feedback;
};

} // namespace Console
