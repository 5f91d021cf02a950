// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Distinct users of any interval of days from gap counts (migration 0002): each active
/// (user, day) counted under its day and the days since the user's previous active day.
/// A user active in [a, b] is counted once, on the first active day d inside it, where
/// the gap exceeds d - a. Pure values; safe on any thread.

#include <QDate>
#include <QList>
#include <QMap>

namespace Analytics {

class GapCounts {
public:
    void add(QDate day, int gap, qint64 n);
    /// Users active on at least one day of [from, to].
    qint64 distinct(QDate from, QDate to) const;

private:
    QMap<QDate, QList<std::pair<int, qint64>>> m_days;
};

} // namespace Analytics
