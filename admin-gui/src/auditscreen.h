// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The audit log (/v1/admin/audit, admins): filters by actor id, action (a code or a
/// prefix ending in '.'), target type and id, and a time range; rows newest first with
/// "Load more"; the selected row's before/after difference; the hash chain's verification
/// (/v1/admin/audit/verify) shown as a badge; export of every row matching the filters to
/// CSV or JSON (paged through the API, asynchronously). Threading: GUI thread.

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace Community::Client { struct ApiRequest; }

namespace Console {

class JsonTableModel;
class RequestProgress;
class Session;

class AuditScreen : public QWidget {
    Q_OBJECT
public:
    explicit AuditScreen(Session *session, QWidget *parent = nullptr);

    void reload();
    void verify();
    /// Writes every row matching the filters to `path` ("csv" or "json"); `exported` or
    /// `exportFailed` follows.
    void exportTo(const QString &path, const QString &format);

    JsonTableModel *model() const { return m_model; }
    QTableView *list() const { return m_list; }
    QLineEdit *actorField() const { return m_actor; }
    QLineEdit *actionField() const { return m_action; }
    QLineEdit *targetTypeField() const { return m_targetType; }
    QLineEdit *targetIdField() const { return m_targetId; }
    QString verifyText() const;
    QString detailText() const;
    QString feedback() const;

Q_SIGNALS:
    void verified(bool ok);
    void exported(const QString &path, int rows);
    void exportFailed(const QString &message);

private:
    void buildLayout();
    Community::Client::ApiRequest request() const;
    void exportPage(const QString &path, const QString &format, const QString &cursor, QList<QJsonObject> rows);
    void chooseExport();
    void showSelected();
    void setFeedback(const QString &text, bool error = false);

    Session *m_session;
    RequestProgress *m_progress;
    JsonTableModel *m_model;
    QTableView *m_list;
    QTextBrowser *m_detail;
    QLineEdit *m_actor;
    QLineEdit *m_action;
    QLineEdit *m_targetType;
    QLineEdit *m_targetId;
    QCheckBox *m_useSince;
    QDateTimeEdit *m_since;
    QCheckBox *m_useUntil;
    QDateTimeEdit *m_until;
    QPushButton *m_more;
    QLabel *m_verify;
    QLabel *m_feedback;
};

} // namespace Console
