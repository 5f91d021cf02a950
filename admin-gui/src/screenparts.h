// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What every screen has: a status line that says what just happened (red when it
/// failed), and a list of rows chosen one at a time.

#include <QAbstractItemModel>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>

namespace Console {

inline void showFeedback(QLabel *label, const QString &text, bool error)
{
    label->setText(text);
    label->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

/// Rows selected whole, one at a time; the last column takes the spare width.
inline void setUpRowList(QTableView *list, QAbstractItemModel *model)
{
    list->setModel(model);
    list->setSelectionBehavior(QAbstractItemView::SelectRows);
    list->setSelectionMode(QAbstractItemView::SingleSelection);
    list->horizontalHeader()->setStretchLastSection(true);
    list->verticalHeader()->hide();
    list->setWordWrap(false);
}

} // namespace Console
