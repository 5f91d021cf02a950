// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "settingsviews.h"

#include "format.h"
#include "views.h"

namespace Community::Ctl {

namespace {

QString valueText(const QJsonValue &v)
{
    if (v.isArray()) {
        QStringList items;
        for (const QJsonValue &e : v.toArray())
            items << cellText(e);
        return items.isEmpty() ? QStringLiteral("[]") : items.join(QLatin1Char(','));
    }
    return oneLine(cellText(v));
}

QString applies(const QJsonObject &s)
{
    if (s.value(QLatin1String("readOnly")).toBool())
        return QStringLiteral("read-only");
    if (s.value(QLatin1String("pending")).toBool())
        return QStringLiteral("pending restart");
    return s.value(QLatin1String("live")).toBool() ? QStringLiteral("live") : QStringLiteral("restart");
}

} // namespace

QString settingValueText(const QJsonObject &setting, const char *field)
{
    const QJsonValue v = setting.value(QLatin1String(field));
    if (setting.value(QLatin1String("secret")).toBool())
        return v.toBool() ? QStringLiteral("(set)") : QStringLiteral("(unset)");
    return valueText(v);
}

QString renderSettings(const QJsonArray &settings)
{
    Table table({QStringLiteral("KEY"), QStringLiteral("VALUE"), QStringLiteral("SOURCE"), QStringLiteral("APPLIES")});
    for (const QJsonValue &v : settings) {
        const QJsonObject s = v.toObject();
        QString value = settingValueText(s, "value");
        if (s.value(QLatin1String("pending")).toBool())
            value += QStringLiteral(" (in force: %1)").arg(settingValueText(s, "effective"));
        table.addRow({oneLine(s.value(QLatin1String("key")).toString()), value,
                      cellText(s.value(QLatin1String("source"))), applies(s)});
    }
    return table.render();
}

QString renderSetting(const QJsonObject &s)
{
    Table table;
    auto row = [&table](const char *name, const QString &value) { table.addRow({QLatin1String(name), value}); };
    row("Key", oneLine(s.value(QLatin1String("key")).toString()));
    row("Type", cellText(s.value(QLatin1String("type"))));
    row("Value", settingValueText(s, "value"));
    row("In force", settingValueText(s, "effective"));
    row("Source", cellText(s.value(QLatin1String("source"))));
    if (!s.value(QLatin1String("secret")).toBool())
        row("Default", valueText(s.value(QLatin1String("default"))));
    if (s.contains(QLatin1String("min")))
        row("Range", QStringLiteral("%1 .. %2").arg(cellText(s.value(QLatin1String("min"))), cellText(s.value(QLatin1String("max")))));
    row("Applies", applies(s));
    if (s.contains(QLatin1String("readOnlyReason")))
        row("Read-only", oneLine(s.value(QLatin1String("readOnlyReason")).toString()));
    row("Description", oneLine(cellText(s.value(QLatin1String("description")))));
    return table.render();
}

QString renderSettingsDiff(const QJsonArray &changes)
{
    Table table({QStringLiteral("KEY"), QStringLiteral("DEFAULT"), QStringLiteral("VALUE"), QStringLiteral("SOURCE")});
    for (const QJsonValue &v : changes) {
        const QJsonObject c = v.toObject();
        QString value = valueText(c.value(QLatin1String("value")));
        if (c.value(QLatin1String("pending")).toBool())
            value += QStringLiteral(" (in force: %1)").arg(valueText(c.value(QLatin1String("effective"))));
        table.addRow({oneLine(c.value(QLatin1String("key")).toString()), valueText(c.value(QLatin1String("default"))), value,
                      cellText(c.value(QLatin1String("source")))});
    }
    return table.render();
}

} // namespace Community::Ctl
