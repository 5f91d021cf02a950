// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "adminviews.h"

#include "format.h"
#include "views.h"

#include <QStringList>

namespace Community::Ctl {

namespace {

QString field(const QJsonObject &object, const char *key)
{
    return cellText(object.value(QLatin1String(key)));
}

QString str(const QJsonObject &object, const char *key)
{
    return oneLine(object.value(QLatin1String(key)).toString());
}

QString joinStrings(const QJsonArray &values)
{
    QStringList parts;
    for (const QJsonValue &v : values)
        parts << cellText(v);
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char(','));
}

QJsonObject fromTo(const QJsonValue &from, const QJsonValue &to)
{
    return QJsonObject{{QStringLiteral("from"), from}, {QStringLiteral("to"), to}};
}

QString stateOf(const QJsonObject &user)
{
    const QString state = str(user, "state");
    return state.isEmpty() ? QStringLiteral("-") : state;
}

} // namespace

QString renderUser(const QJsonObject &user)
{
    Table table;
    table.addRow({QStringLiteral("id"), field(user, "id")});
    table.addRow({QStringLiteral("username"), field(user, "username")});
    table.addRow({QStringLiteral("email"), field(user, "email")});
    table.addRow({QStringLiteral("role"), field(user, "role")});
    table.addRow({QStringLiteral("state"), field(user, "state")});
    if (user.contains(QLatin1String("suspendedReason")))
        table.addRow({QStringLiteral("suspended reason"), field(user, "suspendedReason")});
    table.addRow({QStringLiteral("email verified"), field(user, "emailVerified")});
    table.addRow({QStringLiteral("must change password"), field(user, "mustChangePassword")});
    table.addRow({QStringLiteral("created"), field(user, "createdAt")});
    return table.render();
}

QString renderUsers(const QJsonArray &users)
{
    if (users.isEmpty())
        return QStringLiteral("no users\n");
    Table table({QStringLiteral("ID"), QStringLiteral("USERNAME"), QStringLiteral("EMAIL"),
                 QStringLiteral("ROLE"), QStringLiteral("STATE"), QStringLiteral("VERIFIED"),
                 QStringLiteral("CREATED")});
    for (const QJsonValue &v : users) {
        const QJsonObject u = v.toObject();
        table.addRow({field(u, "id"), field(u, "username"), field(u, "email"), field(u, "role"),
                      field(u, "state"), field(u, "emailVerified"), field(u, "createdAt")});
    }
    return table.render();
}

QString renderApiKeys(const QJsonArray &keys)
{
    if (keys.isEmpty())
        return QStringLiteral("no API keys\n");
    Table table({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("SCOPES"),
                 QStringLiteral("CREATED BY"), QStringLiteral("CREATED"),
                 QStringLiteral("LAST USED"), QStringLiteral("REVOKED")});
    for (const QJsonValue &v : keys) {
        const QJsonObject k = v.toObject();
        table.addRow({field(k, "id"), field(k, "name"),
                      joinStrings(k.value(QLatin1String("scopes")).toArray()),
                      field(k, "createdBy"), field(k, "createdAt"), field(k, "lastUsedAt"),
                      field(k, "revoked")});
    }
    return table.render();
}

QString renderCreatedKey(const QJsonObject &key)
{
    Table table;
    table.addRow({QStringLiteral("id"), field(key, "id")});
    table.addRow({QStringLiteral("name"), field(key, "name")});
    table.addRow({QStringLiteral("scopes"), joinStrings(key.value(QLatin1String("scopes")).toArray())});
    table.addRow({QStringLiteral("created"), field(key, "createdAt")});
    table.addRow({QStringLiteral("key"), field(key, "key")});
    return table.render();
}

QString renderOutbox(const QJsonArray &items)
{
    if (items.isEmpty())
        return QStringLiteral("no events\n");
    Table table({QStringLiteral("ID"), QStringLiteral("TYPE"), QStringLiteral("CREATED"),
                 QStringLiteral("USER"), QStringLiteral("EMAIL"), QStringLiteral("TOKEN"),
                 QStringLiteral("EXPIRES IN")});
    for (const QJsonValue &v : items) {
        const QJsonObject e = v.toObject();
        const QJsonObject p = e.value(QLatin1String("payload")).toObject();
        const QJsonValue expires = p.value(QLatin1String("expiresInSeconds"));
        table.addRow({field(e, "id"), field(e, "type"), field(e, "createdAt"), field(p, "userId"),
                      field(p, "email"), field(p, "token"),
                      expires.isDouble() ? formatDuration(qint64(expires.toDouble()))
                                         : QStringLiteral("-")});
    }
    return table.render();
}

Plan planSetRole(const QJsonObject &user, const QString &role)
{
    const QString from = str(user, "role");
    Plan plan;
    plan.action = QStringLiteral("set-role");
    plan.current = user;
    plan.change = QJsonObject{{QStringLiteral("role"), fromTo(user.value(QLatin1String("role")), role)}};
    plan.description = QStringLiteral("set role of %1: %2 -> %3")
                           .arg(str(user, "username"), from.isEmpty() ? QStringLiteral("-") : from, role);
    if (from == role)
        plan.description += QStringLiteral(" (no change: already %1)").arg(role);
    return plan;
}

Plan planSuspend(const QJsonObject &user, const QString &reason)
{
    Plan plan;
    plan.action = QStringLiteral("suspend");
    plan.current = user;
    plan.change = QJsonObject{
        {QStringLiteral("state"), fromTo(user.value(QLatin1String("state")), QStringLiteral("suspended"))},
        {QStringLiteral("suspendedReason"), reason.isEmpty() ? QJsonValue() : QJsonValue(reason)}};
    plan.description = QStringLiteral("suspend %1: %2 -> suspended").arg(str(user, "username"), stateOf(user));
    if (!reason.isEmpty())
        plan.description += QStringLiteral(" (reason: %1)").arg(oneLine(reason));
    return plan;
}

Plan planUnsuspend(const QJsonObject &user)
{
    Plan plan;
    plan.action = QStringLiteral("unsuspend");
    plan.current = user;
    plan.change = QJsonObject{
        {QStringLiteral("state"), fromTo(user.value(QLatin1String("state")), QStringLiteral("active"))}};
    plan.description = QStringLiteral("unsuspend %1: %2 -> active").arg(str(user, "username"), stateOf(user));
    if (str(user, "state") == QLatin1String("active"))
        plan.description += QStringLiteral(" (no change: already active)");
    return plan;
}

Plan planResetPassword(const QJsonObject &user)
{
    Plan plan;
    plan.action = QStringLiteral("reset-password");
    plan.current = user;
    plan.change = QJsonObject{{QStringLiteral("password"), QStringLiteral("generated")},
                              {QStringLiteral("mustChangePassword"), true},
                              {QStringLiteral("sessionsRevoked"), true}};
    plan.description = QStringLiteral("reset the password of %1: a new random password, "
                                      "all sessions revoked, must change it at next login")
                           .arg(str(user, "username"));
    return plan;
}

Plan planDisableTwoFactor(const QJsonObject &user)
{
    Plan plan;
    plan.action = QStringLiteral("disable-2fa");
    plan.current = user;
    plan.change = QJsonObject{{QStringLiteral("totp"), QStringLiteral("removed")},
                              {QStringLiteral("recoveryCodes"), QStringLiteral("removed")}};
    plan.description = QStringLiteral("disable two-factor authentication of %1: TOTP secret "
                                      "and recovery codes removed")
                           .arg(str(user, "username"));
    return plan;
}

Plan planRevokeKey(const QJsonObject &key)
{
    Plan plan;
    plan.action = QStringLiteral("revoke");
    plan.current = key;
    plan.change = QJsonObject{{QStringLiteral("revoked"), fromTo(key.value(QLatin1String("revoked")), true)}};
    plan.description = QStringLiteral("revoke API key %1 (%2, scopes %3, created by %4)")
                           .arg(field(key, "id"), field(key, "name"),
                                joinStrings(key.value(QLatin1String("scopes")).toArray()),
                                field(key, "createdBy"));
    return plan;
}

QString renderPlan(const Plan &plan, bool dryRun)
{
    return dryRun ? QStringLiteral("would %1 (dry run, nothing changed)\n").arg(plan.description)
                  : QStringLiteral("about to %1\n").arg(plan.description);
}

QJsonObject planJson(const Plan &plan, bool dryRun)
{
    return QJsonObject{{QStringLiteral("dryRun"), dryRun},
                       {QStringLiteral("action"), plan.action},
                       {QStringLiteral("current"), plan.current},
                       {QStringLiteral("change"), plan.change}};
}

} // namespace Community::Ctl
