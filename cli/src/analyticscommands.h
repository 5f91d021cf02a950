// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `analytics report|live|rebuild|maintain` on the analytics plugin's /v1/analytics routes.

#include "commands.h"

#include "community/client/endpoints.h"

namespace Community::Ctl {

class AnalyticsCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    /// A report as a table, as the server's JSON (-o json) or its CSV (-o csv).
    int report(const QString &name, const Client::Endpoints::AnalyticsRange &range);
    int live();
    /// Recomputes every rollup and replays the server facts (destructive while it runs).
    int rebuild(Safety safety);
    int maintain();

private:
    struct Options
    {
        std::string name;
        std::string from, to, tz;
        int limit = 0;
        Safety safety;
    };
    Options m_options;
};

} // namespace Community::Ctl
