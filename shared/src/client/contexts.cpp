// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/client/contexts.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

namespace Community::Client {

namespace {

constexpr qint64 kMaxFileBytes = 1024 * 1024;

bool validServer(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty()
           && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
           && url.userInfo().isEmpty() && (url.path().isEmpty() || url.path() == QLatin1String("/"))
           && !url.hasQuery() && !url.hasFragment();
}

QJsonObject toJson(const Context &c)
{
    QJsonObject o{{QStringLiteral("name"), c.name}, {QStringLiteral("server"), c.server.toString()}};
    if (!c.token.isEmpty())
        o.insert(QStringLiteral("token"), c.token);
    if (!c.tokenFile.isEmpty())
        o.insert(QStringLiteral("tokenFile"), c.tokenFile);
    return o;
}

} // namespace

QString Context::credentialSummary() const
{
    if (!token.isEmpty())
        return QStringLiteral("token");
    if (!tokenFile.isEmpty())
        return QStringLiteral("token file %1").arg(tokenFile);
    return QStringLiteral("none");
}

QString ContextStore::defaultPath()
{
    const QString explicitPath = qEnvironmentVariable("COMMUNITY_CONTEXTS");
    if (!explicitPath.isEmpty())
        return explicitPath;
    QString base = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (base.isEmpty() || !QDir::isAbsolutePath(base))
        base = QDir::homePath() + QStringLiteral("/.config");
    return base + QStringLiteral("/community/contexts.json");
}

ContextStore::ContextStore(QString path)
    : m_path(std::move(path))
{
}

bool ContextStore::validName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    return re.match(name).hasMatch();
}

Result<void> ContextStore::load()
{
    m_current.clear();
    m_contexts.clear();
    QFile f(m_path);
    if (!f.exists())
        return {};
    const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther;
    if (f.permissions() & others)
        return fail(ErrorCode::Config, QStringLiteral("%1 holds tokens but others may read or change it; "
                                                      "run: chmod 600 %1").arg(m_path));
    if (!f.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Config, QStringLiteral("cannot read %1: %2").arg(m_path, f.errorString()));
    if (f.size() > kMaxFileBytes)
        return fail(ErrorCode::Config, QStringLiteral("%1 is larger than 1 MiB").arg(m_path));
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(ErrorCode::Config, QStringLiteral("%1 is not a JSON object (%2)").arg(m_path, pe.errorString()));
    const QJsonObject root = doc.object();
    for (const QJsonValue &v : root.value(QStringLiteral("contexts")).toArray()) {
        const QJsonObject o = v.toObject();
        Context c{o.value(QStringLiteral("name")).toString(),
                  QUrl(o.value(QStringLiteral("server")).toString(), QUrl::StrictMode),
                  o.value(QStringLiteral("token")).toString(), o.value(QStringLiteral("tokenFile")).toString()};
        if (!validName(c.name) || !validServer(c.server) || find(c.name))
            return fail(ErrorCode::Config, QStringLiteral("%1: context \"%2\" has a bad or repeated name or server")
                                               .arg(m_path, c.name.left(64)));
        m_contexts.append(c);
    }
    m_current = root.value(QStringLiteral("current")).toString();
    if (!m_current.isEmpty() && !find(m_current))
        m_current.clear();   // a dangling "current" is no context rather than an error
    return {};
}

Result<void> ContextStore::save() const
{
    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath()))
        return fail(ErrorCode::Config, QStringLiteral("cannot create %1").arg(info.absolutePath()));
    QFile::setPermissions(info.absolutePath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QJsonArray list;
    for (const Context &c : m_contexts)
        list.append(toJson(c));
    QJsonObject root{{QStringLiteral("contexts"), list}};
    if (!m_current.isEmpty())
        root.insert(QStringLiteral("current"), m_current);
    QSaveFile f(m_path);
    // The temporary file gets 0600 before a byte is written, so no token is ever readable by others.
    if (!f.open(QIODevice::WriteOnly) || !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return fail(ErrorCode::Config, QStringLiteral("cannot write %1: %2").arg(m_path, f.errorString()));
    f.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!f.commit())
        return fail(ErrorCode::Config, QStringLiteral("cannot write %1: %2").arg(m_path, f.errorString()));
    return {};
}

std::optional<Context> ContextStore::find(const QString &name) const
{
    for (const Context &c : m_contexts) {
        if (c.name == name)
            return c;
    }
    return std::nullopt;
}

Result<void> ContextStore::put(const Context &context)
{
    if (!validName(context.name))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("a context name is 1 to 64 letters, digits, '.', '_' or '-'"));
    if (!validServer(context.server))
        return fail(ErrorCode::InvalidArgument, QStringLiteral("the server must be http(s)://HOST[:PORT]"));
    for (Context &c : m_contexts) {
        if (c.name == context.name) {
            c = context;
            return {};
        }
    }
    m_contexts.append(context);
    return {};
}

Result<void> ContextStore::remove(const QString &name)
{
    for (qsizetype i = 0; i < m_contexts.size(); ++i) {
        if (m_contexts[i].name == name) {
            m_contexts.removeAt(i);
            if (m_current == name)
                m_current.clear();
            return {};
        }
    }
    return fail(ErrorCode::NotFound, QStringLiteral("no context named \"%1\"").arg(name));
}

Result<void> ContextStore::use(const QString &name)
{
    if (!find(name))
        return fail(ErrorCode::NotFound, QStringLiteral("no context named \"%1\"").arg(name));
    m_current = name;
    return {};
}

} // namespace Community::Client
