// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The notifications plugin's commands: `notifications deliveries [--failed]` (the
/// delivery outbox), `notifications retry ID` (a dead delivery due again) and
/// `notifications send-test --user U --channel email` (/v1/admin/notifications).

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

private:
    struct Options
    {
        std::string status, channel, user, id;
        int limit = 0;
        bool failed = false;
    };
    Options m_options;
};

/// The table of `notifications deliveries`.
QString renderDeliveries(const QJsonArray &items);

} // namespace Community::Ctl
