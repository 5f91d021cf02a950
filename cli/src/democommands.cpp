// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "democommands.h"

#include "demodata.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>

namespace Community::Ctl {

using namespace Demo;

namespace {

QString problem(const ApiReply &reply)
{
    return reply.error().message;
}

ApiRequest json(const char *method, const QString &path, const QJsonObject &body)
{
    return ApiRequest::withJson(method, path, body);
}

} // namespace

void DemoCommands::addTo(CLI::App &app, Action &action)
{
    auto *demo = app.add_subcommand("demo", "Demo data for a newcomer and for screenshots");
    demo->require_subcommand(1);
    auto *seedCmd = demo->add_subcommand("seed", "Create demo communities, members, posts, comments, votes and open reports "
                                                 "through the public API (idempotent)");
    seedCmd->add_flag("--force", m_force, "Seed even though real accounts exist");
    seedCmd->callback([this, &action] { action = [this] { return seed(m_force); }; });
}

int DemoCommands::realUserCount()
{
    int real = 0;
    QString cursor;
    do {
        ApiRequest request{"GET", QStringLiteral("/v1/admin/users")};
        request.query.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
        if (!cursor.isEmpty())
            request.query.addQueryItem(QStringLiteral("cursor"), cursor);
        const ApiReply reply = client().send(request);
        if (!reply.ok()) {
            m_error = problem(reply);
            return -1;
        }
        const QJsonObject page = reply.jsonObject().value_or(QJsonObject());
        for (const QJsonValue &v : page.value(QStringLiteral("items")).toArray()) {
            const QJsonObject u = v.toObject();
            const bool staff = u.value(QStringLiteral("role")).toString() != QLatin1String("user");
            if (!staff && !u.value(QStringLiteral("username")).toString().startsWith(QLatin1String(kUserPrefix)))
                ++real;
        }
        cursor = page.value(QStringLiteral("nextCursor")).toString();
    } while (!cursor.isEmpty());
    return real;
}

ApiReply DemoCommands::as(const QString &username, ApiRequest request)
{
    return m_members.value(username)->send(request);
}

bool DemoCommands::ensureUser(const QString &username, Counts &counts)
{
    const ApiReply made = m_anonymous->send(json("POST", QStringLiteral("/v1/auth/register"),
                                             {{QStringLiteral("username"), username},
                                              {QStringLiteral("email"), username + QStringLiteral("@demo.example")},
                                              {QStringLiteral("password"), demoPassword()}}));
    if (made.ok())
        ++counts.users;
    else if (made.status != 409)
        return m_error = QStringLiteral("%1: %2").arg(username, problem(made)), false;
    const ApiReply signedIn = m_anonymous->send(json("POST", QStringLiteral("/v1/auth/login"),
                                                     {{QStringLiteral("login"), username}, {QStringLiteral("password"), demoPassword()}}));
    const QString token = signedIn.jsonObject().value_or(QJsonObject()).value(QStringLiteral("accessToken")).toString();
    if (!signedIn.ok() || token.isEmpty())
        return m_error = QStringLiteral("%1: %2").arg(username, signedIn.ok() ? QStringLiteral("no token") : problem(signedIn)), false;
    m_members.insert(username, std::make_shared<BlockingClient>(client().baseUrl(), token, client().async().timeout()));
    return true;
}

bool DemoCommands::ensureCommunity(const QString &slug, const QString &title, const QString &description,
                                   const QString &owner, Counts &counts)
{
    const ApiReply made = as(owner, json("POST", QStringLiteral("/v1/communities"),
                                         {{QStringLiteral("slug"), slug}, {QStringLiteral("title"), title},
                                          {QStringLiteral("description"), description}}));
    if (made.ok())
        ++counts.communities;
    else if (made.status != 409)
        return m_error = QStringLiteral("%1: %2").arg(slug, problem(made)), false;
    return true;
}

bool DemoCommands::seedPosts(const QString &slug, int communityIndex, Counts &counts)
{
    const DemoCommunity community = demoCommunities().at(communityIndex);
    for (const DemoPost &post : community.posts) {
        (void)as(post.author, ApiRequest{"POST", QStringLiteral("/v1/communities/%1/join").arg(slug)});
        // Idempotence: the author's post of that title exists -> nothing for it is sent again.
        const ApiReply mine = as(post.author, ApiRequest{"GET", QStringLiteral("/v1/users/%1/posts?limit=100").arg(post.author)});
        bool exists = false;
        for (const QJsonValue &v : mine.jsonObject().value_or(QJsonObject()).value(QStringLiteral("items")).toArray())
            exists = exists || v.toObject().value(QStringLiteral("title")).toString() == post.title;
        if (exists)
            continue;
        const ApiReply made = as(post.author, json("POST", QStringLiteral("/v1/communities/%1/posts").arg(slug),
                                                   {{QStringLiteral("title"), post.title}, {QStringLiteral("body"), post.body},
                                                    {QStringLiteral("tags"), QJsonArray::fromStringList(post.tags)}}));
        if (!made.ok())
            return m_error = QStringLiteral("%1: %2").arg(post.title, problem(made)), false;
        ++counts.posts;
        const QString id = made.jsonObject().value_or(QJsonObject()).value(QStringLiteral("id")).toString();
        for (const DemoComment &c : post.comments)
            counts.comments += as(c.author, json("POST", QStringLiteral("/v1/posts/%1/comments").arg(id),
                                                 {{QStringLiteral("body"), c.body}})).ok();
        for (const auto &[voters, value] : {std::pair{post.upvoters, 1}, std::pair{post.downvoters, -1}}) {
            for (const QString &voter : voters)
                counts.votes += as(voter, json("PUT", QStringLiteral("/v1/posts/%1/vote").arg(id),
                                               {{QStringLiteral("value"), value}})).ok();
        }
        if (!post.reportedBy.isEmpty())
            counts.reports += as(post.reportedBy, json("POST", QStringLiteral("/v1/reports"),
                                                       {{QStringLiteral("targetType"), QStringLiteral("post")},
                                                        {QStringLiteral("targetId"), id},
                                                        {QStringLiteral("reason"), post.reportReason}})).ok();
    }
    return true;
}

int DemoCommands::seed(bool force)
{
    const int real = realUserCount();
    if (real < 0)
        return failWith(QStringLiteral("cannot list the accounts: %1").arg(m_error));
    if (real > 0 && !force) {
        note(QStringLiteral("refusing: %1 real account(s) exist (not staff, not demo_*); use --force to seed anyway").arg(real));
        return ExitUsage;
    }
    m_anonymous = std::make_unique<BlockingClient>(client().baseUrl(), QString(), client().async().timeout());
    Counts counts;
    bool ok = true;
    for (const DemoUser &u : demoUsers())
        ok = ok && ensureUser(u.username, counts);
    const QList<DemoCommunity> communities = demoCommunities();
    for (int i = 0; ok && i < communities.size(); ++i) {
        const DemoCommunity &c = communities[i];
        ok = ensureCommunity(c.slug, c.title, c.description, c.owner, counts) && seedPosts(c.slug, i, counts);
    }
    if (!ok)
        return failWith(QStringLiteral("demo seed stopped: %1").arg(m_error));
    const QJsonObject created{{QStringLiteral("users"), counts.users}, {QStringLiteral("communities"), counts.communities},
                              {QStringLiteral("posts"), counts.posts}, {QStringLiteral("comments"), counts.comments},
                              {QStringLiteral("votes"), counts.votes}, {QStringLiteral("reports"), counts.reports}};
    printResult(QJsonObject{{QStringLiteral("created"), created}},
                QStringLiteral("created %1 users, %2 communities, %3 posts, %4 comments, %5 votes, %6 reports\n"
                               "demo accounts: demo_* with password %7\n")
                    .arg(counts.users).arg(counts.communities).arg(counts.posts).arg(counts.comments)
                    .arg(counts.votes).arg(counts.reports).arg(demoPassword()));
    return ExitOk;
}

} // namespace Community::Ctl
