// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Migrations (`g m`): every plugin's schema migrations from GET /v1/system/migrations
/// (the API `communityctl migrate status` uses; operator token): per plugin how many are
/// applied, pending or changed, and per file its version, name, state, checksum and when
/// it was applied. Running them is two steps: "Plan" (p) asks the server what it would
/// apply (POST dryRun) and shows that list; "Apply" (only after a plan, and only when it
/// still lists something) asks for a confirmation naming the count, then runs them. The
/// server serialises runs across nodes with an advisory lock; it does not report who
/// holds it, so the screen cannot either. Threading: GUI thread.

#include <QJsonArray>
#include <QWidget>

#include <functional>

class QLabel;
class QListWidget;
class QPushButton;
class QTableView;

namespace Console {

class JsonTableModel;
class RequestProgress;
class Session;

class MigrationsScreen : public QWidget {
    Q_OBJECT
public:
    explicit MigrationsScreen(Session *session, QWidget *parent = nullptr);

    void reload();
    /// Asks the server for the plan (dry run) and shows it.
    void plan();
    /// After a plan: confirms, then applies.
    void apply();

    /// Asks the user to go ahead with `question`; default: a Yes/No message box. Tests
    /// answer it themselves.
    void setConfirm(std::function<bool(const QString &question)> confirm) { m_confirm = std::move(confirm); }

    JsonTableModel *model() const { return m_model; }
    RequestProgress *progress() const { return m_progress; }
    /// Per plugin: "auth: 5 applied, 1 pending".
    QString summary() const;
    /// The last plan's entries ("auth 7 add_index"), empty before a plan.
    QStringList planned() const;
    bool canApply() const;
    QString feedback() const;

Q_SIGNALS:
    void applied(int count);

private:
    void setFeedback(const QString &text, bool error = false);

    Session *m_session;
    RequestProgress *m_progress;
    JsonTableModel *m_model;
    QTableView *m_list;
    QLabel *m_summary;
    QListWidget *m_plan;
    QPushButton *m_planButton;
    QPushButton *m_applyButton;
    QLabel *m_feedback;
    QJsonArray m_planned;
    bool m_havePlan = false;
    std::function<bool(const QString &)> m_confirm;
};

} // namespace Console
