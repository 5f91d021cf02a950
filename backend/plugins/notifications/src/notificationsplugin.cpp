// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The notifications plugin: wiring only. The projection, the inbox rules, preferences,
// the delivery outbox and the routes live in notifications_core (docs/notifications.md).

#include "deliveryroutes.h"
#include "deliveryservice.h"
#include "notificationsconfig.h"
#include "notificationsroutes.h"
#include "notificationsservice.h"
#include "preferencesroutes.h"
#include "preferencesservice.h"
#include "projector.h"
#include "pushroutes.h"
#include "pushservice.h"
#include "smsroutes.h"
#include "smsservice.h"

#include "community/contracts/auth.h"
#include "community/contracts/authmail.h"
#include "community/contracts/users.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/plugin.h"

#include <QDebug>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>

using namespace Community;

namespace Notifications {

class NotificationsPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "notifications.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        auto config = readNotificationsConfig(ctx.config(), ctx.configPath());
        if (!config)
            return tl::unexpected(config.error());
        auto relations = ctx.lookup<Contracts::IUserRelations>();
        auto directory = ctx.lookup<Contracts::IUserDirectory>();
        if (!relations || !directory)
            return tl::unexpected(!relations ? relations.error() : directory.error());
        auto authMail = ctx.lookup<Contracts::IAuthMailOutbox>();
        if (!authMail)
            return tl::unexpected(authMail.error());
        Db::Database &db = ctx.database();
        m_service = std::make_unique<NotificationsService>(db, ctx.realtime(), *config);
        m_service->setRelations(*relations);   // null without the users plugin on this node
        m_service->setDirectory(*directory);
        m_delivery = std::make_unique<DeliveryService>(db, *config);
        m_delivery->setDirectory(*directory);  // null without auth: email rows wait
        m_delivery->setAuthMail(*authMail);    // null without auth: its mails stay in its queue
        m_push = std::make_unique<PushService>(db, *config);
        m_sms = std::make_unique<SmsService>(db, *config, std::make_unique<HttpSmsProvider>(config->sms));
        m_service->setDelivery(m_delivery.get(), m_push.get(), m_sms.get());
        m_preferences = std::make_unique<PreferencesService>(db);
        m_routes = std::make_unique<NotificationsRoutes>(db, *m_service);
        m_preferenceRoutes = std::make_unique<PreferencesRoutes>(db, *m_preferences);
        m_deliveryRoutes = std::make_unique<DeliveryRoutes>(db, *m_delivery);
        m_deliveryRoutes->setChannels(m_push.get(), m_sms.get());
        m_pushRoutes = std::make_unique<PushRoutes>(db, *m_push);
        m_smsRoutes = std::make_unique<SmsRoutes>(db, *m_sms);
        for (const QList<Http::Route> &table : {m_routes->routes(), m_preferenceRoutes->routes(), m_deliveryRoutes->routes(),
                                                m_pushRoutes->routes(), m_smsRoutes->routes()})
            if (auto r = ctx.router().add(table); !r)
                return r;
        NotificationsService *service = m_service.get();
        ctx.events().subscribe(QString::fromLatin1(kInboxConsumer), projectedEventTypes(),
                               [service](const Events::Event &e) { return service->handle(e); });
        m_pollMs = config->delivery.pollMs;
        m_senderEnabled = config->email.enabled() || config->push.enabled || config->sms.enabled();
        return {};
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/notifications"); }

    Result<void> start() override
    {
        if (auto r = m_delivery->loadKey(); !r)
            return r;
        if (m_push->enabled())
            if (auto r = m_push->loadKey(); !r)
                return r;
        m_running->store(true);
        if (!m_senderEnabled)
            return {};
        SmtpMailer::globalInit();
        // Sending blocks on SMTP: one thread of its own, never the database workers.
        m_senders.setMaxThreadCount(1);
        m_poll = std::make_unique<QTimer>();
        m_poll->setInterval(m_pollMs);
        QObject::connect(m_poll.get(), &QTimer::timeout, this, [this] { poll(); });
        m_poll->start();
        return {};
    }

    void stop(QDeadlineTimer deadline) override
    {
        m_running->store(false);
        m_poll.reset();
        // A round in progress finishes its current send (bounded by the timeouts); the
        // pool's destructor waits for it in any case, before the services go.
        m_senders.waitForDone(deadline.isForever() ? -1 : int(std::max<qint64>(0, deadline.remainingTime())));
    }

private:
    void poll()
    {
        if (m_busy->exchange(true))
            return;   // the previous round is still sending
        std::shared_ptr<std::atomic<bool>> running = m_running, busy = m_busy;
        DeliveryService *delivery = m_delivery.get();
        PushService *push = m_push.get();
        SmsService *sms = m_sms.get();
        m_senders.start([running, busy, delivery, push, sms] {
            // Rounds until nothing is due, so a burst drains without waiting for the timer.
            while (running->load()) {
                // Auth's mails first: taken over, then sent in the same round.
                const QList<Result<int>> rounds{delivery->takeOverAuthMail(), delivery->runEmailRound(),
                                                push->enabled() ? push->runRound() : Result<int>(0),
                                                sms->enabled() ? sms->runRound() : Result<int>(0)};
                int handled = 0;
                for (const Result<int> &r : rounds) {
                    if (!r)
                        qWarning().noquote() << "notifications: delivery round failed:" << r.error().message << r.error().logDetail;
                    handled += r.value_or(0);
                }
                if (handled == 0)
                    break;
            }
            busy->store(false);
        });
    }

    std::unique_ptr<NotificationsService> m_service;
    std::unique_ptr<DeliveryService> m_delivery;
    std::unique_ptr<PreferencesService> m_preferences;
    std::unique_ptr<NotificationsRoutes> m_routes;
    std::unique_ptr<PreferencesRoutes> m_preferenceRoutes;
    std::unique_ptr<DeliveryRoutes> m_deliveryRoutes;
    std::unique_ptr<PushService> m_push;
    std::unique_ptr<PushRoutes> m_pushRoutes;
    std::unique_ptr<SmsService> m_sms;
    std::unique_ptr<SmsRoutes> m_smsRoutes;
    std::unique_ptr<QTimer> m_poll;
    QThreadPool m_senders;
    int m_pollMs = 1000;
    bool m_senderEnabled = false;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> m_busy = std::make_shared<std::atomic<bool>>(false);
};

} // namespace Notifications

#include "notificationsplugin.moc"
