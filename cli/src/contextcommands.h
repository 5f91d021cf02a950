// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `context add|use|list|remove|current`: the named servers of the contexts file shared
/// with community-console (Client::ContextStore), and `completion bash|zsh|fish`, the
/// shell completion generated from this very command tree. Neither talks to a server.

#include "commands.h"

#include <string>

namespace Community::Ctl {

class ContextCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

private:
    int add();
    int use();
    int list();
    int remove();
    int current();
    int completion(const CLI::App &app);

    std::string m_name;
    std::string m_server;
    std::string m_token;
    std::string m_tokenFile;
    std::string m_shell;
    bool m_namesOnly = false;
};

} // namespace Community::Ctl
