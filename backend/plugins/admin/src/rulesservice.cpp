// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "rulesservice.h"

#include "auditglossary.h"
#include "auditservice.h"
#include "queuerepository.h"

#include "community/contracts/events/content.h"
#include "community/database.h"

#include <QDebug>

using namespace Community;
namespace ContentEvents = Community::Contracts::Events::Content;

namespace Admin {

namespace {

QJsonObject ruleJson(const WatchRule &r)
{
    return {{QStringLiteral("id"), QString::number(r.id)}, {QStringLiteral("kind"), r.kind},
            {QStringLiteral("pattern"), r.pattern}, {QStringLiteral("action"), ruleActionName(r.action)}};
}

void reload(ContentPolicy &policy)
{
    if (auto r = policy.refresh(); !r)
        qWarning().noquote() << "admin: reloading watched words failed:" << r.error().logDetail;
}

} // namespace

Result<QList<StoredRule>> RulesService::list()
{
    return m_db.read<QList<StoredRule>>([](pqxx::nontransaction &tx) -> Result<QList<StoredRule>> {
        return RulesRepository(tx).active();
    });
}

Result<StoredRule> RulesService::add(qint64 actorId, const WatchRule &rule)
{
    auto stored = m_db.transact<StoredRule>([&](pqxx::work &tx) -> Result<StoredRule> {
        StoredRule out{rule, actorId, QDateTime::currentDateTimeUtc()};
        out.rule.id = RulesRepository(tx).insert(rule, actorId);
        auto audited = m_audit.record(tx, StaffAction{QString(Action::RuleAdd), QStringLiteral("rule"),
                                                      QString::number(out.rule.id), QString(), QJsonValue(), ruleJson(out.rule)});
        if (!audited)
            return tl::unexpected(audited.error());
        return out;
    });
    if (stored)
        reload(m_policy);
    return stored;
}

Result<void> RulesService::remove(qint64 id)
{
    auto removed = m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (!RulesRepository(tx).remove(id))
            return tl::unexpected(notFound(QStringLiteral("No such rule.")));
        auto audited = m_audit.record(tx, StaffAction{QString(Action::RuleRemove), QStringLiteral("rule"), QString::number(id),
                                                      QString(), QJsonValue(), QJsonValue()});
        return audited ? Result<void>() : tl::unexpected(audited.error());
    });
    if (removed)
        reload(m_policy);
    return removed;
}

Result<void> RulesService::flagFromEvent(const Events::Event &event)
{
    QString targetType, text;
    qint64 targetId = 0, communityId = 0;
    if (event.type.startsWith(QLatin1String("content.post."))) {
        const auto p = ContentEvents::PostChanged::fromJson(event.payload);
        if (!p)
            return {};
        targetType = QStringLiteral("post");
        targetId = p->postId;
        communityId = p->communityId;
        text = p->title + QLatin1Char('\n') + p->body;
    } else {
        const auto c = ContentEvents::CommentChanged::fromJson(event.payload);
        if (!c)
            return {};
        targetType = QStringLiteral("comment");
        targetId = c->commentId;
        communityId = c->communityId;
        text = c->body;
    }
    const RuleMatch match = m_policy.words()->check(text);
    if (!match.action)
        return {};
    const int priority = *match.action == RuleAction::Block ? kBlockPriority : kFlagPriority;
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        QueueRepository(tx).addFlag(targetType, targetId, communityId, priority);
        return {};
    });
}

} // namespace Admin
