// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `search stats|status|reindex` on the search plugin's /v1/search routes.

#include "commands.h"

#include <chrono>

namespace Community::Ctl {

/// `search reindex`: --wait polls the index status until the replay has caught up.
struct SearchReindexOptions
{
    bool wait = false;
    std::chrono::milliseconds pollInterval{1000};
    std::chrono::milliseconds timeout{600'000};
};

class SearchCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    /// Top queries, top zero-result queries and click-through over the last @p days
    /// (0: the server's default).
    int stats(int days, int limit);
    int status();
    /// Empties the search index and replays its events (destructive: results are
    /// incomplete until it has caught up).
    int reindex(const SearchReindexOptions &options, Safety safety);

private:
    struct Options
    {
        int days = 0;
        int limit = 0;
        bool wait = false;
        double timeoutSeconds = 600;
        Safety safety;
    };

    Planned reindexPlan();
    int waitForReindex(qint64 target, qint64 roomsTarget, const SearchReindexOptions &options);

    Options m_options;
};

} // namespace Community::Ctl
