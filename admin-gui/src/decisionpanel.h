// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The review queue's right pane: one check box per action (days for a suspension), the
/// reason, the presets 1–9 listed with their keys, and "Decide". It holds no item and
/// sends nothing: the screen reads actions() and reason(). Threading: GUI thread.

#include "decisionpresets.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Console {

class DecisionPanel : public QWidget {
    Q_OBJECT
public:
    explicit DecisionPanel(QWidget *parent = nullptr);

    QList<DecisionAction> actions() const;
    QString reason() const;
    QLineEdit *reasonField() const { return m_reason; }
    /// Ticks the preset's actions and puts its reason template in the field.
    void applyPreset(const DecisionPreset &preset);
    void clear();
    void setBusy(bool busy);

Q_SIGNALS:
    void decideRequested();

private:
    QHash<QString, QCheckBox *> m_boxes;
    QSpinBox *m_days;
    QLineEdit *m_reason;
    QPushButton *m_decide;
};

} // namespace Console
