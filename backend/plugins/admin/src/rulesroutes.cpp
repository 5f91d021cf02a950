// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "rulesroutes.h"

#include "rulesservice.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Admin {

namespace {

constexpr int kPatternMax = 500;
constexpr int kTestTextMax = 20'000;

QJsonObject ruleJson(const StoredRule &r)
{
    return {{QStringLiteral("id"), Json::idString(r.rule.id)},
            {QStringLiteral("kind"), r.rule.kind},
            {QStringLiteral("pattern"), r.rule.pattern},
            {QStringLiteral("action"), ruleActionName(r.rule.action)},
            {QStringLiteral("createdBy"), Json::idString(r.createdBy)},
            {QStringLiteral("createdAt"), Json::iso(r.createdAt)}};
}

Result<WatchRule> readRule(BodyReader &body)
{
    WatchRule rule;
    rule.kind = body.string(QStringLiteral("kind"), Presence::Required, 16).value_or(QString());
    rule.pattern = body.text(QStringLiteral("pattern"), {kPatternMax, Presence::Required}).value_or(QString());
    const QString action = body.string(QStringLiteral("action"), Presence::Required, 16).value_or(QString());
    if (!rule.kind.isEmpty() && rule.kind != QLatin1String("word") && rule.kind != QLatin1String("regex"))
        body.addError(QStringLiteral("kind"), QStringLiteral("must be word or regex"), QStringLiteral("invalid_choice"));
    if (!action.isEmpty() && !parseRuleAction(action))
        body.addError(QStringLiteral("action"), QStringLiteral("must be block or flag"), QStringLiteral("invalid_choice"));
    rule.action = parseRuleAction(action).value_or(RuleAction::Flag);
    if (rule.kind == QLatin1String("regex") && !rule.pattern.isEmpty()) {
        const QString error = regexError(rule.pattern);
        if (!error.isEmpty())
            body.addError(QStringLiteral("pattern"), QStringLiteral("not a valid RE2 pattern: %1").arg(error),
                          QStringLiteral("invalid_regex"));
    }
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return rule;
}

} // namespace

QList<Route> RulesRoutes::routes()
{
    const RouteOptions admin = RouteOptions::authenticated(Role::Admin, QString::fromLatin1(kRulesScope));
    return {
        {"GET", QStringLiteral("/v1/admin/rules"), admin, memberHandler(this, &RulesRoutes::list)},
        {"POST", QStringLiteral("/v1/admin/rules"), admin, memberHandler(this, &RulesRoutes::add)},
        {"DELETE", QStringLiteral("/v1/admin/rules/{id}"), admin, memberHandler(this, &RulesRoutes::remove)},
        {"POST", QStringLiteral("/v1/admin/rules/test"), admin, memberHandler(this, &RulesRoutes::test)},
    };
}

void RulesRoutes::list(Request &req, const Responder &res)
{
    m_db.respondWith(req, res, [svc = &m_rules]() -> Result<HttpResponse> {
        auto rules = svc->list();
        if (!rules)
            return tl::unexpected(rules.error());
        QJsonArray items;
        for (const StoredRule &r : *rules)
            items.append(ruleJson(r));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void RulesRoutes::add(Request &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    auto rule = readRule(*body);
    if (!rule)
        return sendError(req, res, rule.error());
    m_db.respondWith(req, res, [svc = &m_rules, who = req.principal.userId, rule = *rule]() -> Result<HttpResponse> {
        auto stored = svc->add(who, rule);
        if (!stored)
            return tl::unexpected(stored.error());
        return HttpResponse::json(201, ruleJson(*stored));
    });
}

void RulesRoutes::remove(Request &req, const Responder &res)
{
    const auto id = pathId(req, QStringLiteral("id"), QStringLiteral("rule"));
    if (!id)
        return sendError(req, res, id.error());
    m_db.respondWith(req, res, [svc = &m_rules, id = *id]() -> Result<HttpResponse> {
        auto r = svc->remove(id);
        if (!r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

void RulesRoutes::test(Request &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    const QString text = body->string(QStringLiteral("text"), Presence::Required, kTestTextMax).value_or(QString());
    if (auto r = body->finish(); !r)
        return sendError(req, res, r.error());
    const RuleMatch m = m_rules.test(text);
    QJsonArray ids;
    for (qint64 id : m.ruleIds)
        ids.append(Json::idString(id));
    res.send(HttpResponse::json(200, QJsonObject{{QStringLiteral("action"), m.action ? QJsonValue(ruleActionName(*m.action)) : QJsonValue()},
                                                 {QStringLiteral("rules"), ids}}));
}

} // namespace Admin
