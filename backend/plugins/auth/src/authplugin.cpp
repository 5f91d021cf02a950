// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The auth plugin: wiring only. Reads plugins.auth, builds the services, repositories
// and route modules of auth_core and the 2FA / OAuth module (auth_mfa), registers their
// routes, provides the authenticator and the user directory, and runs the periodic
// state refresh.

#include "accountmoderation.h"
#include "authmailoutbox.h"
#include "accountroutes.h"
#include "accountservice.h"
#include "adminroutes.h"
#include "adminservice.h"
#include "authconfig.h"
#include "authlog.h"
#include "authstate.h"
#include "crypto.h"
#include "keyservice.h"
#include "mfabridge.h"
#include "mfamodule.h"
#include "sessionroutes.h"
#include "sessionservice.h"
#include "statesync.h"
#include "userdirectory.h"

#include "community/config.h"
#include "community/database.h"
#include "community/plugin.h"
#include "community/router.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cstdio>
#include <memory>

using namespace Community;

namespace Auth {

namespace {

/// Every object of the plugin, in dependency order (members are built top-down).
struct Components {
    Components(AuthConfig cfg, Db::Database &db, Events::EventBus &events, int mfaChallengeTtl)
        : config(std::move(cfg))
        , hasher(config.opsLimit, config.memLimitBytes)
        , state(&signer)
        , directory(db, state)
        , sync(db, state, config)
        , sessions(SessionDeps{db, config, hasher, signer, state, events})
        , accounts(AccountDeps{db, hasher, sessions, directory, events})
        , admin(AccountDeps{db, hasher, sessions, directory, events}, accounts)
        , keys(db, signer, state, sync)
        , registrations(config.registration)
        , accountRoutes(db, accounts, registrations)
        , sessionRoutes(db, sessions)
        , adminRoutes(db, accounts, admin, keys)
        , moderation(admin, directory)
        , mailOutbox(db)
    {
        sessions.setMfaChallengeTtl(mfaChallengeTtl);
        accounts.setVerifyEmailOnRegister(config.verifyEmailOnRegister);
    }

    AuthConfig config;
    PasswordHasher hasher;
    TokenSigner signer;
    AuthState state;
    UserDirectory directory;
    StateSync sync;
    SessionService sessions;
    AccountService accounts;
    AdminService admin;
    KeyService keys;
    RegistrationLimiter registrations;
    AccountRoutes accountRoutes;
    SessionRoutes sessionRoutes;
    AdminRoutes adminRoutes;
    AccountModeration moderation;   ///< IAccountModeration for the admin plugin
    AuthMailOutbox mailOutbox;      ///< IAuthMailOutbox for a mailer (notifications)
};

Result<std::pair<AuthConfig, Mfa::Config>> readConfig(PluginContext &ctx)
{
    ConfigReader reader(ctx.config(), ctx.configPath());
    ConfigReader mfaReader = reader.child(QStringLiteral("mfa"));   // plugins.auth.mfa
    auto config = AuthConfig::parse(reader);
    auto mfaConfig = Mfa::parseConfig(mfaReader);
    if (config && mfaConfig)
        return std::pair{*config, *mfaConfig};
    Error e = Error::make(ErrorCode::Config, QStringLiteral("invalid auth configuration"));
    if (!config)
        e.fields += config.error().fields;
    if (!mfaConfig)
        e.fields += mfaConfig.error().fields;
    return tl::unexpected(e);
}

} // namespace

class AuthPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "auth.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        if (!initSodium())
            return fail(ErrorCode::Internal, QStringLiteral("libsodium could not be initialised"));
        auto config = readConfig(ctx);
        if (!config)
            return tl::unexpected(config.error());
        m_db = &ctx.database();
        m_c = std::make_unique<Components>(config->first, ctx.database(), ctx.events(), config->second.challengeTtlSeconds);
        // 2FA (TOTP, recovery codes) and OAuth / OIDC login: accounts and sessions through hooks.
        auto mfa = Mfa::MfaModule::create(ctx.database(), mfaHooks(m_c->accounts, m_c->sessions, m_c->directory),
                                          config->second);
        if (!mfa)
            return tl::unexpected(mfa.error());
        m_mfa = std::move(*mfa);
        for (const auto &table : {m_c->sessionRoutes.routes(), m_c->accountRoutes.routes(), m_c->adminRoutes.routes(),
                                  m_mfa->routes()}) {
            if (auto r = ctx.router().add(table); !r)
                return r;
        }
        m_c->adminRoutes.setScopeSource(&ctx.router());
        if (auto r = ctx.provide<Contracts::IAuthenticator>(&m_c->state); !r)
            return r;
        if (auto r = ctx.provide<Contracts::IAccountModeration>(&m_c->moderation); !r)
            return r;
        if (auto r = ctx.provide<Contracts::IAuthMailOutbox>(&m_c->mailOutbox); !r)
            return r;
        return ctx.provide<Contracts::IUserDirectory>(&m_c->directory);
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/auth"); }

    Result<void> start() override
    {
        qCInfo(lcAuth, "starting auth");
        QElapsedTimer t;
        t.start();
        if (auto r = m_c->keys.ensureSigningKey(); !r)
            return r;
        auto filled = m_c->accounts.backfillUsernames();
        if (!filled)
            return tl::unexpected(filled.error());
        if (*filled > 0)
            qCInfo(lcAuth, "filled in the username skeleton of %d accounts", *filled);
        auto admin = m_c->accounts.ensureAdmin();
        if (!admin)
            return tl::unexpected(admin.error());
        if (!admin->isEmpty()) {
            std::printf("initial admin: admin / %s (change it at first login)\n", qPrintable(*admin));
            std::fflush(stdout);
        }
        if (auto r = m_c->sync.reload(); !r)
            return r;
        m_timer = std::make_unique<QTimer>();
        m_timer->setInterval(m_c->config.stateRefreshMs);
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
            m_c->sync.flushUsage();
        qCInfo(lcAuth, "auth stopped");
    }

private:
    void tick()
    {
        if (m_busy.exchange(true))
            return;   // the previous refresh still runs
        StateSync *sync = &m_c->sync;
        if (!m_db->trySubmit([this, sync] {
                sync->flushUsage();
                if (auto r = sync->reload(); !r)
                    qCWarning(lcAuth) << "refreshing auth state failed:" << r.error().message << r.error().logDetail;
                m_busy.store(false);
            }))
            m_busy.store(false);
    }

    Db::Database *m_db = nullptr;
    std::unique_ptr<Components> m_c;
    std::unique_ptr<Mfa::MfaModule> m_mfa;
    std::unique_ptr<QTimer> m_timer;
    std::atomic<bool> m_busy{false};
};

} // namespace Auth

#include "authplugin.moc"
