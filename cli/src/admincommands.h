// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `keys create|list|revoke` (/v1/admin/api-keys) and `auth outbox`
/// (/v1/admin/auth/outbox: verification and reset tokens) of the auth plugin.

#include "commands.h"

#include <QStringList>

#include <string>
#include <vector>

namespace Community::Ctl {

class AdminCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    int keysCreate(const QString &name, const QStringList &scopes);
    int keysList();
    int keysRevoke(const QString &id, Safety safety);
    int authOutbox(qint64 after, int limit);

private:
    struct Options
    {
        std::string keyName;
        std::vector<std::string> scopes;
        std::string keyId;
        long long after = 0;
        int limit = 0;
        Safety safety;
    };

    void addKeys(CLI::App &app, Action &action);
    /// The key to revoke from the list, or the exit code (missing, already revoked).
    Fetched findKey(const QString &id);

    Options m_options;
};

} // namespace Community::Ctl
