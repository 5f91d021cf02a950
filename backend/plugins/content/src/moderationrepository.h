// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL behind ContentModeration (contracts/content.h): a post's or comment's moderation
/// facts and the open reports on it. Content's own schema only.

#include "community/contracts/content.h"

#include <pqxx/pqxx>

#include <optional>

namespace Content {

class ModerationRepository {
public:
    explicit ModerationRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    std::optional<Community::Contracts::ModerationTarget> target(const QString &type, qint64 id);
    /// Ids of the open reports on the target, oldest first.
    QList<qint64> openReports(const QString &type, qint64 id);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Content
