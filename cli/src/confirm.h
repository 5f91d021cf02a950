// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Confirmation of destructive commands: `--yes` skips the question, a terminal on stdin
/// gets "Proceed? [y/N]", anything else (pipes, files, CI) is refused so that a script
/// never changes something it did not explicitly agree to.

#include <QString>

#include <iosfwd>

namespace Community::Ctl {

/// Where answers come from: stdin and whether it is a terminal.
struct Terminal
{
    std::istream &in;
    bool interactive = false;
};

enum class Confirmation {
    Proceed,  ///< --yes, or the operator answered y/yes
    Declined, ///< the operator answered something else, or stdin ended
    Refused,  ///< no --yes and stdin is not a terminal: never ask, never proceed
};

/// Only whether a question will be needed and possible: Proceed with --yes, Refused
/// without --yes on a non-terminal, Declined meaning "ask" otherwise.
Confirmation precheckConfirmation(bool yes, bool interactive);

/// True for "y" and "yes" in any case, surrounding blanks ignored.
bool isYes(const QString &answer);

/// With --yes: Proceed without reading. Without a terminal: Refused without reading.
/// Otherwise writes "Proceed? [y/N] " to @p prompt and reads one line from the terminal.
Confirmation confirm(bool yes, const Terminal &terminal, std::ostream &prompt);

/// The one-line message for Refused (exit 2).
QString refusedLine();
/// The one-line message for Declined.
QString declinedLine();

} // namespace Community::Ctl
