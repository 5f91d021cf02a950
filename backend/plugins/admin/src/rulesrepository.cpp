// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "rulesrepository.h"

#include "sqlvalues.h"

namespace Admin {

namespace {

constexpr auto q = Sql::text;
constexpr auto t = Sql::time;
} // namespace

QList<StoredRule> RulesRepository::active()
{
    QList<StoredRule> out;
    for (const auto &r : m_tx.exec("SELECT id, kind, pattern, action, created_by, extract(epoch FROM created_at)::float8"
                                   " FROM admin.watch_rules WHERE removed_at IS NULL ORDER BY id"))
        out.append({{r[0].as<qint64>(), q(r[1]), q(r[2]), parseRuleAction(q(r[3])).value_or(RuleAction::Flag)},
                    r[4].as<qint64>(), t(r[5])});
    return out;
}

qint64 RulesRepository::insert(const WatchRule &rule, qint64 createdBy)
{
    return m_tx.exec_params("INSERT INTO admin.watch_rules (kind, pattern, action, created_by) VALUES ($1, $2, $3, $4)"
                            " RETURNING id",
                            rule.kind.toStdString(), rule.pattern.toStdString(), ruleActionName(rule.action).toStdString(),
                            createdBy)[0][0]
        .as<qint64>();
}

bool RulesRepository::remove(qint64 id)
{
    return !m_tx.exec_params("UPDATE admin.watch_rules SET removed_at = now() WHERE id = $1 AND removed_at IS NULL"
                             " RETURNING id",
                             id)
                .empty();
}

} // namespace Admin
