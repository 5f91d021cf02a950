// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/settings.h"

#include "community/config.h"

#include <QJsonArray>

namespace Community {

namespace {

thread_local SettingsRegistry *t_current = nullptr;

QString lower(const QString &key)
{
    return key.toLower();
}

/// The value at a dotted path of `root`, keys matched case-insensitively (as ConfigReader does).
QJsonValue valueAt(const QJsonObject &root, const QString &key)
{
    QJsonValue cur = root;
    for (const QString &part : key.split(QLatin1Char('.'))) {
        const QJsonObject o = cur.toObject();
        QJsonValue next = o.value(part);
        if (next.isUndefined()) {
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (it.key().compare(part, Qt::CaseInsensitive) == 0) {
                    next = it.value();
                    break;
                }
            }
        }
        if (next.isUndefined())
            return QJsonValue(QJsonValue::Undefined);
        cur = next;
    }
    return cur;
}

} // namespace

QJsonObject SettingState::toJson() const
{
    QJsonObject o{{QStringLiteral("key"), spec.key},
                  {QStringLiteral("type"), spec.type},
                  {QStringLiteral("description"), spec.description},
                  {QStringLiteral("value"), value.isUndefined() ? QJsonValue() : value},
                  {QStringLiteral("effective"), effective.isUndefined() ? QJsonValue() : effective},
                  {QStringLiteral("source"), source},
                  {QStringLiteral("live"), live},
                  {QStringLiteral("pending"), pending},
                  {QStringLiteral("restartRequired"), !live},
                  {QStringLiteral("readOnly"), !readOnlyReason.isEmpty()},
                  {QStringLiteral("secret"), spec.type == QLatin1String("secret")}};
    if (spec.type != QLatin1String("secret"))
        o.insert(QStringLiteral("default"), spec.defaultValue.isUndefined() ? QJsonValue() : spec.defaultValue);
    if (spec.type == QLatin1String("integer")) {
        o.insert(QStringLiteral("min"), spec.min);
        o.insert(QStringLiteral("max"), spec.max);
    }
    if (!readOnlyReason.isEmpty())
        o.insert(QStringLiteral("readOnlyReason"), readOnlyReason);
    return o;
}

void SettingsRegistry::declare(const SettingSpec &spec, const QJsonValue &effective)
{
    std::lock_guard lock(m_mutex);
    const QString k = lower(spec.key);
    if (m_entries.count(k))
        return;
    Entry e;
    e.spec = spec;
    e.effective = effective;
    if (spec.type != QLatin1String("secret")) {
        e.fileValue = valueAt(m_file, spec.key);
        e.runtimeValue = m_runtime.contains(k) ? m_runtime.value(k) : QJsonValue(QJsonValue::Undefined);
    } else {
        e.fileValue = valueAt(m_file, spec.key).isUndefined() && valueAt(m_file, spec.key + QStringLiteral("File")).isUndefined()
                          ? QJsonValue(QJsonValue::Undefined) : QJsonValue(true);
    }
    e.override = m_overrides.value(k);
    if (e.override.isEmpty() && spec.type == QLatin1String("secret"))
        e.override = m_overrides.value(k + QStringLiteral("file"));
    m_entries.emplace(k, std::move(e));
}

Result<void> SettingsRegistry::watch(const QString &key, Apply apply)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_entries.find(lower(key));
    if (it == m_entries.end())
        return fail(ErrorCode::Config, QStringLiteral("setting %1 is watched but was never read").arg(key));
    it->second.apply = std::move(apply);
    return {};
}

void SettingsRegistry::setLayers(const QJsonObject &file, const QHash<QString, QJsonValue> &runtime,
                                 const QHash<QString, QString> &overrides)
{
    std::lock_guard lock(m_mutex);
    m_file = file;
    m_runtime.clear();
    for (auto it = runtime.begin(); it != runtime.end(); ++it)
        m_runtime.insert(lower(it.key()), it.value());
    m_overrides = overrides;
}

void SettingsRegistry::setReadOnly(const QString &prefix, const QString &reason)
{
    std::lock_guard lock(m_mutex);
    m_readOnly.append({lower(prefix), reason});
}

QString SettingsRegistry::readOnlyReason(const Entry &e) const
{
    if (e.spec.type == QLatin1String("secret"))
        return QStringLiteral("a secret: give it in the configuration file or the environment (%1File for a file), "
                              "it is never stored in the database").arg(e.spec.key.section(QLatin1Char('.'), -1));
    if (!e.override.isEmpty())
        return QStringLiteral("set by %1").arg(e.override);
    const QString k = lower(e.spec.key);
    for (const auto &[prefix, reason] : m_readOnly) {
        if (k == prefix || k.startsWith(prefix + QLatin1Char('.')))
            return reason;
    }
    return {};
}

QJsonValue SettingsRegistry::configured(const Entry &e) const
{
    if (!e.override.isEmpty() || e.spec.type == QLatin1String("secret"))
        return e.effective;   // read at startup and cannot change at runtime
    if (!e.runtimeValue.isUndefined())
        return e.runtimeValue;
    if (!e.fileValue.isUndefined() && !e.fileValue.isNull()) {
        // Normalised the way the reader saw it (a comma-separated list, an integer).
        if (auto v = validate(e.spec, e.fileValue))
            return *v;
    }
    return e.spec.defaultValue;
}

SettingState SettingsRegistry::stateOf(const Entry &e) const
{
    SettingState s;
    s.spec = e.spec;
    s.effective = e.effective;
    s.value = configured(e);
    s.live = bool(e.apply);
    s.readOnlyReason = readOnlyReason(e);
    if (!e.override.isEmpty())
        s.source = e.override.startsWith(QLatin1String("environment")) ? QStringLiteral("environment") : QStringLiteral("flag");
    else if (!e.runtimeValue.isUndefined())
        s.source = QStringLiteral("runtime");
    else if (!e.fileValue.isUndefined())
        s.source = QStringLiteral("file");
    else
        s.source = QStringLiteral("default");
    s.pending = s.value != s.effective;
    return s;
}

std::optional<SettingState> SettingsRegistry::state(const QString &key) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_entries.find(lower(key));
    if (it == m_entries.end())
        return std::nullopt;
    return stateOf(it->second);
}

QList<SettingState> SettingsRegistry::states() const
{
    std::lock_guard lock(m_mutex);
    QList<SettingState> out;
    out.reserve(qsizetype(m_entries.size()));
    for (const auto &[k, e] : m_entries)
        out.append(stateOf(e));
    return out;
}

QJsonObject SettingsRegistry::runtimeLayer() const
{
    std::lock_guard lock(m_mutex);
    QJsonObject out;
    for (const auto &[k, e] : m_entries) {
        if (!e.runtimeValue.isUndefined())
            out.insert(e.spec.key, e.runtimeValue);
    }
    return out;
}

Result<QJsonValue> SettingsRegistry::validate(const SettingSpec &spec, const QJsonValue &value)
{
    // The startup rules, by the startup code: the same reader on a one-key object gives the
    // same message and code, under the same field name.
    const int dot = int(spec.key.lastIndexOf(QLatin1Char('.')));
    const QString parent = dot < 0 ? QString() : spec.key.left(dot);
    const QString leaf = spec.key.mid(dot + 1);
    const Scope none(nullptr);
    ConfigReader r(QJsonObject{{leaf, value}}, parent);
    QJsonValue out;
    if (spec.type == QLatin1String("integer"))
        out = double(r.integer(leaf, qint64(spec.defaultValue.toDouble()), qint64(spec.min.toDouble()), qint64(spec.max.toDouble())));
    else if (spec.type == QLatin1String("boolean"))
        out = r.boolean(leaf, spec.defaultValue.toBool());
    else if (spec.type == QLatin1String("string"))
        out = r.string(leaf, spec.defaultValue.toString());
    else if (spec.type == QLatin1String("stringList"))
        out = QJsonArray::fromStringList(r.stringList(leaf));
    else
        return fail(ErrorCode::InvalidArgument, QStringLiteral("%1 cannot be set at runtime").arg(spec.key));
    if (auto f = r.finish(); !f)
        return tl::unexpected(f.error());
    return out;
}

Result<QJsonValue> SettingsRegistry::validate(const QString &key, const QJsonValue &value) const
{
    auto fieldError = [&key](const QString &message, const QString &code) -> Result<QJsonValue> {
        Error e = Error::make(ErrorCode::InvalidArgument, QStringLiteral("invalid setting"));
        e.fields.append(FieldError{key, message, code});
        return tl::unexpected(e);
    };
    SettingSpec spec;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_entries.find(lower(key));
        if (it == m_entries.end())
            return fieldError(QStringLiteral("unknown key"), QStringLiteral("unknown"));
        const QString why = readOnlyReason(it->second);
        if (!why.isEmpty())
            return fieldError(QStringLiteral("read-only: %1").arg(why), QStringLiteral("read_only"));
        spec = it->second.spec;
    }
    if (value.isUndefined() || value.isNull())
        return fieldError(QStringLiteral("a value is required (remove the runtime value to go back to the file's or the default)"),
                          QStringLiteral("required"));
    auto v = validate(spec, value);
    if (!v) {
        Error e = v.error();
        e.code = ErrorCode::InvalidArgument;
        e.message = QStringLiteral("invalid setting");
        return tl::unexpected(e);
    }
    return v;
}

void SettingsRegistry::runtimeChanged(const QString &key, const QJsonValue &value)
{
    Apply apply;
    QJsonValue now;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_entries.find(lower(key));
        if (it == m_entries.end())
            return;
        Entry &e = it->second;
        e.runtimeValue = value;
        if (value.isUndefined())
            m_runtime.remove(lower(key));
        else
            m_runtime.insert(lower(key), value);
        if (!e.apply || !e.override.isEmpty())
            return;   // pending until the next start (or an override hides it anyway)
        now = configured(e);
        e.effective = now;
        apply = e.apply;
    }
    apply(now);
}

SettingsRegistry::Scope::Scope(SettingsRegistry *registry) : m_previous(t_current)
{
    t_current = registry;
}

SettingsRegistry::Scope::~Scope()
{
    t_current = m_previous;
}

SettingsRegistry *SettingsRegistry::current()
{
    return t_current;
}

} // namespace Community
