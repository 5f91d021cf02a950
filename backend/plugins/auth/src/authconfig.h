// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The `plugins.auth` configuration subtree. Unknown keys are rejected; the `mfa` child
/// belongs to the 2FA / OAuth module (Auth::Mfa::parseConfig).

#include "community/config.h"
#include "crypto.h"
#include "registrationlimit.h"

namespace Auth {

struct AuthConfig {
    qint64 accessTokenTtlSeconds = 15 * 60;
    qint64 refreshTokenTtlDays = 30;
    /// Failed logins lock per (account, client address) first, so that knowing a username
    /// does not let anyone lock its owner out; the account-wide lock (any address) only
    /// stops guessing spread over many addresses, at a much higher count (issue 10).
    struct Lockout {
        int maxFailures = 10;         ///< per (account, client address) in the window, then locked
        int delayAfter = 5;           ///< from this failure on, an escalating wait (2^n s, max 60)
        int accountMaxFailures = 100; ///< per account from all addresses in the window, then locked
        int ipMaxFailures = 100;      ///< per client address in the window, then locked
        qint64 windowSeconds = 15 * 60;
        qint64 lockSeconds = 15 * 60;
    } lockout;
    RegistrationCaps registration;   ///< daily caps of POST /v1/auth/register per address / network
    unsigned long long opsLimit = PasswordHasher::DefaultOpsLimit;
    size_t memLimitBytes = PasswordHasher::DefaultMemLimit;
    int stateRefreshMs = 2000;
    /// A session's lastSeenAt is written at most this often (it is flushed with the state
    /// refresh, so it trails real use by up to stateRefreshMs).
    int sessionActivityMs = 60'000;
    /// Self-service registration with an email address queues a verification mail.
    bool verifyEmailOnRegister = true;

    static Community::Result<AuthConfig> parse(Community::ConfigReader &reader);
};

} // namespace Auth
