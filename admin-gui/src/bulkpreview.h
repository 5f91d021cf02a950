// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The review queue's bulk preview (`b`): the marked items, one row each, with the
/// decision each will get (the decision panel's, or a preset chosen for the row with
/// 1–9), who holds it, and after Apply what the server answered for it. Apply (Enter)
/// sends one decision request per item in order (there is no bulk route yet) and goes on
/// after a refusal: partial success is visible row by row, and the screen keeps the
/// refused items marked. Esc closes (or cancels the requests while they run).
/// Threading: GUI thread; requests through the screen's RequestProgress.

#include "decisionpresets.h"

#include <QDialog>
#include <QJsonObject>

class QLabel;
class QPushButton;
class QTableView;

namespace Console {

class JsonTableModel;
class RequestProgress;

class BulkPreview : public QDialog {
    Q_OBJECT
public:
    /// `items` are queue items (/v1/admin/queue); each starts with `actions` / `reason`
    /// (empty actions: the row waits for a preset). `me` is the signed-in username.
    BulkPreview(RequestProgress *progress, const QList<QJsonObject> &items, const QList<DecisionAction> &actions,
                const QString &reason, const QString &me, QWidget *parent = nullptr);

    JsonTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    /// The decision row `row` will get ("hide + suspend 1 d"), or why it cannot be sent.
    QString plannedText(int row) const;
    /// Per row: "" before Apply, then "ok" or the server's detail.
    QString resultText(int row) const;
    /// Gives row `row` preset `index` (0 = key 1).
    void applyPreset(int row, int index);
    bool isRunning() const { return m_running; }
    QString summary() const;

public Q_SLOTS:
    /// Sends a decision for each row that has a valid one and no answer yet.
    void apply();
    /// Esc: stops a run in flight, else closes.
    void reject() override;

Q_SIGNALS:
    /// The server took `itemId`'s decision (`text` says what it was).
    void itemDecided(const QString &itemId, const QString &text, int reportersNotified);
    /// The server refused it (`message`: its detail).
    void itemFailed(const QString &itemId, const QString &message);
    /// Every request of an Apply has answered.
    void applied(int succeeded, int failed);

private:
    void sendNext();
    void setRow(int row, const QJsonObject &item);

    RequestProgress *m_progress;
    JsonTableModel *m_model;
    QTableView *m_table;
    QLabel *m_summary;
    QPushButton *m_apply;
    QString m_me;
    QList<int> m_toSend;
    int m_succeeded = 0, m_failed = 0;
    bool m_running = false;
};

} // namespace Console
