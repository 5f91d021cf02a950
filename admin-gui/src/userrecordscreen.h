// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// One account's record, opened from the users screen (Enter): the profile (admin view,
/// /v1/admin/users/{name}, and the public profile), its role (change it), its strikes and
/// penalties (/v1/admin/penalties/{id}: warnings, silences, suspensions, bans, which are
/// active), the reports it filed and the reports against its posts and comments (the
/// moderation list /v1/reports, newest kScanPages pages of each status, matched by
/// reporter and by author), and its sessions: the API lists sessions to their owner
/// only, so they show (with Revoke) on your own record; on another account "End every
/// session" resets its password, which revokes them all. Suspension takes a reason from
/// presets or typed. Everything comes from existing routes. Threading: GUI thread.

#include <QJsonObject>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;
class QTextBrowser;

namespace Community::Client { struct ApiReply; }

namespace Console {

class JsonTableModel;
class RequestProgress;
class Session;

class UserRecordScreen : public QWidget {
    Q_OBJECT
public:
    explicit UserRecordScreen(Session *session, QWidget *parent = nullptr);

    /// Loads `username`'s record (every section).
    void open(const QString &username);
    void reload() { open(m_username); }

    void setRole(const QString &role);
    void suspend(const QString &reason);
    void unsuspend();
    /// Own record only: revokes one of your sessions.
    void revokeSession(const QString &id);
    /// Resets the password (after a confirmation): every session of the account ends;
    /// the one-time password shows in the feedback line.
    void endAllSessions();
    /// Answers the confirmation questions; default: a Yes/No message box.
    void setConfirm(std::function<bool(const QString &)> confirm) { m_confirm = std::move(confirm); }

    QString username() const { return m_username; }
    QJsonObject account() const { return m_account; }
    QString profileText() const;
    QString feedback() const;
    QString sessionsNote() const;
    JsonTableModel *sessions() const { return m_sessions; }
    JsonTableModel *penalties() const { return m_penalties; }
    JsonTableModel *filed() const { return m_filed; }
    JsonTableModel *received() const { return m_received; }
    QComboBox *reasonField() const { return m_reason; }
    QComboBox *roleField() const { return m_role; }
    RequestProgress *progress() const { return m_progress; }
    /// The preset suspension reasons (translated).
    static QStringList reasonPresets();

    static constexpr int kScanPages = 3;   ///< pages of 100 reports per status

Q_SIGNALS:
    void accountLoaded();
    void reportsLoaded();

private:
    void loadAccount(quint64 generation);
    void scanReports(quint64 generation, int statusIndex, int page, const QString &cursor);
    void showAccount();
    void accountChanged(const Community::Client::ApiReply &reply, const QString &done);
    void setFeedback(const QString &text, bool error = false);

    Session *m_session;
    RequestProgress *m_progress;
    JsonTableModel *m_sessions;
    JsonTableModel *m_penalties;
    JsonTableModel *m_filed;
    JsonTableModel *m_received;
    QTabWidget *m_tabs;
    QTextBrowser *m_profile;
    QComboBox *m_role;
    QComboBox *m_reason;
    QPushButton *m_suspend;
    QPushButton *m_unsuspend;
    QPushButton *m_endSessions;
    QPushButton *m_revoke;
    QTableView *m_sessionList;
    QLabel *m_sessionsNote;
    QLabel *m_feedback;
    QString m_username;
    QJsonObject m_account;
    QJsonObject m_public;
    QList<QJsonObject> m_filedRows, m_receivedRows;
    quint64 m_generation = 0;
    std::function<bool(const QString &)> m_confirm;
};

} // namespace Console
