// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mfaconfig.h"

#include <QSet>

using namespace Community;

namespace Auth::Mfa {

Result<Config> parseConfig(ConfigReader &reader)
{
    Config c;
    QList<FieldError> errors;
    c.issuer = reader.string(QStringLiteral("issuer"), c.issuer);
    if (c.issuer.isEmpty() || c.issuer.contains(QLatin1Char(':')))
        errors.append({reader.path() + QStringLiteral(".issuer"), QStringLiteral("must be non-empty, without ':'"),
                       QStringLiteral("format")});
    c.recoveryCodePepper = reader.secret(QStringLiteral("recoveryCodePepper"));
    c.challengeTtlSeconds = int(reader.integer(QStringLiteral("challengeTtlSeconds"), c.challengeTtlSeconds, 30, 3600));
    c.oauthStateTtlSeconds = int(reader.integer(QStringLiteral("oauthStateTtlSeconds"), c.oauthStateTtlSeconds, 60, 3600));
    const QStringList ids = reader.stringList(QStringLiteral("oauthProviders"));
    ConfigReader oauth = reader.child(QStringLiteral("oauth"));
    QSet<QString> seen;
    for (const QString &id : ids) {
        if (seen.contains(id)) {
            errors.append({reader.path() + QStringLiteral(".oauthProviders"),
                           QStringLiteral("lists %1 twice").arg(id), QStringLiteral("duplicate")});
            continue;
        }
        seen.insert(id);
        ConfigReader p = oauth.child(id);
        auto parsed = parseProviderConfig(id, p);
        if (parsed)
            c.providers.append(*parsed);
        else
            errors += parsed.error().fields;
    }
    // Provider objects that oauthProviders does not enable are unknown keys here.
    if (auto fin = oauth.finish(); !fin)
        errors += fin.error().fields;
    if (auto fin = reader.finish(); !fin)
        errors = fin.error().fields + errors;
    if (!errors.isEmpty()) {
        Error e = Error::make(ErrorCode::Config, QStringLiteral("invalid configuration"));
        e.fields = errors;
        return tl::unexpected(e);
    }
    return c;
}

} // namespace Auth::Mfa
