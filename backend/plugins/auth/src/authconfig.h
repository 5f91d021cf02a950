// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The `plugins.auth` configuration subtree. Unknown keys are rejected; the `mfa` child
/// belongs to the 2FA / OAuth module (Auth::Mfa::parseConfig).

#include "community/config.h"
#include "crypto.h"

namespace Auth {

struct AuthConfig {
    qint64 accessTokenTtlSeconds = 15 * 60;
    qint64 refreshTokenTtlDays = 30;
    struct Lockout {
        int maxFailures = 10;         ///< per login string in the window, then locked
        int delayAfter = 5;           ///< from this failure on, an escalating wait (2^n s, max 60)
        int ipMaxFailures = 100;      ///< per client address in the window, then locked
        qint64 windowSeconds = 15 * 60;
        qint64 lockSeconds = 15 * 60;
    } lockout;
    unsigned long long opsLimit = PasswordHasher::DefaultOpsLimit;
    size_t memLimitBytes = PasswordHasher::DefaultMemLimit;
    int stateRefreshMs = 2000;

    static Community::Result<AuthConfig> parse(Community::ConfigReader &reader);
};

} // namespace Auth
