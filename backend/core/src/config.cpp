// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/config.h"

#include "community/settings.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace Community {

namespace {

FieldError fieldError(const QString &path, const QString &message, const QString &code)
{
    return FieldError{path, message, code};
}

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("boolean");
    case QJsonValue::Double: return QStringLiteral("number");
    case QJsonValue::String: return QStringLiteral("string");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Object: return QStringLiteral("object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("undefined");
}

// Finds `key` in `obj` ignoring case, so that environment variables (which cannot
// carry camelCase reliably) map onto existing keys; new keys are inserted as given.
QString matchKey(const QJsonObject &obj, const QString &key)
{
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (it.key().compare(key, Qt::CaseInsensitive) == 0)
            return it.key();
    }
    return key;
}

QJsonObject setPath(QJsonObject obj, const QStringList &parts, int i, const QJsonValue &value,
                    bool caseInsensitive)
{
    const QString key = caseInsensitive ? matchKey(obj, parts[i]) : parts[i];
    if (i == parts.size() - 1) {
        obj.insert(key, value);
        return obj;
    }
    QJsonObject child = obj.value(key).toObject();
    obj.insert(key, setPath(child, parts, i + 1, value, caseInsensitive));
    return obj;
}

QJsonValue parseScalar(const QString &text)
{
    QJsonParseError err{};
    const QByteArray wrapped = "[" + text.toUtf8() + "]";
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &err);
    if (err.error == QJsonParseError::NoError && doc.isArray() && doc.array().size() == 1)
        return doc.array().at(0);
    return QJsonValue(text);
}

} // namespace

ConfigReader::ConfigReader(QJsonObject object, QString path)
    : m_registry(SettingsRegistry::current())
    , m_object(std::move(object))
    , m_path(std::move(path))
{
}

void ConfigReader::declare(const QString &key, const QString &type, const QJsonValue &def, const QJsonValue &value,
                           const QString &description, const QJsonValue &min, const QJsonValue &max)
{
    if (!m_registry || !m_declaring)
        return;
    m_registry->declare(SettingSpec{full(key), type, def, min, max, description}, value);
}

// Keys match case-insensitively: environment overrides arrive lower-cased.
QJsonValue ConfigReader::get(const QString &key) const
{
    const QJsonValue v = m_object.value(key);
    if (!v.isUndefined())
        return v;
    return m_object.value(matchKey(m_object, key));
}

QString ConfigReader::full(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + QLatin1Char('.') + key;
}

QString ConfigReader::string(const QString &key, const QString &def, const QString &description)
{
    m_known.insert(key.toLower());
    const QJsonValue v = get(key);
    QString out = def;
    if (!v.isUndefined() && !v.isNull()) {
        if (v.isString())
            out = v.toString();
        else
            m_errors.append(fieldError(full(key), QStringLiteral("must be a string, not %1").arg(typeName(v)), QStringLiteral("type")));
    }
    declare(key, QStringLiteral("string"), def, out, description);
    return out;
}

qint64 ConfigReader::integer(const QString &key, qint64 def, qint64 min, qint64 max, const QString &description)
{
    const qint64 out = readInteger(key, def, min, max);
    declare(key, QStringLiteral("integer"), double(def), double(out), description, double(min), double(max));
    return out;
}

qint64 ConfigReader::readInteger(const QString &key, qint64 def, qint64 min, qint64 max)
{
    m_known.insert(key.toLower());
    const QJsonValue v = get(key);
    if (v.isUndefined() || v.isNull())
        return def;
    const double d = v.toDouble();
    if (!v.isDouble() || d != double(qint64(d))) {
        m_errors.append(fieldError(full(key), QStringLiteral("must be an integer"), QStringLiteral("type")));
        return def;
    }
    const qint64 n = qint64(d);
    if (n < min || n > max) {
        m_errors.append(fieldError(full(key), QStringLiteral("must be between %1 and %2, got %3").arg(min).arg(max).arg(n),
                                   QStringLiteral("range")));
        return def;
    }
    return n;
}

bool ConfigReader::boolean(const QString &key, bool def, const QString &description)
{
    m_known.insert(key.toLower());
    const QJsonValue v = get(key);
    bool out = def;
    if (!v.isUndefined() && !v.isNull()) {
        if (v.isBool())
            out = v.toBool();
        else
            m_errors.append(fieldError(full(key), QStringLiteral("must be true or false"), QStringLiteral("type")));
    }
    declare(key, QStringLiteral("boolean"), def, out, description);
    return out;
}

QStringList ConfigReader::stringList(const QString &key, const QStringList &def, const QString &description)
{
    const QStringList out = readStringList(key, def);
    declare(key, QStringLiteral("stringList"), QJsonArray::fromStringList(def), QJsonArray::fromStringList(out), description);
    return out;
}

QStringList ConfigReader::readStringList(const QString &key, const QStringList &def)
{
    m_known.insert(key.toLower());
    const QJsonValue v = get(key);
    if (v.isUndefined() || v.isNull())
        return def;
    // A comma-separated string is accepted too: it is what an environment variable carries.
    if (v.isString())
        return v.toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (!v.isArray()) {
        m_errors.append(fieldError(full(key), QStringLiteral("must be an array of strings"), QStringLiteral("type")));
        return def;
    }
    QStringList out;
    for (const QJsonValue &e : v.toArray()) {
        if (!e.isString()) {
            m_errors.append(fieldError(full(key), QStringLiteral("must be an array of strings"), QStringLiteral("type")));
            return def;
        }
        out.append(e.toString());
    }
    return out;
}

Secret ConfigReader::secret(const QString &key, const QString &description)
{
    Secret out = readSecret(key);
    // The registry learns whether it is set, never the value (nor the file's path).
    declare(key, QStringLiteral("secret"), QJsonValue(), !out.isEmpty(), description);
    return out;
}

Secret ConfigReader::readSecret(const QString &key)
{
    const QString fileKey = key + QStringLiteral("File");
    m_declaring = false;
    const QString direct = string(key);
    const QString file = string(fileKey);
    m_declaring = true;
    if (!direct.isEmpty() && !file.isEmpty()) {
        m_errors.append(fieldError(full(key), QStringLiteral("give either %1 or %2, not both").arg(key, fileKey),
                                   QStringLiteral("conflict")));
        return {};
    }
    if (!file.isEmpty()) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            m_errors.append(fieldError(full(fileKey), QStringLiteral("cannot read %1: %2").arg(file, f.errorString()),
                                       QStringLiteral("file")));
            return {};
        }
        return Secret(QString::fromUtf8(f.readAll()).trimmed());
    }
    return Secret(direct);
}

ConfigReader ConfigReader::child(const QString &key)
{
    m_known.insert(key.toLower());
    const QJsonValue v = get(key);
    if (!v.isUndefined() && !v.isNull() && !v.isObject())
        m_errors.append(fieldError(full(key), QStringLiteral("must be an object"), QStringLiteral("type")));
    return ConfigReader(v.toObject(), full(key));
}

void ConfigReader::accept(const QString &key)
{
    m_known.insert(key.toLower());
}

Result<void> ConfigReader::finish()
{
    QList<FieldError> errors = m_errors;
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!m_known.contains(it.key().toLower()))
            errors.append(fieldError(full(it.key()), QStringLiteral("unknown key"), QStringLiteral("unknown")));
    }
    if (errors.isEmpty())
        return {};
    Error e = Error::make(ErrorCode::Config, QStringLiteral("invalid configuration"));
    e.fields = errors;
    return tl::unexpected(e);
}

Result<Config> Config::load(const QString &file, const QProcessEnvironment &env, const QStringList &sets,
                            const QHash<QString, QJsonValue> &runtime)
{
    QHash<QString, QString> overrides;
    QJsonObject root;
    if (!file.isEmpty()) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return fail(ErrorCode::Config, QStringLiteral("cannot read config file %1: %2").arg(file, f.errorString()));
        const QByteArray data = f.readAll();
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(data, &err);
        if (err.error != QJsonParseError::NoError) {
            const int line = int(data.left(err.offset).count('\n')) + 1;
            return fail(ErrorCode::Config, QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(err.errorString()));
        }
        if (!doc.isObject())
            return fail(ErrorCode::Config, QStringLiteral("%1: the top level must be a JSON object").arg(file));
        root = doc.object();
    }
    const QJsonObject fileRoot = root;
    // Runtime values (the settings API) sit between the file and the environment; keys
    // match the file's case-insensitively, so an environment variable still wins.
    QStringList runtimeKeys = runtime.keys();
    runtimeKeys.sort();
    for (const QString &key : std::as_const(runtimeKeys)) {
        const QStringList parts = key.split(QLatin1Char('.'));
        if (!parts.contains(QString()))
            root = setPath(root, parts, 0, runtime.value(key), true);
    }

    const QString prefix = QStringLiteral("COMMUNITY_");
    QStringList keys = env.keys();
    keys.sort();  // deterministic when two variables name the same key
    for (const QString &name : std::as_const(keys)) {
        if (!name.startsWith(prefix))
            continue;
        const QString rest = name.mid(prefix.size());
        if (!rest.contains(QStringLiteral("__")))
            continue;  // COMMUNITY_SERVER, COMMUNITY_TOKEN etc. belong to the tools
        const QStringList parts = rest.toLower().split(QStringLiteral("__"));
        if (parts.contains(QString()))
            return fail(ErrorCode::Config, QStringLiteral("environment variable %1: empty key").arg(name));
        root = setPath(root, parts, 0, parseScalar(env.value(name)), true);
        overrides.insert(parts.join(QLatin1Char('.')), QStringLiteral("environment variable ") + name);
    }

    for (const QString &set : sets) {
        const int eq = set.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return fail(ErrorCode::Config, QStringLiteral("--set %1: expected key.path=value").arg(set));
        const QStringList parts = set.left(eq).split(QLatin1Char('.'));
        if (parts.contains(QString()))
            return fail(ErrorCode::Config, QStringLiteral("--set %1: empty key").arg(set));
        root = setPath(root, parts, 0, parseScalar(set.mid(eq + 1)), false);
        overrides.insert(parts.join(QLatin1Char('.')).toLower(), QStringLiteral("--set flag"));
    }
    Config c;
    c.m_root = root;
    c.m_file = fileRoot;
    c.m_overrides = overrides;
    return c;
}

QJsonObject Config::subtree(const QString &dottedPath) const
{
    QJsonObject cur = m_root;
    for (const QString &part : dottedPath.split(QLatin1Char('.'), Qt::SkipEmptyParts))
        cur = cur.value(part).toObject();
    return cur;
}

QString formatErrors(const Error &e)
{
    if (e.fields.isEmpty())
        return e.message;
    QStringList lines;
    for (const auto &f : e.fields)
        lines.append(f.field + QStringLiteral(": ") + f.message);
    return e.message + QStringLiteral(":\n  ") + lines.join(QStringLiteral("\n  "));
}

} // namespace Community
