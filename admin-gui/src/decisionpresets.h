// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The review queue's decisions as data: the actions the server knows
/// (/v1/admin/queue/{id}/decision) and the nine presets on keys 1–9, each a set of
/// actions with a reason template. Pure functions, no widgets (unit-tested).

#include <QJsonArray>
#include <QList>
#include <QString>

namespace Console {

struct DecisionAction {
    QString type;   ///< dismiss, remove, hide, restore, warn, suspend, ban
    int days = 0;   ///< suspend only
};

struct DecisionPreset {
    QString label;
    QList<DecisionAction> actions;
    QString reason;
};

/// The action types in the order the panel shows them.
QStringList decisionActionTypes();
/// A translated name for an action type ("hide" → "Hide").
QString actionTitle(const QString &type);
/// Presets 1–9 (index 0 is key 1).
QList<DecisionPreset> decisionPresets();
/// The body's "actions" array.
QJsonArray actionsJson(const QList<DecisionAction> &actions);
/// "hide + suspend 1 d" — what the feedback line and the audit reader see.
QString describeActions(const QList<DecisionAction> &actions);
/// Empty when the server would take it; else why not (dismiss goes alone, 1–8 actions,
/// suspend needs 1–3650 days, a reason is required).
QString validateDecision(const QList<DecisionAction> &actions, const QString &reason);

} // namespace Console
