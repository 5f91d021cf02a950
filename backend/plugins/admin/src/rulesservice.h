// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Watched-word rules: list, add (validated: a regex must compile on RE2), remove, test a
/// text; each change audited and followed by a reload of the compiled rules. And the flag
/// feed: content.post/comment created or edited events whose text matches a rule open a
/// queue item of kind "flag" (priority 30 for flag, 60 for block). Refusing a `block`
/// match at write time needs content's write gate (ADR 0012: not done). Blocking: workers
/// and consumers. Thread-safe.

#include "contentpolicy.h"
#include "rulesrepository.h"

#include "community/eventbus.h"
#include "community/result.h"

namespace Admin {

class AuditService;

inline constexpr int kFlagPriority = 30;
inline constexpr int kBlockPriority = 60;

class RulesService {
public:
    RulesService(Community::Db::Database &db, AuditService &audit, ContentPolicy &policy)
        : m_db(db), m_audit(audit), m_policy(policy) {}

    Community::Result<QList<StoredRule>> list();
    Community::Result<StoredRule> add(qint64 actorId, const WatchRule &rule);
    Community::Result<void> remove(qint64 id);
    RuleMatch test(const QString &text) const { return m_policy.words()->check(text); }
    /// Consumer of content.post.created/.edited and content.comment.created/.edited.
    Community::Result<void> flagFromEvent(const Community::Events::Event &event);

private:
    Community::Db::Database &m_db;
    AuditService &m_audit;
    ContentPolicy &m_policy;
};

} // namespace Admin
