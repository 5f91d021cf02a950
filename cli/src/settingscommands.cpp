// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "settingscommands.h"

#include "settingsviews.h"

#include "community/client/endpoints.h"

#include <CLI/CLI.hpp>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace Community::Ctl {

namespace Endpoints = Client::Endpoints;

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QString compact(const QJsonValue &v)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

void addSafety(CLI::App *command, Safety &safety)
{
    command->add_flag("--dry-run", safety.dryRun, "Have the server validate the change; nothing is written");
    command->add_flag("-y,--yes", safety.yes, "Do not ask for confirmation");
}

} // namespace

QJsonValue SettingsCommands::parseValue(const QString &text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error == QJsonParseError::NoError && doc.array().size() == 1)
        return doc.array().at(0);
    return text;
}

void SettingsCommands::addTo(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *settings = app.add_subcommand("settings", "Runtime settings: every configuration key, its source, live or restart");
    settings->require_subcommand(1);
    auto *get = settings->add_subcommand("get", "Every key (or one): value, source, whether it applies without restart");
    get->add_option("key", o.key, "A dotted key, e.g. plugins.admin.claimMinutes");
    get->add_option("--prefix", o.prefix, "Only keys starting with this");
    get->callback([this, &action] { action = [this] { return this->get(); }; });
    auto *set = settings->add_subcommand("set", "Store a runtime value (validated as at startup; audited)");
    set->add_option("key", o.key, "A dotted key")->required();
    set->add_option("value", o.value, "The value: JSON when it parses (5, true, [\"a\"]), else a string")->required();
    set->add_option("--reason", o.reason, "Why (kept in the audit log)");
    addSafety(set, o.safety);
    set->callback([this, &action] { action = [this] { return this->set(); }; });
    auto *reset = settings->add_subcommand("reset", "Remove the runtime value: the file's value or the default returns");
    reset->add_option("key", o.key, "A dotted key")->required();
    addSafety(reset, o.safety);
    reset->callback([this, &action] { action = [this] { return this->reset(); }; });
    settings->add_subcommand("diff", "Keys whose value is not the default")->callback([this, &action] {
        action = [this] { return diff(); };
    });
    auto *exp = settings->add_subcommand("export", "The runtime layer as JSON (for import elsewhere)");
    exp->add_option("--file", o.file, "Write it to this file instead of stdout");
    exp->callback([this, &action] { action = [this] { return exportLayer(); }; });
    auto *imp = settings->add_subcommand("import", "Set the keys of an export; all or nothing (an unknown key writes nothing)");
    imp->add_option("file", o.file, "A file written by `settings export`")->required()->check(CLI::ExistingFile);
    imp->add_option("--reason", o.reason, "Why (kept in the audit log)");
    addSafety(imp, o.safety);
    imp->callback([this, &action] { action = [this] { return importLayer(); }; });
}

int SettingsCommands::get()
{
    if (!m_options.key.empty())
        return printReply(client().send(Endpoints::setting(q(m_options.key))), renderSetting);
    return printReply(client().send(Endpoints::settings(q(m_options.prefix))), [](const QJsonObject &json) {
        return renderSettings(json.value(QLatin1String("settings")).toArray());
    });
}

SettingsCommands::Planned SettingsCommands::planOn(const QString &key, const QString &action, const std::function<Planned(Plan &)> &describe)
{
    const auto [current, code] = fetchObject(Endpoints::setting(key));
    if (!current)
        return {std::nullopt, code};
    Plan plan;
    plan.action = action;
    plan.current = *current;
    return describe(plan);
}

int SettingsCommands::set()
{
    const QString key = q(m_options.key);
    const QJsonValue value = parseValue(q(m_options.value));
    const QString reason = q(m_options.reason);
    auto describe = [&](Plan &plan) -> Planned {
        // The server checks the value with the startup rules; nothing is written.
        const auto [checked, code] = fetchObject(Endpoints::setSetting(key, value, reason, true));
        if (!checked)
            return {std::nullopt, code};
        const QJsonValue from = plan.current.value(QLatin1String("value"));
        const QJsonValue to = checked->value(QLatin1String("value"));
        const bool live = checked->value(QLatin1String("live")).toBool();
        plan.change = QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("from"), from},
                                  {QStringLiteral("to"), to}, {QStringLiteral("live"), live}};
        plan.description = QStringLiteral("set %1: %2 -> %3 (%4)")
                               .arg(plan.current.value(QLatin1String("key")).toString(), compact(from), compact(to),
                                    live ? QStringLiteral("applies at once") : QStringLiteral("restart required"));
        return {plan, ExitOk};
    };
    return destructive(
        m_options.safety, [&] { return planOn(key, QStringLiteral("set"), describe); },
        [&] { return printReply(client().send(Endpoints::setSetting(key, value, reason, false)), renderSetting); });
}

int SettingsCommands::reset()
{
    const QString key = q(m_options.key);
    auto describe = [&](Plan &plan) -> Planned {
        const QString name = plan.current.value(QLatin1String("key")).toString();
        const QJsonValue from = plan.current.value(QLatin1String("value"));
        plan.change = QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("from"), from}};
        plan.description = plan.current.value(QLatin1String("source")).toString() == QLatin1String("runtime")
                               ? QStringLiteral("remove the runtime value of %1 (%2)").arg(name, compact(from))
                               : QStringLiteral("leave %1 as it is (no runtime value)").arg(name);
        return {plan, ExitOk};
    };
    return destructive(
        m_options.safety, [&] { return planOn(key, QStringLiteral("reset"), describe); },
        [&] { return printReply(client().send(Endpoints::resetSetting(key)), renderSetting); });
}

int SettingsCommands::diff()
{
    return printReply(client().send(Endpoints::settingsDiff()), [](const QJsonObject &json) {
        return renderSettingsDiff(json.value(QLatin1String("changes")).toArray());
    });
}

int SettingsCommands::exportLayer()
{
    const auto [layer, code] = fetchObject(Endpoints::exportSettings());
    if (!layer)
        return code;
    const QByteArray text = QJsonDocument(*layer).toJson(QJsonDocument::Indented);
    if (m_options.file.empty()) {
        print(QString::fromUtf8(text));
        return ExitOk;
    }
    QSaveFile f(q(m_options.file));
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size() || !f.commit()) {
        note(QStringLiteral("cannot write %1: %2").arg(q(m_options.file), f.errorString()));
        return ExitUsage;
    }
    note(QStringLiteral("%1 keys written to %2").arg(layer->value(QLatin1String("settings")).toObject().size()).arg(q(m_options.file)));
    return ExitOk;
}

int SettingsCommands::importLayer()
{
    QFile f(q(m_options.file));
    if (!f.open(QIODevice::ReadOnly)) {
        note(QStringLiteral("cannot read %1: %2").arg(q(m_options.file), f.errorString()));
        return ExitUsage;
    }
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject() || !doc.object().value(QLatin1String("settings")).isObject()) {
        note(QStringLiteral("%1: not a settings export ({\"settings\": {key: value}})").arg(q(m_options.file)));
        return ExitUsage;
    }
    const QJsonObject settings = doc.object().value(QLatin1String("settings")).toObject();
    const QString reason = q(m_options.reason);
    return destructive(
        m_options.safety,
        [&]() -> Planned {
            // All or nothing on the server too: the dry run names every bad key.
            const auto [checked, code] = fetchObject(Endpoints::importSettings(settings, reason, true));
            if (!checked)
                return {std::nullopt, code};
            QStringList keys;
            for (const QJsonValue &k : checked->value(QLatin1String("changed")).toArray())
                keys << k.toString();
            Plan plan;
            plan.action = QStringLiteral("import");
            plan.change = QJsonObject{{QStringLiteral("changed"), checked->value(QLatin1String("changed"))}};
            plan.description = keys.isEmpty() ? QStringLiteral("import %1: nothing changes").arg(q(m_options.file))
                                              : QStringLiteral("import %1: set %2").arg(q(m_options.file), keys.join(QStringLiteral(", ")));
            return {plan, ExitOk};
        },
        [&] {
            return printReply(client().send(Endpoints::importSettings(settings, reason, false)), [](const QJsonObject &json) {
                return QStringLiteral("%1 keys changed\n").arg(json.value(QLatin1String("changed")).toArray().size());
            });
        });
}

} // namespace Community::Ctl
