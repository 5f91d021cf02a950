// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The hooks through which the 2FA / OAuth module (mfa/) uses auth's accounts and
/// sessions: a login for a user who passed every factor, password checks, the account
/// of a first OAuth login, and the directory's listeners once that account is committed.

#include "mfahooks.h"

namespace Auth {

class AccountService;
class SessionService;
class UserDirectory;

/// The services must outlive the hooks.
Mfa::Hooks mfaHooks(AccountService &accounts, SessionService &sessions, UserDirectory &directory);

} // namespace Auth
