// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Chaos: the node's active faults (refreshed every two seconds while shown), a form to
/// inject one (kind, selector, parameters, time limit) and the ways to end them: clear
/// the selected fault (Delete), stop all (Ctrl+Shift+X, no confirmation: stopping is the
/// safe direction). A fault injected with "Hold" is bound to this console's lease: the
/// screen renews it every second and closes it when it goes away, so the fault ends with
/// the console — and when the console crashes or loses the server, the lease lapses and
/// the daemon clears the fault by itself (docs/chaos.md). Threading: GUI thread.

#include <QBasicTimer>
#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace Console {

class JsonTableModel;
class RequestProgress;
class Session;

/// A fault's parameters in words ("status 503", "1024 B/s", "500 ± 100 ms"), translated.
QString chaosParametersText(const QJsonObject &fault);

class ChaosScreen : public QWidget {
    Q_OBJECT
public:
    explicit ChaosScreen(Session *session, QWidget *parent = nullptr);
    ~ChaosScreen() override;

    void reload();
    /// Sends the form as a new fault.
    void inject();
    void clearSelected();
    void stopAll();

    JsonTableModel *model() const { return m_model; }
    QString feedback() const;
    QString leaseId() const { return m_leaseId; }
    /// What a console that crashed or lost its connection does: it stops renewing its
    /// lease without closing it (drills and tests of the dead-man switch).
    void abandonLease();

    // The form, for keyboard-driven tests.
    QComboBox *kindField() const { return m_kind; }
    QLineEdit *routeField() const { return m_route; }
    QSpinBox *statusField() const { return m_status; }
    QSpinBox *delayField() const { return m_delay; }
    QSpinBox *ttlField() const { return m_ttl; }
    QCheckBox *holdField() const { return m_hold; }

protected:
    void timerEvent(QTimerEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QJsonObject faultFromForm() const;
    void sendFault(QJsonObject fault);
    void renewLease();
    void closeLease();
    void updateForm();
    int selectedRow() const;
    void setFeedback(const QString &text, bool error = false);

    Session *m_session;
    RequestProgress *m_progress;
    JsonTableModel *m_model;
    QTableView *m_list;
    QLabel *m_state;
    QComboBox *m_kind;
    QLineEdit *m_route;
    QLineEdit *m_plugin;
    QLineEdit *m_node;
    QDoubleSpinBox *m_percent;
    QDoubleSpinBox *m_probability;
    QSpinBox *m_delay;
    QSpinBox *m_jitter;
    QSpinBox *m_status;
    QSpinBox *m_rate;
    QSpinBox *m_ttl;
    QCheckBox *m_hold;
    QCheckBox *m_allNodes;
    QPushButton *m_inject;
    QPushButton *m_clear;
    QPushButton *m_stopAll;
    QLabel *m_feedback;
    QBasicTimer m_refresh;
    QBasicTimer m_renew;
    QString m_leaseId;
    QString m_selectedId;   ///< kept across refreshes
    bool m_leasePending = false;
};

} // namespace Console
