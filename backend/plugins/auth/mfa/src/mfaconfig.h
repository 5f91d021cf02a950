// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The `plugins.auth.mfa` configuration subtree: the TOTP issuer, the recovery-code
/// pepper, challenge and OAuth-state lifetimes and the OAuth / OIDC providers.

#include "oauthprovider.h"

#include "community/config.h"
#include "community/result.h"

#include <QList>
#include <QString>

#include <functional>

namespace Auth::Mfa {

struct Config {
    QString issuer = QStringLiteral("Community");    ///< shown in authenticator apps
    QList<OAuthProviderConfig> providers;             ///< in display order
    Community::Secret recoveryCodePepper;             ///< keys the recovery-code hashes
    int challengeTtlSeconds = 300;                    ///< MFA challenges created here (OAuth logins)
    int oauthStateTtlSeconds = 600;
    /// Unix seconds for TOTP; empty = system clock. Tests set it to move time.
    std::function<qint64()> clock;
};

/// Reads this module's own subtree (hand it a dedicated child reader, e.g.
/// plugins.auth.mfa) and calls finish() on it: unknown keys are errors.
/// Keys: issuer, recoveryCodePepper|recoveryCodePepperFile, challengeTtlSeconds,
/// oauthStateTtlSeconds, oauthProviders ["id", ...], oauth { "<id>": {provider keys} }.
Community::Result<Config> parseConfig(Community::ConfigReader &reader);

} // namespace Auth::Mfa
