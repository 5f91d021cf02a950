// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/pluginmanager.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QLibrary>
#include <QLoggingCategory>
#include <QPluginLoader>
#include <QRegularExpression>

#include <algorithm>
#include <exception>
#include <map>
#include <set>

namespace Community {

namespace {

Q_LOGGING_CATEGORY(lcPlugins, "community.plugins")

const QRegularExpression &idPattern()
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_-]*$"));
    return re;
}

const QRegularExpression &versionPattern()
{
    static const QRegularExpression re(QStringLiteral("^[0-9]+(\\.[0-9]+){0,3}$"));
    return re;
}

QString quoted(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String: return QLatin1Char('\'') + v.toString() + QLatin1Char('\'');
    case QJsonValue::Undefined: return QStringLiteral("missing");
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return QString::number(v.toDouble());
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    }
    return {};
}

/// Strict "x[.y[.z[.w]]]"; QVersionNumber::fromString alone accepts "1.2-beta".
QVersionNumber parseVersion(const QJsonValue &v, bool *ok)
{
    *ok = v.isString() && versionPattern().match(v.toString()).hasMatch();
    return *ok ? QVersionNumber::fromString(v.toString()) : QVersionNumber();
}

qint64 msSince(const QElapsedTimer &t) { return t.elapsed(); }

} // namespace

QString pluginStateName(PluginState state)
{
    switch (state) {
    case PluginState::Discovered: return QStringLiteral("discovered");
    case PluginState::Resolved: return QStringLiteral("resolved");
    case PluginState::Loaded: return QStringLiteral("loaded");
    case PluginState::Initialized: return QStringLiteral("initialized");
    case PluginState::Running: return QStringLiteral("running");
    case PluginState::Stopped: return QStringLiteral("stopped");
    case PluginState::Failed: return QStringLiteral("failed");
    }
    return QStringLiteral("unknown");
}

// ---------------------------------------------------------------------------------------
// Metadata

Result<PluginMetadata> parsePluginMetadata(const QJsonObject &md, const QString &path)
{
    static const QStringList knownKeys = {QStringLiteral("id"), QStringLiteral("version"),
                                          QStringLiteral("compatVersion"),
                                          QStringLiteral("description"),
                                          QStringLiteral("dependencies")};
    static const QStringList knownDepKeys = {QStringLiteral("id"), QStringLiteral("version"),
                                             QStringLiteral("type")};
    QStringList problems;
    auto problem = [&](const QString &field, const QString &what) {
        problems << QStringLiteral("%1: metadata field '%2': %3").arg(path, field, what);
    };

    PluginMetadata m;
    m.path = path;

    for (auto it = md.begin(); it != md.end(); ++it) {
        if (!knownKeys.contains(it.key()))
            problem(it.key(), QStringLiteral("unknown key (allowed: %1)").arg(knownKeys.join(u", ")));
    }

    const QJsonValue id = md.value(u"id");
    if (!id.isString() || !idPattern().match(id.toString()).hasMatch())
        problem(QStringLiteral("id"), QStringLiteral("%1 is not a valid plugin id (lower-case [a-z][a-z0-9_-]*)").arg(quoted(id)));
    else
        m.id = id.toString();

    bool ok = false;
    const QJsonValue version = md.value(u"version");
    m.version = parseVersion(version, &ok);
    if (!ok)
        problem(QStringLiteral("version"), QStringLiteral("%1 is not a version (x.y.z)").arg(quoted(version)));

    const QJsonValue compat = md.value(u"compatVersion");
    if (compat.isUndefined()) {
        if (!m.version.isNull())
            m.compatVersion = QVersionNumber(m.version.majorVersion(), 0);
    } else {
        m.compatVersion = parseVersion(compat, &ok);
        if (!ok)
            problem(QStringLiteral("compatVersion"), QStringLiteral("%1 is not a version (x.y.z)").arg(quoted(compat)));
        else if (!m.version.isNull() && m.compatVersion > m.version)
            problem(QStringLiteral("compatVersion"), QStringLiteral("%1 is newer than version %2")
                                                         .arg(compat.toString(), m.version.toString()));
    }

    const QJsonValue desc = md.value(u"description");
    if (!desc.isUndefined() && !desc.isString())
        problem(QStringLiteral("description"), QStringLiteral("must be a string"));
    m.description = desc.toString();

    const QJsonValue deps = md.value(u"dependencies");
    if (!deps.isUndefined() && !deps.isArray()) {
        problem(QStringLiteral("dependencies"), QStringLiteral("must be an array"));
    } else {
        const QJsonArray arr = deps.toArray();
        QSet<QString> seen;
        for (qsizetype i = 0; i < arr.size(); ++i) {
            const QString field = QStringLiteral("dependencies[%1]").arg(i);
            if (!arr.at(i).isObject()) {
                problem(field, QStringLiteral("must be an object {\"id\", \"version\", \"type\"}"));
                continue;
            }
            const QJsonObject d = arr.at(i).toObject();
            for (auto it = d.begin(); it != d.end(); ++it) {
                if (!knownDepKeys.contains(it.key()))
                    problem(field + u'.' + it.key(), QStringLiteral("unknown key (allowed: %1)").arg(knownDepKeys.join(u", ")));
            }
            PluginDependency dep;
            const QJsonValue did = d.value(u"id");
            if (!did.isString() || !idPattern().match(did.toString()).hasMatch()) {
                problem(field + QStringLiteral(".id"), QStringLiteral("%1 is not a valid plugin id").arg(quoted(did)));
            } else {
                dep.id = did.toString();
                if (dep.id == m.id)
                    problem(field + QStringLiteral(".id"), QStringLiteral("a plugin cannot depend on itself"));
                else if (seen.contains(dep.id))
                    problem(field + QStringLiteral(".id"), QStringLiteral("'%1' is listed twice").arg(dep.id));
                seen.insert(dep.id);
            }
            const QJsonValue dver = d.value(u"version");
            if (!dver.isUndefined() && !(dver.isString() && dver.toString().isEmpty())) {
                dep.minVersion = parseVersion(dver, &ok);
                if (!ok)
                    problem(field + QStringLiteral(".version"), QStringLiteral("%1 is not a version (x.y.z)").arg(quoted(dver)));
            }
            const QJsonValue type = d.value(u"type");
            if (type.isUndefined() || type == QJsonValue(QStringLiteral("required")))
                dep.optional = false;
            else if (type == QJsonValue(QStringLiteral("optional")))
                dep.optional = true;
            else
                problem(field + QStringLiteral(".type"), QStringLiteral("%1 is neither 'required' nor 'optional'").arg(quoted(type)));
            m.dependencies.append(dep);
        }
    }

    if (!problems.isEmpty())
        return fail(ErrorCode::Config, problems.join(u'\n'));
    return m;
}

// ---------------------------------------------------------------------------------------
// InterfaceRegistry

void InterfaceRegistry::setPlugins(const QList<PluginMetadata> &active)
{
    clear();
    QSet<QString> ids;
    for (const PluginMetadata &m : active)
        ids.insert(m.id);
    for (const PluginMetadata &m : active) {
        Consumer c;
        for (const PluginDependency &d : m.dependencies) {
            c.declared.insert(d.id);
            if (d.optional && !ids.contains(d.id))
                c.absentOptional.insert(d.id);
        }
        m_consumers.insert(m.id, c);
    }
}

void InterfaceRegistry::clear()
{
    m_provided.clear();
    m_consumers.clear();
}

Result<void> InterfaceRegistry::provide(const QString &pluginId, const QString &name, void *impl)
{
    if (!m_consumers.contains(pluginId))
        return fail(ErrorCode::Forbidden,
                    QStringLiteral("plugin '%1' is not active and cannot provide interface '%2'").arg(pluginId, name));
    if (name.isEmpty() || !impl)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("plugin '%1' provided an empty interface name or a null implementation").arg(pluginId));
    const auto it = m_provided.constFind(name);
    if (it != m_provided.cend())
        return fail(ErrorCode::Conflict,
                    QStringLiteral("interface '%1' is already provided by '%2'; '%3' cannot provide it again")
                        .arg(name, it->pluginId, pluginId));
    m_provided.insert(name, Provided{pluginId, impl});
    return {};
}

Result<void *> InterfaceRegistry::lookup(const QString &consumerId, const QString &name) const
{
    const auto c = m_consumers.constFind(consumerId);
    if (c == m_consumers.cend())
        return fail(ErrorCode::Forbidden,
                    QStringLiteral("plugin '%1' is not active and cannot look up interface '%2'").arg(consumerId, name));

    const auto p = m_provided.constFind(name);
    if (p != m_provided.cend()) {
        if (p->pluginId == consumerId || c->declared.contains(p->pluginId))
            return p->impl;
        return fail(ErrorCode::Forbidden,
                    QStringLiteral("plugin '%1' may not use interface '%2' of plugin '%3': '%3' is not a declared dependency of '%1'")
                        .arg(consumerId, name, p->pluginId));
    }

    // Nobody provides it. Interface ids name their owner by convention
    // ("community.<plugin>.Name/1"): if that owner is an absent optional dependency the
    // answer is "not there" (null); a present dependency that does not provide it is an
    // error. Without a recognisable owner, any absent optional dependency might have been
    // the provider, so it is null then too.
    const QStringList segments = name.split(u'.');
    for (const QString &s : segments) {
        if (c->absentOptional.contains(s))
            return static_cast<void *>(nullptr);
        if (c->declared.contains(s) || s == consumerId)
            return fail(ErrorCode::NotFound,
                        QStringLiteral("interface '%1' is not provided by '%2' (needed by '%3')").arg(name, s, consumerId));
    }
    if (!c->absentOptional.isEmpty())
        return static_cast<void *>(nullptr);
    QStringList deps(c->declared.cbegin(), c->declared.cend());
    deps.sort();
    return fail(ErrorCode::NotFound,
                QStringLiteral("interface '%1' is not provided by '%2' or its dependencies (%3)")
                    .arg(name, consumerId, deps.isEmpty() ? QStringLiteral("none") : deps.join(u", ")));
}

QString InterfaceRegistry::providerOf(const QString &name) const
{
    return m_provided.value(name).pluginId;
}

// ---------------------------------------------------------------------------------------
// PluginManager

struct PluginManager::Entry {
    PluginInfo info;
    std::unique_ptr<QPluginLoader> loader;
    QObject *object = nullptr;        // root instance, owned by us once loaded
    IPlugin *plugin = nullptr;
    std::unique_ptr<PluginContext> context;

    void setFailed(const QString &why)
    {
        info.state = PluginState::Failed;
        info.error = why;
    }
};

PluginManager::PluginManager() = default;

PluginManager::~PluginManager()
{
    if (!m_started.isEmpty()) {
        qCWarning(lcPlugins) << "plugin manager destroyed with running plugins; stopping them";
        stopStarted(std::chrono::seconds(10));
    }
    // Instances go in reverse load order, contexts after every instance (a plugin may
    // keep its context until destroyed). Libraries stay mapped: unloading code that may
    // still have registered metatypes or static objects is not worth the risk.
    for (auto it = m_order.crbegin(); it != m_order.crend(); ++it)
        delete (*it)->object;
    for (auto &e : m_entries) {
        if (!m_order.contains(e.get()))
            delete e->object;
        e->object = nullptr;
        e->plugin = nullptr;
    }
    for (auto it = m_order.crbegin(); it != m_order.crend(); ++it)
        (*it)->context.reset();
}

PluginManager::Entry *PluginManager::find(const QString &id) const
{
    for (const auto &e : m_entries) {
        if (e->info.meta.id == id)
            return e.get();
    }
    return nullptr;
}

Result<void> PluginManager::discover(const QStringList &dirs)
{
    for (const auto &e : m_entries) {
        if (e->object)
            return fail(ErrorCode::Internal, QStringLiteral("discover() after plugins were loaded"));
    }
    m_entries.clear();
    m_order.clear();
    m_started.clear();
    m_interfaces.clear();

    QStringList problems;
    QSet<QString> seenFiles;
    QHash<QString, QString> pathOfId;
    for (const QString &dirName : dirs) {
        const QDir dir(dirName);
        if (!dir.exists()) {
            problems << QStringLiteral("%1: plugin folder does not exist").arg(dirName);
            continue;
        }
        const QFileInfoList files = dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo &fi : files) {
            if (!QLibrary::isLibrary(fi.fileName()))
                continue;
            const QString path = fi.canonicalFilePath();
            if (seenFiles.contains(path))   // symlinks, or a folder listed twice
                continue;
            seenFiles.insert(path);

            // Reads the .qtmetadata section only; the library is not loaded.
            const QJsonObject raw = QPluginLoader(path).metaData();
            if (raw.isEmpty()) {
                qCDebug(lcPlugins) << "skipping" << path << "(not a Qt plugin)";
                continue;
            }
            if (raw.value(u"IID").toString() != QLatin1String(CommunityPlugin_iid)) {
                qCDebug(lcPlugins) << "skipping" << path << "(IID" << raw.value(u"IID").toString() << ")";
                continue;
            }
            const QJsonValue md = raw.value(u"MetaData");
            if (!md.isObject()) {
                problems << QStringLiteral("%1: metadata missing (Q_PLUGIN_METADATA needs FILE \"<id>.json\")").arg(path);
                continue;
            }
            auto meta = parsePluginMetadata(md.toObject(), path);
            if (!meta) {
                problems << meta.error().message;
                continue;
            }
            if (pathOfId.contains(meta->id)) {
                problems << QStringLiteral("%1: metadata field 'id': plugin id '%2' is already declared by %3")
                                .arg(path, meta->id, pathOfId.value(meta->id));
                continue;
            }
            pathOfId.insert(meta->id, path);
            auto e = std::make_unique<Entry>();
            e->info.meta = std::move(*meta);
            e->info.state = PluginState::Discovered;
            m_entries.push_back(std::move(e));
        }
    }
    std::sort(m_entries.begin(), m_entries.end(),
              [](const auto &a, const auto &b) { return a->info.meta.id < b->info.meta.id; });
    qCInfo(lcPlugins).noquote() << "discovered" << m_entries.size() << "plugins in" << dirs.join(u", ");
    if (!problems.isEmpty())
        return fail(ErrorCode::Config, problems.join(u'\n'));
    return {};
}

Result<void> PluginManager::resolve(const QStringList &services)
{
    for (const auto &e : m_entries) {
        if (e->object)
            return fail(ErrorCode::Internal, QStringLiteral("resolve() after plugins were loaded"));
    }
    m_order.clear();
    m_interfaces.clear();
    for (const auto &e : m_entries) {
        e->info.state = PluginState::Discovered;
        e->info.error.clear();
    }

    // Selection. std::map/std::set keep everything sorted by id: determinism for free.
    std::map<QString, Entry *> selected;
    QStringList problems;
    if (services.isEmpty()) {
        for (const auto &e : m_entries)
            selected.emplace(e->info.meta.id, e.get());
    } else {
        for (const QString &raw : services) {
            const QString id = raw.trimmed();
            if (Entry *e = find(id)) {
                selected.emplace(id, e);
            } else {
                QStringList known;
                for (const auto &k : m_entries)
                    known << k->info.meta.id;
                problems << QStringLiteral("unknown service '%1' (discovered: %2)")
                                .arg(id, known.isEmpty() ? QStringLiteral("none") : known.join(u", "));
            }
        }
    }

    // Dependency checks; edges[a] = the selected plugins a depends on.
    std::map<QString, std::set<QString>> edges;
    for (const auto &[id, e] : selected) {
        QStringList own;
        const PluginMetadata &m = e->info.meta;
        edges[id];
        for (const PluginDependency &d : m.dependencies) {
            Entry *dep = find(d.id);
            const bool isSelected = selected.count(d.id) > 0;
            if (!dep || !isSelected) {
                if (d.optional)
                    continue;   // optional: used only if present and selected
                if (!dep)
                    own << QStringLiteral("plugin '%1' requires '%2', which was not found (required by %3)")
                               .arg(id, d.id, m.path);
                else
                    own << QStringLiteral("plugin '%1' requires '%2', which is not among the selected services (%3)")
                               .arg(id, d.id, services.join(u", "));
                continue;
            }
            const PluginMetadata &dm = dep->info.meta;
            if (!d.minVersion.isNull()) {
                if (dm.version < d.minVersion) {
                    own << QStringLiteral("plugin '%1' requires '%2' >= %3 but found %4 (%5)")
                               .arg(id, d.id, d.minVersion.toString(), dm.version.toString(), dm.path);
                    continue;
                }
                if (dm.compatVersion > d.minVersion) {
                    own << QStringLiteral("plugin '%1' requires '%2' >= %3 but found %4, compatible only back to %5 (%6)")
                               .arg(id, d.id, d.minVersion.toString(), dm.version.toString(),
                                    dm.compatVersion.toString(), dm.path);
                    continue;
                }
            }
            edges[id].insert(d.id);
        }
        if (!own.isEmpty()) {
            e->setFailed(own.join(u'\n'));
            problems << own;
        }
    }
    if (!problems.isEmpty())
        return fail(ErrorCode::Config, problems.join(u'\n'));

    // Kahn's algorithm with a sorted ready set: among the plugins whose dependencies are
    // all placed, the smallest id goes next.
    std::map<QString, int> pending;
    std::map<QString, std::set<QString>> dependants;
    for (const auto &[id, deps] : edges) {
        pending[id] = int(deps.size());
        for (const QString &d : deps)
            dependants[d].insert(id);
    }
    std::set<QString> ready;
    for (const auto &[id, n] : pending) {
        if (n == 0)
            ready.insert(id);
    }
    QList<Entry *> order;
    while (!ready.empty()) {
        const QString id = *ready.begin();
        ready.erase(ready.begin());
        order.append(selected.at(id));
        for (const QString &dep : dependants[id]) {
            if (--pending[dep] == 0)
                ready.insert(dep);
        }
    }

    if (order.size() != qsizetype(selected.size())) {
        // Every plugin left has an unplaced dependency, so walking "first unplaced
        // dependency" from the smallest id left must come back to a plugin already seen.
        auto unplaced = [&](const QString &id) { return pending[id] > 0; };
        QString cur;
        for (const auto &[id, n] : pending) {
            if (n > 0) {
                cur = id;
                break;
            }
        }
        QStringList path;
        while (!path.contains(cur)) {
            path << cur;
            for (const QString &d : edges[cur]) {
                if (unplaced(d)) {
                    cur = d;
                    break;
                }
            }
        }
        path = path.mid(path.indexOf(cur));
        path << cur;
        const QString text = QStringLiteral("dependency cycle: %1").arg(path.join(u" -> "));
        QStringList files;
        for (qsizetype i = 0; i + 1 < path.size(); ++i) {
            Entry *e = selected.at(path.at(i));
            e->setFailed(text);
            files << e->info.meta.path;
        }
        return fail(ErrorCode::Config, QStringLiteral("%1 (%2)").arg(text, files.join(u", ")));
    }

    m_order = order;
    QList<PluginMetadata> metas;
    for (Entry *e : m_order) {
        e->info.state = PluginState::Resolved;
        metas << e->info.meta;
    }
    m_interfaces.setPlugins(metas);
    QStringList ids;
    for (const auto &m : metas)
        ids << m.id;
    qCInfo(lcPlugins).noquote() << "plugin order:" << ids.join(u", ");
    return {};
}

Result<void> PluginManager::load()
{
    for (Entry *e : m_order) {
        if (e->info.state != PluginState::Resolved)
            continue;   // already loaded by an earlier call
        const PluginMetadata &m = e->info.meta;
        e->loader = std::make_unique<QPluginLoader>(m.path);
        QString why;
        if (!e->loader->load()) {
            why = QStringLiteral("cannot load plugin '%1' (%2): %3").arg(m.id, m.path, e->loader->errorString());
        } else if (QObject *obj = e->loader->instance(); !obj) {
            why = QStringLiteral("plugin '%1' (%2) has no instance: %3").arg(m.id, m.path, e->loader->errorString());
        } else if (IPlugin *p = qobject_cast<IPlugin *>(obj); !p) {
            why = QStringLiteral("plugin '%1' (%2): %3 does not implement Community::IPlugin (Q_INTERFACES missing?)")
                      .arg(m.id, m.path, QString::fromLatin1(obj->metaObject()->className()));
        } else {
            e->object = obj;
            e->plugin = p;
        }
        if (!why.isEmpty()) {
            e->setFailed(why);
            qCWarning(lcPlugins).noquote() << why;
            return fail(ErrorCode::Config, why);
        }
        e->info.state = PluginState::Loaded;
    }
    return {};
}

Result<void> PluginManager::initialize(const ContextFactory &factory)
{
    for (Entry *e : m_order) {
        const PluginMetadata &m = e->info.meta;
        if (e->info.state == PluginState::Initialized)
            continue;
        if (e->info.state != PluginState::Loaded)
            return fail(ErrorCode::Internal, QStringLiteral("plugin '%1' is %2, cannot initialize")
                                                 .arg(m.id, pluginStateName(e->info.state)));
        e->context = factory ? factory(m) : nullptr;
        if (!e->context) {
            const QString why = QStringLiteral("no context for plugin '%1'").arg(m.id);
            e->setFailed(why);
            return fail(ErrorCode::Internal, why);
        }
        Result<void> r;
        try {
            r = e->plugin->initialize(*e->context);
        } catch (const std::exception &ex) {
            r = fail(ErrorCode::Internal, QStringLiteral("exception: %1").arg(QString::fromLocal8Bit(ex.what())));
        } catch (...) {
            r = fail(ErrorCode::Internal, QStringLiteral("unknown exception"));
        }
        if (!r) {
            const QString why = QStringLiteral("plugin '%1' failed to initialize: %2").arg(m.id, r.error().message);
            e->setFailed(why);
            qCWarning(lcPlugins).noquote() << why << r.error().logDetail;
            Error err = r.error();
            err.message = why;
            return tl::unexpected(err);
        }
        e->info.state = PluginState::Initialized;
    }
    return {};
}

Result<void> PluginManager::startAll()
{
    for (Entry *e : m_order) {
        const PluginState s = e->info.state;
        if (s != PluginState::Initialized && s != PluginState::Stopped)
            return fail(ErrorCode::Internal, QStringLiteral("plugin '%1' is %2, cannot start")
                                                 .arg(e->info.meta.id, pluginStateName(s)));
    }
    for (Entry *e : m_order) {
        const QString &id = e->info.meta.id;
        qCInfo(lcPlugins).noquote() << "starting" << id;
        QElapsedTimer t;
        t.start();
        Result<void> r;
        try {
            r = e->plugin->start();
        } catch (const std::exception &ex) {
            r = fail(ErrorCode::Internal, QStringLiteral("exception: %1").arg(QString::fromLocal8Bit(ex.what())));
        } catch (...) {
            r = fail(ErrorCode::Internal, QStringLiteral("unknown exception"));
        }
        if (!r) {
            const QString why = QStringLiteral("plugin '%1' failed to start: %2").arg(id, r.error().message);
            e->setFailed(why);
            qCWarning(lcPlugins).noquote() << why << r.error().logDetail;
            // Unwind: what started is stopped, in exact reverse order. The failed plugin
            // itself is not stopped — its start() did not succeed.
            stopStarted(std::chrono::seconds(10));
            Error err = r.error();
            err.message = why;
            return tl::unexpected(err);
        }
        e->info.state = PluginState::Running;
        m_started.append(e);
        qCInfo(lcPlugins).noquote() << id << "started in" << msSince(t) << "ms";
    }
    return {};
}

void PluginManager::stopAll(std::chrono::milliseconds deadline)
{
    stopStarted(deadline);
}

void PluginManager::stopStarted(std::chrono::milliseconds deadline)
{
    const QDeadlineTimer overall(deadline);
    while (!m_started.isEmpty()) {
        Entry *e = m_started.takeLast();
        const QString &id = e->info.meta.id;
        const auto slice = std::max(std::chrono::milliseconds(overall.remainingTime()), minimumStopSlice());
        const QDeadlineTimer own(slice);
        qCInfo(lcPlugins).noquote() << "stopping" << id;
        QElapsedTimer t;
        t.start();
        try {
            e->plugin->stop(own);
        } catch (const std::exception &ex) {
            qCWarning(lcPlugins).noquote() << id << "threw while stopping:" << ex.what();
        } catch (...) {
            qCWarning(lcPlugins).noquote() << id << "threw while stopping";
        }
        if (own.hasExpired())
            qCWarning(lcPlugins).noquote() << id << "exceeded its stop deadline: stopped in" << msSince(t)
                                           << "ms, had" << slice.count() << "ms";
        else
            qCInfo(lcPlugins).noquote() << id << "stopped in" << msSince(t) << "ms";
        if (e->info.state == PluginState::Running)
            e->info.state = PluginState::Stopped;
    }
}

QList<PluginInfo> PluginManager::plugins() const
{
    QList<PluginInfo> out;
    for (const Entry *e : m_order)
        out << e->info;
    for (const auto &e : m_entries) {   // m_entries is sorted by id
        if (!m_order.contains(e.get()))
            out << e->info;
    }
    return out;
}

QList<PluginMetadata> PluginManager::ordered() const
{
    QList<PluginMetadata> out;
    for (const Entry *e : m_order)
        out << e->info.meta;
    return out;
}

IPlugin *PluginManager::instance(const QString &id) const
{
    const Entry *e = find(id);
    return e ? e->plugin : nullptr;
}

PluginContext *PluginManager::context(const QString &id) const
{
    const Entry *e = find(id);
    return e ? e->context.get() : nullptr;
}

} // namespace Community
