// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The chat plugin's commands (operator token, /v1/chat/admin): `chat rooms` (every room),
/// `chat messages --room R [--before SEQ]` (deleted ones with their text) and
/// `chat purge --room R --before TIME [--dry-run] [--yes]`: the dry run counts what would
/// go; without --yes the operator must type the room id to confirm (a terminal only).

#include "commands.h"

#include <string>

namespace Community::Ctl {

class ChatCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    int rooms();
    int messages();
    int purge();

private:
    /// The operator typed the room id (or --yes); false after saying why.
    bool typedConfirmation(qint64 count);
    struct Options
    {
        std::string room, before, after;
        int limit = 0;
        Safety safety;
    };
    Options m_options;
};

/// The tables of `chat rooms` and `chat messages`.
QString renderChatRooms(const QJsonArray &items);
QString renderChatMessages(const QJsonArray &items);

} // namespace Community::Ctl
