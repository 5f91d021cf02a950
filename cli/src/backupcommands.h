// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `backup create|list|verify|restore`: the node's database (pg_dump custom format with the
/// embedded cluster's binaries) and files store, on the node's host (backup.h). No server
/// is asked: these run beside the data directory. `restore` only fills an empty data
/// directory or database, shows its plan with --dry-run and asks for the target's name.

#include "backup.h"
#include "commands.h"

#include <string>

namespace Community::Ctl {

class BackupCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

private:
    int create();
    int list();
    int verify();
    int restore();
    NodeState node() const;
    QString backupsDir() const;
    /// What the operator types to confirm a restore: the data directory, or the database.
    QString targetName() const;
    bool typedConfirmation(const QString &plan);
    int failed(const Error &error);

    std::string m_dataDir;
    std::string m_databaseUrl;
    std::string m_filesDir;
    std::string m_binDir;
    std::string m_dir;
    std::string m_backup;
    Safety m_safety;
};

} // namespace Community::Ctl
