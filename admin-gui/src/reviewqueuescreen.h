// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The review queue in three panes: reports (list) | the reported item with its context
/// (detail) | the decision (note, resolve, dismiss). Keyboard first: j/k move, r resolves,
/// i dismisses (ignore), n edits the note, F5 reloads; after a decision the row leaves the
/// list, the next one is selected and the status line says what happened.
/// Threading: GUI thread; network calls asynchronous through the session's client.

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace Console {

class JsonTableModel;
class Session;

class ReviewQueueScreen : public QWidget {
    Q_OBJECT
public:
    explicit ReviewQueueScreen(Session *session, QWidget *parent = nullptr);

    void reload();
    JsonTableModel *model() const { return m_model; }
    QTableView *list() const { return m_list; }
    /// The last feedback shown (what the moderator just did, or what failed).
    QString feedback() const;

    /// Moves the selection by `delta` rows (j/k).
    void move(int delta);
    /// Decides the selected report: "resolved" or "dismissed", with the note field's text.
    void decide(const QString &resolution);

Q_SIGNALS:
    void decided(const QString &reportId, const QString &resolution);

private:
    void showSelected();
    void setFeedback(const QString &text, bool error = false);
    int selectedRow() const;

    Session *m_session;
    JsonTableModel *m_model;
    QTableView *m_list;
    QTextBrowser *m_detail;
    QComboBox *m_status;
    QLineEdit *m_note;
    QPushButton *m_resolve;
    QPushButton *m_dismiss;
    QLabel *m_feedback;
    bool m_busy = false;
};

} // namespace Console
