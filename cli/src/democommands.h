// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `communityctl demo seed`: fills a fresh platform with the demo data (demodata.h)
/// through the public API only — accounts are registered and act with their own tokens,
/// as members would. Idempotent: accounts and communities that exist are reused, a post is
/// only created (with its comments, votes and report) when its author has no post of that
/// title yet. Refuses (exit 2) when accounts other than staff and demo ones exist, unless
/// --force. Needs the operator token (or an admin's) to look at the accounts.

#include "commands.h"

#include <QHash>

#include <memory>

namespace Community::Ctl {

class DemoCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;
    int seed(bool force);

private:
    struct Counts {
        int users = 0, communities = 0, posts = 0, comments = 0, votes = 0, reports = 0;
    };

    /// Accounts that are neither staff nor demo accounts; -1 when the list failed.
    int realUserCount();
    bool ensureUser(const QString &username, Counts &counts);
    bool ensureCommunity(const QString &slug, const QString &title, const QString &description, const QString &owner,
                         Counts &counts);
    bool seedPosts(const QString &slug, int communityIndex, Counts &counts);
    ApiReply as(const QString &username, ApiRequest request);

    std::unique_ptr<BlockingClient> m_anonymous;                   // register, sign in
    QHash<QString, std::shared_ptr<BlockingClient>> m_members;     // each demo account's own
    bool m_force = false;
    QString m_error;
};

} // namespace Community::Ctl
