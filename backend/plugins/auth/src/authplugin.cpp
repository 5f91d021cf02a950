// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The auth plugin: wires AuthServices, AuthRoutes, the 2FA / OAuth module (auth_mfa) and
// the in-memory authenticator into the host. All logic lives in auth_core and auth_mfa.

#include "authroutes.h"
#include "authservices.h"
#include "mfaroutes.h"

#include "community/config.h"
#include "community/database.h"
#include "community/plugin.h"
#include "community/router.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <memory>

using namespace Community;

Q_DECLARE_LOGGING_CATEGORY(lcAuth)

class AuthPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "auth.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        if (!Auth::initSodium())
            return fail(ErrorCode::Internal, QStringLiteral("libsodium could not be initialised"));
        ConfigReader reader(ctx.config(), ctx.configPath());
        ConfigReader mfaReader = reader.child(QStringLiteral("mfa"));   // plugins.auth.mfa
        auto config = Auth::AuthConfig::parse(reader);
        auto mfaConfig = Auth::Mfa::parseConfig(mfaReader);
        if (!config || !mfaConfig) {
            Error e = Error::make(ErrorCode::Config, QStringLiteral("invalid auth configuration"));
            if (!config)
                e.fields += config.error().fields;
            if (!mfaConfig)
                e.fields += mfaConfig.error().fields;
            return tl::unexpected(e);
        }
        m_services = std::make_unique<Auth::AuthServices>(*config, &ctx.database());
        m_services->setMfaChallengeTtl(mfaConfig->challengeTtlSeconds);
        m_routes = std::make_unique<Auth::AuthRoutes>(m_services.get());
        if (auto r = m_routes->registerAll(ctx.router()); !r)
            return r;
        // 2FA (TOTP, recovery codes) and OAuth / OIDC login: accounts and sessions through hooks.
        if (auto r = Auth::Mfa::registerRoutes(ctx.router(), ctx.database(), m_services->mfaHooks(), *mfaConfig); !r)
            return r;
        if (auto r = ctx.provide<Contracts::IAuthenticator>(&m_services->state()); !r)
            return r;
        return ctx.provide<Contracts::IUserDirectory>(m_services.get());
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/auth"); }

    Result<void> start() override
    {
        qCInfo(lcAuth, "starting auth");
        QElapsedTimer t;
        t.start();
        if (auto r = m_services->ensureSigningKey(); !r)
            return r;
        auto admin = m_services->ensureAdmin();
        if (!admin)
            return tl::unexpected(admin.error());
        if (!admin->isEmpty()) {
            std::printf("initial admin: admin / %s (change it at first login)\n", qPrintable(*admin));
            std::fflush(stdout);
        }
        if (auto r = m_services->reloadState(); !r)
            return r;
        m_timer = std::make_unique<QTimer>();
        m_timer->setInterval(m_services->config().stateRefreshMs);
        QObject::connect(m_timer.get(), &QTimer::timeout, m_timer.get(), [this] { tick(); });
        m_timer->start();
        qCInfo(lcAuth, "auth started in %lld ms", qint64(t.elapsed()));
        return {};
    }

    void stop(QDeadlineTimer deadline) override
    {
        qCInfo(lcAuth, "stopping auth");
        m_timer.reset();
        while (m_busy.load() && !deadline.hasExpired())
            QThread::msleep(5);
        if (!m_busy.load())
            m_services->flushKeyUsage();
        qCInfo(lcAuth, "auth stopped");
    }

private:
    void tick()
    {
        if (m_busy.exchange(true))
            return;   // the previous refresh still runs
        Auth::AuthServices *s = m_services.get();
        if (!m_services->db().trySubmit([this, s] {
                s->flushKeyUsage();
                if (auto r = s->reloadState(); !r)
                    qCWarning(lcAuth) << "refreshing auth state failed:" << r.error().message << r.error().logDetail;
                m_busy.store(false);
            }))
            m_busy.store(false);
    }

    std::unique_ptr<Auth::AuthServices> m_services;
    std::unique_ptr<Auth::AuthRoutes> m_routes;
    std::unique_ptr<QTimer> m_timer;
    std::atomic<bool> m_busy{false};
};

#include "authplugin.moc"
