// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The notifications plugin's commands: `notifications deliveries [--failed]` (the
/// delivery outbox), `notifications retry ID` (a dead delivery due again) and
/// `notifications send-test --user U --channel email` (/v1/admin/notifications),
/// `notifications announce --title T --body B [--url U] [--wait]` (to every active account,
/// confirmed like every destructive command) and `notifications announcements` (progress).

#include "commands.h"

#include <string>

namespace Community::Ctl {

class NotificationCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    int deliveries();
    int retry(const QString &id);
    int sendTest(const QString &user, const QString &channel);
    int announce();
    int listAnnouncements();

private:
    struct Options
    {
        std::string status, channel, user, id, title, body, url;
        int limit = 0, waitSeconds = 300;
        bool failed = false, wait = false;
        Safety safety;
    };
    Options m_options;
};

/// The table of `notifications deliveries`.
QString renderDeliveries(const QJsonArray &items);
/// The table of `notifications announcements`.
QString renderAnnouncements(const QJsonArray &items);

} // namespace Community::Ctl
