// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Settings (`g s`): the daemon's runtime settings registry (/v1/admin/settings, ADR 0032;
/// the API `communityctl settings` uses). The table lists every key with its type, value,
/// default, source (default, file, runtime, environment, flag), why it is read-only and
/// whether a change waits for a restart; `/` searches keys and descriptions, `d` shows
/// only the keys that differ from their default (the server's diff). The pane beside it
/// edits the selected key: a change is first checked by the server (dry run) and shown as
/// a diff (before → after, the default, live or restart required), then saved after a
/// confirmation; a refusal shows the server's field error beside the value. A reason is
/// required for every change, reset and import. Secrets show only set / unset (the
/// server never lets them be set here). Export writes the runtime layer to a JSON file;
/// import sends a file's settings, all or nothing, and lists the server's answer: the
/// keys changed, or every key it refused and why (nothing written then).
/// Threading: GUI thread; requests through the screen's RequestProgress.

#include <QJsonObject>
#include <QSet>
#include <QStringList>
#include <QWidget>

#include <functional>

namespace Community::Client { struct ApiReply; }

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableView;

namespace Console {

class JsonTableModel;
class RequestProgress;
class Session;

class SettingsScreen : public QWidget {
    Q_OBJECT
public:
    explicit SettingsScreen(Session *session, QWidget *parent = nullptr);

    void reload();
    /// Selects `key`'s row (false when it is not listed).
    bool select(const QString &key);
    /// Checks the edited value with the server (dry run), shows the diff, asks, saves.
    void save();
    /// Removes the runtime value of the selected key (after a confirmation).
    void reset();
    /// Writes the runtime layer (GET /export) to `path`; `exported` or `failed` follows.
    void exportTo(const QString &path);
    /// Sends `path`'s {"settings": {...}} to /import (after a confirmation); the answer
    /// shows in importResult(); `imported` or `failed` follows.
    void importFrom(const QString &path);
    /// Only the keys whose value is not the default (from GET /diff).
    void setDiffOnly(bool on);

    /// Asks the user to go ahead with `question`; default: a Yes/No message box.
    void setConfirm(std::function<bool(const QString &question)> confirm) { m_confirm = std::move(confirm); }

    /// The value a text typed for a key of `type` stands for (integer, boolean,
    /// stringList as "a, b" or a JSON array, string as typed); text the type cannot take
    /// is sent as typed, so that the server's refusal is what the user sees.
    static QJsonValue parseValue(const QString &type, const QString &text);
    /// How a setting's value reads in the table and the editor ("set" / "unset" for a
    /// secret, "a, b" for a list).
    static QString valueText(const QJsonObject &setting, const QString &member = QStringLiteral("value"));

    JsonTableModel *model() const { return m_model; }
    QTableView *list() const { return m_list; }
    QLineEdit *searchField() const { return m_search; }
    QLineEdit *valueField() const { return m_value; }
    QLineEdit *reasonField() const { return m_reason; }
    RequestProgress *progress() const { return m_progress; }
    /// The error shown beside the value field ("" when none).
    QString fieldError() const;
    /// The last diff shown before saving.
    QString diffText() const;
    /// The import's answer, one line each.
    QStringList importResult() const;
    QString feedback() const;
    /// The keys whose rows are shown (search and diff filter applied).
    QStringList visibleKeys() const;
    /// The selected key ("" when none).
    QString currentKey() const;
    bool isEditable() const;

Q_SIGNALS:
    void saved(const QString &key);
    void resetDone(const QString &key);
    void exported(const QString &path, int keys);
    void imported(const QStringList &changed);
    /// A save, reset, export or import failed (`message` is shown too).
    void failed(const QString &message);

private:
    void showSelected();
    void applyFilter();
    void store(const QString &key, const QJsonValue &value, const QString &reason);
    /// Shows the server's refusal of a change beside the value field.
    void refuseChange(const QString &key, const Community::Client::ApiReply &reply);
    QString requireReason();
    void setFeedback(const QString &text, bool error = false);
    void setFieldError(const QString &text);
    void chooseExport();
    void chooseImport();

    Session *m_session;
    RequestProgress *m_progress;
    JsonTableModel *m_model;
    QTableView *m_list;
    QLineEdit *m_search;
    QCheckBox *m_diffOnly;
    QLabel *m_key;
    QLabel *m_about;
    QLineEdit *m_value;
    QLabel *m_fieldError;
    QLineEdit *m_reason;
    QLabel *m_diff;
    QPushButton *m_save;
    QPushButton *m_reset;
    QListWidget *m_importResult;
    QLabel *m_feedback;
    QSet<QString> m_changedKeys;   // from GET /diff, while "differs from default" is on
    QString m_keepKey;
    std::function<bool(const QString &)> m_confirm;
};

} // namespace Console
