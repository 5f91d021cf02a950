// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "contentpolicy.h"

#include "rulesrepository.h"

#include "community/database.h"

using namespace Community;

namespace Admin {

std::shared_ptr<const WatchedWords> ContentPolicy::words() const
{
    std::lock_guard l(m_mutex);
    return m_words;
}

Result<void> ContentPolicy::refresh()
{
    auto loaded = m_db.read<QList<StoredRule>>([](pqxx::nontransaction &tx) -> Result<QList<StoredRule>> {
        return RulesRepository(tx).active();
    });
    if (!loaded)
        return tl::unexpected(loaded.error());
    QList<WatchRule> rules;
    for (const StoredRule &r : *loaded)
        rules.append(r.rule);
    auto words = std::make_shared<const WatchedWords>(rules);
    std::lock_guard l(m_mutex);
    m_words = std::move(words);
    return {};
}

} // namespace Admin
