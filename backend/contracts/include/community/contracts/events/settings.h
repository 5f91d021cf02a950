// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Events the core's settings API publishes (docs/adr/0032-runtime-settings.md). Producer:
/// core (PUT/DELETE /v1/admin/settings/{key}, POST /v1/admin/settings/import); consumers:
/// admin.audit (one audit row per change, before/after) and every daemon of the database
/// through broadcast delivery (a live key is applied there too, another is marked
/// pending). Version 1.
///
/// settings.changed: the runtime value of a key was set or removed (aggregate
/// "setting:<key>"). `before`/`after` are the configured values (what the layers say,
/// not necessarily what is in force); a secret would be "set"/"unset", never its value
/// (secrets cannot be set at runtime, so none is ever sent). `after` is null and `removed`
/// true when the runtime value was removed.

#include "community/contracts/events/eventjson.h"

#include <QLatin1StringView>

namespace Community::Contracts::Events::Settings {

inline constexpr int kVersion = 1;

namespace Type {
inline constexpr QLatin1StringView Changed{"settings.changed"};
} // namespace Type

struct Changed {
    static constexpr QLatin1StringView type = Type::Changed;
    QString key;
    QJsonValue before;        ///< configured value before (null: none)
    QJsonValue after;         ///< the runtime value now (null when removed)
    bool removed = false;     ///< the runtime value was removed
    bool live = false;        ///< applied without restart
    QString reason;
    QString origin;           ///< instance id of the daemon that took the change

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("setting:%1").arg(key); }
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("key"), key},
                           {QStringLiteral("before"), before.isUndefined() ? QJsonValue() : before},
                           {QStringLiteral("after"), after.isUndefined() ? QJsonValue() : after},
                           {QStringLiteral("removed"), removed},
                           {QStringLiteral("live"), live},
                           {QStringLiteral("reason"), reason},
                           {QStringLiteral("origin"), origin}};
    }
    static std::optional<Changed> fromJson(const QJsonObject &o)
    {
        Changed e;
        e.key = o.value(QStringLiteral("key")).toString();
        if (e.key.isEmpty())
            return std::nullopt;
        e.before = o.value(QStringLiteral("before"));
        e.after = o.value(QStringLiteral("after"));
        e.removed = o.value(QStringLiteral("removed")).toBool();
        e.live = o.value(QStringLiteral("live")).toBool();
        e.reason = o.value(QStringLiteral("reason")).toString();
        e.origin = o.value(QStringLiteral("origin")).toString();
        return e;
    }
};

} // namespace Community::Contracts::Events::Settings
