// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "views.h"

#include "format.h"

#include <QStringList>

namespace Community::Ctl {

namespace {

const QString kNone = QStringLiteral("-");

QString text(const QJsonValue &value)
{
    return cellText(value);
}

QString field(const QJsonObject &object, const char *key)
{
    return text(object.value(QLatin1String(key)));
}

QString plural(qsizetype n, const char *singular, const char *pluralForm)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? singular : pluralForm));
}

} // namespace

QString cellText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String: {
        const QString s = value.toString();
        return s.isEmpty() ? kNone : s;
    }
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d);
    }
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    default:
        return kNone;
    }
}

QString renderStatus(const StatusSnapshot &s)
{
    Table table;
    table.addRow({QStringLiteral("server"), s.server});
    table.addRow({QStringLiteral("version"), field(s.info, "version")});
    table.addRow({QStringLiteral("node"), field(s.info, "node")});
    table.addRow({QStringLiteral("started"), field(s.info, "startedAt")});
    const QJsonValue uptime = s.info.value(QLatin1String("uptimeSeconds"));
    table.addRow({QStringLiteral("uptime"),
                  uptime.isDouble() ? formatDuration(qint64(uptime.toDouble())) : kNone});
    table.addRow({QStringLiteral("database"),
                  field(s.info.value(QLatin1String("database")).toObject(), "mode")});
    table.addRow({QStringLiteral("health"), field(s.health, "status")});
    table.addRow({QStringLiteral("readiness"),
                  s.ready ? QStringLiteral("ready") : QStringLiteral("not ready")});

    const QJsonObject checks = s.readiness.value(QLatin1String("checks")).toObject();
    if (!checks.isEmpty()) {
        QStringList parts;
        for (auto it = checks.begin(); it != checks.end(); ++it)
            parts << it.key() + QLatin1Char('=') + text(it.value());
        table.addRow({QStringLiteral("checks"), parts.join(QLatin1String(", "))});
    }
    const QJsonArray reasons = s.readiness.value(QLatin1String("reasons")).toArray();
    for (qsizetype i = 0; i < reasons.size(); ++i)
        table.addRow({i == 0 ? QStringLiteral("reasons") : QString(), text(reasons.at(i))});
    if (!s.ready && reasons.isEmpty() && s.readiness.contains(QLatin1String("detail")))
        table.addRow({QStringLiteral("reasons"), field(s.readiness, "detail")});

    QStringList services;
    for (const QJsonValue &v : s.info.value(QLatin1String("services")).toArray())
        services << text(v);
    table.addRow({QStringLiteral("services"),
                  services.isEmpty() ? kNone : services.join(QLatin1String(", "))});

    const QJsonArray plugins = s.info.value(QLatin1String("plugins")).toArray();
    qsizetype running = 0;
    for (const QJsonValue &p : plugins) {
        if (p.toObject().value(QLatin1String("state")).toString() == QLatin1String("running"))
            ++running;
    }
    table.addRow({QStringLiteral("plugins"),
                  QStringLiteral("%1 (%2 running)").arg(plugins.size()).arg(running)});
    return table.render();
}

QJsonObject statusJson(const StatusSnapshot &s)
{
    return QJsonObject{
        {QStringLiteral("server"), s.server},
        {QStringLiteral("health"), s.health},
        {QStringLiteral("ready"), s.ready},
        {QStringLiteral("readiness"), s.readiness},
        {QStringLiteral("info"), s.info},
    };
}

QString formatDependencies(const QJsonArray &dependencies)
{
    QStringList parts;
    for (const QJsonValue &v : dependencies) {
        const QJsonObject dep = v.toObject();
        QString part = dep.value(QLatin1String("id")).toString();
        const QString minVersion = dep.value(QLatin1String("minVersion")).toString();
        if (!minVersion.isEmpty())
            part += QLatin1String(">=") + minVersion;
        if (dep.value(QLatin1String("optional")).toBool())
            part += QLatin1String(" (optional)");
        parts << part;
    }
    return parts.isEmpty() ? kNone : parts.join(QLatin1String(", "));
}

QString renderPlugins(const QJsonArray &plugins)
{
    if (plugins.isEmpty())
        return QStringLiteral("no plugins\n");
    Table table({QStringLiteral("ID"), QStringLiteral("VERSION"), QStringLiteral("STATE"),
                 QStringLiteral("DEPENDENCIES")});
    for (const QJsonValue &v : plugins) {
        const QJsonObject p = v.toObject();
        table.addRow({field(p, "id"), field(p, "version"), field(p, "state"),
                      formatDependencies(p.value(QLatin1String("dependencies")).toArray())});
    }
    return table.render();
}

QString renderMigrations(const QJsonArray &migrations)
{
    if (migrations.isEmpty())
        return QStringLiteral("no migrations\n");
    Table table({QStringLiteral("PLUGIN"), QStringLiteral("VERSION"), QStringLiteral("NAME"),
                 QStringLiteral("STATE"), QStringLiteral("APPLIED AT")});
    for (const QJsonValue &v : migrations) {
        const QJsonObject m = v.toObject();
        table.addRow({field(m, "plugin"), field(m, "version"), field(m, "name"),
                      field(m, "state"), field(m, "appliedAt")});
    }
    return table.render();
}

QString renderMigrateUp(const QJsonObject &result)
{
    const bool dryRun = result.value(QLatin1String("dryRun")).toBool();
    const QJsonArray applied = result.value(QLatin1String("applied")).toArray();
    if (applied.isEmpty())
        return QStringLiteral("nothing to apply\n");
    Table table({QStringLiteral("PLUGIN"), QStringLiteral("VERSION"), QStringLiteral("NAME"),
                 QStringLiteral("CHECKSUM")});
    for (const QJsonValue &v : applied) {
        const QJsonObject m = v.toObject();
        QString checksum = field(m, "checksum");
        // The full hash is in -o json; a prefix is enough to tell migrations apart.
        if (checksum.size() > 12)
            checksum = checksum.left(12);
        table.addRow({field(m, "plugin"), field(m, "version"), field(m, "name"), checksum});
    }
    const QString what = plural(applied.size(), "migration", "migrations");
    const QString heading = dryRun ? QStringLiteral("would apply %1 (dry run):\n").arg(what)
                                   : QStringLiteral("applied %1:\n").arg(what);
    return heading + table.render();
}

} // namespace Community::Ctl
