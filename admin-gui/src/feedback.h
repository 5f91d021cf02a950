// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The status line every screen has: what just happened, in red when it failed.

#include <QLabel>

namespace Console {

inline void showFeedback(QLabel *label, const QString &text, bool error)
{
    label->setText(text);
    label->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

} // namespace Console
