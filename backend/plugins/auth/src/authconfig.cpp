// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "authconfig.h"

#include <sodium.h>

using namespace Community;

namespace Auth {

Result<AuthConfig> AuthConfig::parse(ConfigReader &r)
{
    AuthConfig c;
    c.accessTokenTtlSeconds = r.integer(QStringLiteral("accessTokenTtlSeconds"), c.accessTokenTtlSeconds, 10, 24 * 3600);
    c.refreshTokenTtlDays = r.integer(QStringLiteral("refreshTokenTtlDays"), c.refreshTokenTtlDays, 1, 365);
    ConfigReader lock = r.child(QStringLiteral("lockout"));
    c.lockout.maxFailures = int(lock.integer(QStringLiteral("maxFailures"), c.lockout.maxFailures, 1, 1000));
    c.lockout.delayAfter = int(lock.integer(QStringLiteral("delayAfter"), c.lockout.delayAfter, 1, 1000));
    c.lockout.accountMaxFailures = int(lock.integer(QStringLiteral("accountMaxFailures"), c.lockout.accountMaxFailures, 1,
                                                    1'000'000));
    c.lockout.ipMaxFailures = int(lock.integer(QStringLiteral("ipMaxFailures"), c.lockout.ipMaxFailures, 1, 1'000'000));
    c.lockout.windowSeconds = lock.integer(QStringLiteral("windowSeconds"), c.lockout.windowSeconds, 1, 7 * 86400);
    c.lockout.lockSeconds = lock.integer(QStringLiteral("lockSeconds"), c.lockout.lockSeconds, 1, 7 * 86400);
    ConfigReader reg = r.child(QStringLiteral("registration"));
    c.registration.perAddressPerDay = int(reg.integer(QStringLiteral("maxPerAddressPerDay"), c.registration.perAddressPerDay,
                                                      0, 1'000'000));
    c.registration.perNetworkPerDay = int(reg.integer(QStringLiteral("maxPerNetworkPerDay"), c.registration.perNetworkPerDay,
                                                      0, 1'000'000));
    c.registration.exempt = reg.stringList(QStringLiteral("exempt"), c.registration.exempt);
    c.registration.exempt.removeAll(QString());
    ConfigReader ph = r.child(QStringLiteral("passwordHash"));
    c.opsLimit = (unsigned long long)ph.integer(QStringLiteral("opsLimit"), qint64(c.opsLimit),
                                                qint64(crypto_pwhash_OPSLIMIT_MIN), 64);
    c.memLimitBytes = size_t(ph.integer(QStringLiteral("memLimitBytes"), qint64(c.memLimitBytes),
                                        qint64(crypto_pwhash_MEMLIMIT_MIN), qint64(4) << 30));
    c.stateRefreshMs = int(r.integer(QStringLiteral("stateRefreshMs"), c.stateRefreshMs, 100, 600'000));
    c.sessionActivityMs = int(r.integer(QStringLiteral("sessionActivityMs"), c.sessionActivityMs, 0, 3'600'000));
    c.verifyEmailOnRegister = r.boolean(QStringLiteral("verifyEmailOnRegister"), c.verifyEmailOnRegister);
    r.accept(QStringLiteral("mfa"));   // plugins.auth.mfa: read by Auth::Mfa::parseConfig
    QList<FieldError> errors;
    for (const QString &bad : RegistrationLimiter::invalidExempt(c.registration.exempt))
        errors.append({reg.path() + QStringLiteral(".exempt"), QStringLiteral("not an address or CIDR subnet: ") + bad, {}});
    for (ConfigReader *x : {&lock, &reg, &ph, &r}) {
        if (auto f = x->finish(); !f)
            errors += f.error().fields.isEmpty() ? QList<FieldError>{{x->path(), f.error().message, {}}} : f.error().fields;
    }
    if (!errors.isEmpty()) {
        Error e = Error::make(ErrorCode::Config, QStringLiteral("invalid auth configuration"));
        e.fields = errors;
        return tl::unexpected(e);
    }
    return c;
}

} // namespace Auth
