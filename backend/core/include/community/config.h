// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Configuration: one JSON file + COMMUNITY_* environment overrides + --set flags.
/// Environment: COMMUNITY_<SECTION>__<KEY>=value (double underscore between levels,
/// case-insensitive against existing keys, e.g. COMMUNITY_HTTP__PORT=9000,
/// COMMUNITY_DATABASE__URL=...). Values are parsed as JSON when they parse, else strings.
/// Each consumer reads its own subtree with ConfigReader, which records type errors and
/// rejects unknown keys with their full path. Secrets: a key "x" may instead be given as
/// "xFile" (path to a file holding the value); secret values are never logged.
/// Every key a ConfigReader reads is also declared (type, default, limits, description,
/// value) into the SettingsRegistry current on the thread (community/settings.h), which is
/// how the runtime settings API knows every key without a second list.

#include "community/result.h"

#include <QHash>
#include <QJsonValue>

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSet>
#include <QStringList>

namespace Community {

/// A value that must never reach a log.
class Secret {
public:
    Secret() = default;
    explicit Secret(QString v) : m_value(std::move(v)) {}
    const QString &reveal() const { return m_value; }
    bool isEmpty() const { return m_value.isEmpty(); }
    QString toString() const { return m_value.isEmpty() ? QString() : QStringLiteral("***"); }
private:
    QString m_value;
};

class SettingsRegistry;

class ConfigReader {
public:
    /// Declares into SettingsRegistry::current() (none outside the host's startup).
    ConfigReader(QJsonObject object, QString path);

    /// `description` is what the settings registry shows for the key.
    QString string(const QString &key, const QString &def = {}, const QString &description = {});
    qint64 integer(const QString &key, qint64 def, qint64 min, qint64 max, const QString &description = {});
    bool boolean(const QString &key, bool def, const QString &description = {});
    QStringList stringList(const QString &key, const QStringList &def = {}, const QString &description = {});
    /// Shown by the registry as set/unset only; never stored at runtime.
    Secret secret(const QString &key, const QString &description = {});
    /// A nested object read by its own reader; call finish() on it too.
    ConfigReader child(const QString &key);
    /// Marks a key as known without reading it (e.g. a subtree handed on).
    void accept(const QString &key);

    /// Errors so far, plus every key that was never read, each named by full path.
    Result<void> finish();
    QString path() const { return m_path; }

private:
    QString full(const QString &key) const;
    QJsonValue get(const QString &key) const;
    qint64 readInteger(const QString &key, qint64 def, qint64 min, qint64 max);
    QStringList readStringList(const QString &key, const QStringList &def);
    Secret readSecret(const QString &key);
    void declare(const QString &key, const QString &type, const QJsonValue &def, const QJsonValue &value,
                 const QString &description, const QJsonValue &min = {}, const QJsonValue &max = {});
    SettingsRegistry *m_registry = nullptr;
    bool m_declaring = true;
    QJsonObject m_object;
    QString m_path;
    QSet<QString> m_known;
    QList<FieldError> m_errors;
};

class Config {
public:
    /// Loads `file` (may be empty: defaults only), applies the `runtime` layer (dotted key →
    /// value, stored by the settings API), then environment overrides, then `sets`
    /// ("a.b.c=value"). Errors name the file, the line or the variable.
    static Result<Config> load(const QString &file, const QProcessEnvironment &env,
                               const QStringList &sets, const QHash<QString, QJsonValue> &runtime = {});
    static Result<Config> fromJson(const QJsonObject &root) { Config c; c.m_root = root; return c; }

    const QJsonObject &root() const { return m_root; }
    /// Subtree at a dotted path ("plugins.auth"); empty object when absent.
    QJsonObject subtree(const QString &dottedPath) const;
    /// The file's object alone (no layer applied).
    const QJsonObject &fileRoot() const { return m_file; }
    /// Keys set by an environment variable or a --set flag (lower-cased dotted key → what
    /// set it: "environment variable COMMUNITY_HTTP__PORT", "--set flag").
    const QHash<QString, QString> &overrides() const { return m_overrides; }

private:
    QJsonObject m_root;
    QJsonObject m_file;
    QHash<QString, QString> m_overrides;
};

/// Formats config errors as one line per field ("http.port: must be ...").
QString formatErrors(const Error &e);

} // namespace Community
