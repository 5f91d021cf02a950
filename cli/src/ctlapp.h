// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Command-line front end of communityctl: parses options with CLI11, resolves the
/// token, runs one command. Requires a QCoreApplication (for QtNetwork).

#include <iosfwd>

namespace Community::Ctl {

/// Returns the process exit code (see ExitCode in commands.h). Confirmations and
/// --password-stdin read from std::cin; it counts as a terminal when isatty(0).
int runCtl(int argc, const char *const *argv, std::ostream &out, std::ostream &err);

/// The same with an explicit stdin and whether it is a terminal (for tests).
int runCtl(int argc, const char *const *argv, std::ostream &out, std::ostream &err,
           std::istream &in, bool stdinIsTerminal);

} // namespace Community::Ctl
