// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `settings get|set|reset|diff|export|import` (/v1/admin/settings; docs/adr/0032): every
/// configuration key with its value, source and whether it applies without restart. `set`,
/// `reset` and `import` change the node: --dry-run has the server validate the change with
/// the startup rules and writes nothing; confirmation unless --yes. A value is parsed as
/// JSON when it parses (5, true, ["a","b"]), else taken as a string — as `communityd --set`.

#include "commands.h"

#include <functional>
#include <string>

namespace Community::Ctl {

class SettingsCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    int get();
    int set();
    int reset();
    int diff();
    int exportLayer();
    int importLayer();

    /// "5" → 5, "true" → true, "[\"a\"]" → array, "hello" → "hello" (as communityd --set).
    static QJsonValue parseValue(const QString &text);

private:
    /// Fetches the key as it stands into a plan named @p action; @p describe completes it.
    Planned planOn(const QString &key, const QString &action, const std::function<Planned(Plan &)> &describe);

    struct Options
    {
        std::string key, value, prefix, reason, file;
        Safety safety;
    };
    Options m_options;
};

} // namespace Community::Ctl
