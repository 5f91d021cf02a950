// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The interface every service plugin implements, and the context the host gives it.
/// Lifecycle (driven by PluginManager on the main thread):
///   initialize(ctx)  wire up: parse own config, register routes and interfaces; no I/O
///   migrations       the host applies the SQL files under migrationsResource()
///   start()          open resources, start timers; may do I/O
///   stop(deadline)   exact reverse order of start; must return before the deadline
/// Errors are values; no exception may escape a plugin.

#include "community/result.h"

#include <QDeadlineTimer>
#include <QJsonObject>
#include <QString>
#include <QtPlugin>

#include <typeinfo>

namespace prometheus { class Registry; }

namespace Community {

namespace Http { class Router; }
namespace Db { class Database; }
namespace Events { class EventBus; }
namespace Realtime { class Hub; }
class SettingsRegistry;

class PluginContext {
public:
    virtual ~PluginContext() = default;

    virtual QString pluginId() const = 0;
    /// This plugin's own configuration subtree ("plugins.<id>"), nothing else.
    virtual QJsonObject config() const = 0;
    /// Full path of this plugin's subtree, for error messages ("plugins.auth").
    virtual QString configPath() const = 0;
    virtual Http::Router &router() = 0;
    /// The shared database (pool + workers). Never null once the host runs.
    virtual Db::Database &database() = 0;
    virtual prometheus::Registry &metrics() = 0;
    /// The event bus: publish() in your own transactions; subscribe() during initialize().
    virtual Events::EventBus &events() = 0;
    /// The realtime hub: registerTopic() during initialize(); publish() in your own
    /// transactions (community/realtime.h, docs/realtime.md).
    virtual Realtime::Hub &realtime() = 0;

    /// Publishes an implementation of a contracts/ interface. `name` is the interface's
    /// stable id (e.g. "community.auth.PrincipalResolver/1"). The pointer must outlive
    /// the plugin's running state.
    virtual Result<void> provideInterface(const QString &name, void *implementation) = 0;
    /// Looks up an interface; succeeds only if the providing plugin is a declared
    /// (required or optional) dependency of this plugin. Null when an optional provider
    /// is absent.
    virtual Result<void *> lookupInterface(const QString &name) const = 0;
    /// The daemon's data directory (absolute); a plugin keeps its files in a folder of
    /// its own below it. Empty when the host has none (unit-test contexts). Last in the
    /// table: added after the first plugins were built.
    virtual QString dataDirectory() const { return {}; }
    /// The runtime settings registry (community/settings.h): watch() the keys this plugin
    /// applies without restart. Null in contexts without a host (unit tests). Added after
    /// dataDirectory(), last in the table for the same reason.
    virtual SettingsRegistry *settings() { return nullptr; }

    template<typename T>
    Result<T *> lookup() const
    {
        auto r = lookupInterface(QString::fromLatin1(T::interfaceId()));
        if (!r)
            return tl::unexpected(r.error());
        return static_cast<T *>(*r);
    }
    template<typename T>
    Result<void> provide(T *impl)
    {
        return provideInterface(QString::fromLatin1(T::interfaceId()), impl);
    }
};

class IPlugin {
public:
    virtual ~IPlugin() = default;
    virtual Result<void> initialize(PluginContext &ctx) = 0;
    /// Qt resource folder holding this plugin's migrations (NNNN_name.sql), or empty.
    virtual QString migrationsResource() const { return {}; }
    virtual Result<void> start() { return {}; }
    virtual void stop(QDeadlineTimer deadline) { Q_UNUSED(deadline); }
};

} // namespace Community

#define CommunityPlugin_iid "org.community.platform.Plugin/1"
Q_DECLARE_INTERFACE(Community::IPlugin, CommunityPlugin_iid)
