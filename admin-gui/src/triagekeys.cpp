// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "triagekeys.h"

#include <QKeyEvent>

namespace Console {

namespace {
quint64 binding(int key, Qt::KeyboardModifiers modifiers)
{
    return (quint64(modifiers.toInt()) << 32) | quint32(key);
}
} // namespace

void TriageKeys::bind(int key, Qt::KeyboardModifiers modifiers, std::function<void()> command)
{
    m_commands.insert(binding(key, modifiers), std::move(command));
}

bool TriageKeys::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QObject::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    const Qt::KeyboardModifiers mods = key->modifiers() & ~Qt::KeypadModifier;
    if (mods & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
        return false;
    const auto it = m_commands.constFind(binding(key->key(), mods));
    if (it == m_commands.constEnd())
        return false;
    (*it)();
    return true;
}

} // namespace Console
