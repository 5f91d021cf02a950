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

#include "community/result.h"

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

class ConfigReader {
public:
    ConfigReader(QJsonObject object, QString path);

    QString string(const QString &key, const QString &def = {});
    qint64 integer(const QString &key, qint64 def, qint64 min, qint64 max);
    bool boolean(const QString &key, bool def);
    QStringList stringList(const QString &key, const QStringList &def = {});
    Secret secret(const QString &key);
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
    QJsonObject m_object;
    QString m_path;
    QSet<QString> m_known;
    QList<FieldError> m_errors;
};

class Config {
public:
    /// Loads `file` (may be empty: defaults only), applies environment overrides, then
    /// `sets` ("a.b.c=value"). Errors name the file, the line or the variable.
    static Result<Config> load(const QString &file, const QProcessEnvironment &env,
                               const QStringList &sets);
    static Result<Config> fromJson(const QJsonObject &root) { Config c; c.m_root = root; return c; }

    const QJsonObject &root() const { return m_root; }
    /// Subtree at a dotted path ("plugins.auth"); empty object when absent.
    QJsonObject subtree(const QString &dottedPath) const;

private:
    QJsonObject m_root;
};

/// Formats config errors as one line per field ("http.port: must be ...").
QString formatErrors(const Error &e);

} // namespace Community
