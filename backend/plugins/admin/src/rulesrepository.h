// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for watched-word rules (schema `admin`).

#include "watchedwords.h"

#include <QDateTime>

#include <pqxx/pqxx>

namespace Admin {

struct StoredRule {
    WatchRule rule;
    qint64 createdBy = 0;
    QDateTime createdAt;
};

class RulesRepository {
public:
    explicit RulesRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    QList<StoredRule> active();
    qint64 insert(const WatchRule &rule, qint64 createdBy);
    /// False when there is no such active rule.
    bool remove(qint64 id);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Admin
