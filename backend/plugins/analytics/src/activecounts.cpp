// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "activecounts.h"

namespace Analytics {

void GapCounts::add(QDate day, int gap, qint64 n)
{
    if (n != 0)
        m_days[day].append({gap, n});
}

qint64 GapCounts::distinct(QDate from, QDate to) const
{
    qint64 total = 0;
    for (auto it = m_days.lowerBound(from); it != m_days.cend() && it.key() <= to; ++it) {
        const qint64 offset = from.daysTo(it.key());
        for (const auto &[gap, n] : it.value())
            total += gap > offset ? n : 0;
    }
    return total;
}

} // namespace Analytics
