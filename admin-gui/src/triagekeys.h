// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The console's single-key commands (j/k, r, i, …): an event filter that turns plain key
/// presses on a widget into named commands. Keys held with Ctrl, Alt or Meta are left
/// alone (they belong to the window's shortcuts), and so is typing in text fields.

#include <QHash>
#include <QObject>

#include <functional>

namespace Console {

class TriageKeys : public QObject {
public:
    explicit TriageKeys(QObject *parent = nullptr) : QObject(parent) {}
    /// `key` is a Qt::Key; Shift is part of the binding (Shift+X ≠ X).
    void bind(int key, Qt::KeyboardModifiers modifiers, std::function<void()> command);
    void bind(int key, std::function<void()> command) { bind(key, Qt::NoModifier, std::move(command)); }
    /// Watches `widget` (and only it) for key presses.
    void attach(QObject *widget) { widget->installEventFilter(this); }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QHash<quint64, std::function<void()>> m_commands;
};

} // namespace Console
