// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `status`, `plugins list`, `migrate status|up`: the host's health, readiness, node
/// info and migrations.

#include "commands.h"

namespace Community::Ctl {

class StatusCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    int status();
    int pluginsList();
    int migrateStatus();
    int migrateUp(bool dryRun);

private:
    bool m_dryRun = false;
};

} // namespace Community::Ctl
