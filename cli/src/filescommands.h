// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `files stats|gc|verify|quota|quarantine` on the files plugin's operator routes
/// (/v1/system/files/*; docs/adr/0031-file-scanning-and-operations.md).

#include "commands.h"

#include <string>

namespace Community::Ctl {

class FilesCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    int stats();
    /// Removes blobs unreferenced for longer than the grace period; --dry-run lists them.
    int gc(Safety safety);
    /// Rows without a blob and blobs without a row; exit 0 either way ("ok" says which).
    int verify();
    /// A user's usage and quota, by username (resolved through /v1/admin/users) or id.
    int quota();
    int quarantine(int limit);

private:
    struct Options
    {
        std::string username;
        qint64 userId = 0;
        int limit = 0;
        Safety safety;
    };
    Options m_options;
};

/// "12.3 MiB" for byte counts in tables.
QString formatBytes(qint64 bytes);

} // namespace Community::Ctl
