// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The notifications plugin: wiring only. The projection, the inbox rules, preferences,
// the delivery outbox and the routes live in notifications_core (docs/notifications.md).

#include "announcementroutes.h"
#include "announcementservice.h"
#include "deliveryroutes.h"
#include "deliveryservice.h"
#include "deliverywaker.h"
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
#include "community/contracts/chat.h"
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
        auto chat = ctx.lookup<Contracts::IChatAudience>();
        if (!chat)
            return tl::unexpected(chat.error());
        Db::Database &db = ctx.database();
        m_service = std::make_unique<NotificationsService>(db, ctx.realtime(), *config);
        m_service->setRelations(*relations);   // null without the users plugin on this node
        m_service->setDirectory(*directory);
        m_service->setChat(*chat);             // null without chat: only chat mentions notify
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
        m_announcements = std::make_unique<AnnouncementService>(db, *m_service, config->announcements.batch);
        m_announcements->setDirectory(*directory);   // null without auth: announcements wait
        m_announcementRoutes = std::make_unique<AnnouncementRoutes>(db, *m_announcements, config->announcements);
        m_announcementRoutes->onPublished([this] { QMetaObject::invokeMethod(this, [this] { fanOut(); }, Qt::QueuedConnection); });
        for (const QList<Http::Route> &table : {m_routes->routes(), m_preferenceRoutes->routes(), m_deliveryRoutes->routes(),
                                                m_pushRoutes->routes(), m_smsRoutes->routes(), m_announcementRoutes->routes()})
            if (auto r = ctx.router().add(table); !r)
                return r;
        NotificationsService *service = m_service.get();
        // Several events per transaction: the consumer keeps up with bursts (ADR 0033).
        ctx.events().subscribeBatch(QString::fromLatin1(kInboxConsumer), projectedEventTypes(),
                                    [service](const QList<Events::Event> &events) { return service->handleBatch(events); });
        m_pollMs = config->delivery.pollMs;
        m_fanOutMs = config->announcements.pollMs;
        m_senderEnabled = config->email.enabled() || config->push.enabled || config->sms.enabled();
        if (m_senderEnabled) {
            // Woken through LISTEN/NOTIFY on every node when rows are written; the poll stays as a safety net.
            m_waker = std::make_unique<DeliveryWaker>(db.config().connectionString, [this] {
                QMetaObject::invokeMethod(this, [this] { poll(); }, Qt::QueuedConnection);
            });
            DeliveryWaker *waker = m_waker.get();
            m_service->onStored([waker] { waker->hint(); });
            m_announcements->onDelivered([waker] { waker->hint(); });
        }
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
        // Announcements left unfinished (a restart) resume; new ones start at once.
        m_fanOuts.setMaxThreadCount(1);
        m_fanOutTimer = std::make_unique<QTimer>();
        m_fanOutTimer->setInterval(m_fanOutMs);
        QObject::connect(m_fanOutTimer.get(), &QTimer::timeout, this, [this] { fanOut(); });
        m_fanOutTimer->start();
        QMetaObject::invokeMethod(this, [this] { fanOut(); }, Qt::QueuedConnection);
        if (!m_senderEnabled)
            return {};
        m_waker->start();
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
        m_fanOutTimer.reset();
        if (m_waker)
            m_waker->stop();
        // A round in progress finishes its current send (bounded by the timeouts); the
        // pool's destructor waits for it in any case, before the services go.
        m_senders.waitForDone(deadline.isForever() ? -1 : int(std::max<qint64>(0, deadline.remainingTime())));
        m_fanOuts.waitForDone(deadline.isForever() ? -1 : int(std::max<qint64>(0, deadline.remainingTime())));
    }

private:
    void poll()
    {
        if (!m_running->load())
            return;
        m_again->store(true);
        if (m_busy->exchange(true))
            return;   // the round in progress goes round once more (m_again)
        std::shared_ptr<std::atomic<bool>> running = m_running, busy = m_busy, again = m_again;
        DeliveryService *delivery = m_delivery.get();
        PushService *push = m_push.get();
        SmsService *sms = m_sms.get();
        m_senders.start([running, busy, again, delivery, push, sms] {
            do {
                // Rounds until nothing is due and nobody woke us meanwhile, so a burst drains
                // without waiting for the timer.
                while (running->load()) {
                    again->store(false);
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
                    if (handled == 0 && !again->load())
                        break;
                }
                busy->store(false);
                // A wake between the last round and here found us busy: take it now.
            } while (running->load() && again->load() && !busy->exchange(true));
        });
    }

    /// Announcements: pages until none is left (one thread; the database workers stay free).
    void fanOut()
    {
        if (!m_running->load() || m_fanOutBusy->exchange(true))
            return;
        std::shared_ptr<std::atomic<bool>> running = m_running, busy = m_fanOutBusy;
        AnnouncementService *announcements = m_announcements.get();
        m_fanOuts.start([running, busy, announcements] {
            while (running->load()) {
                auto n = announcements->runRound();
                if (!n)
                    qWarning().noquote() << "notifications: announcement fan-out failed:" << n.error().message << n.error().logDetail;
                if (!n || *n == 0)
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
    std::unique_ptr<AnnouncementService> m_announcements;
    std::unique_ptr<AnnouncementRoutes> m_announcementRoutes;
    std::unique_ptr<DeliveryWaker> m_waker;
    std::unique_ptr<QTimer> m_poll;
    std::unique_ptr<QTimer> m_fanOutTimer;
    QThreadPool m_senders;
    QThreadPool m_fanOuts;
    int m_pollMs = 1000;
    int m_fanOutMs = 5000;
    bool m_senderEnabled = false;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> m_busy = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> m_again = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> m_fanOutBusy = std::make_shared<std::atomic<bool>>(false);
};

} // namespace Notifications

#include "notificationsplugin.moc"
