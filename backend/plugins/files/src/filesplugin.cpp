// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The files plugin: wiring only. Uploads, storage, downloads and garbage collection live
// in files_core (service, repository, blob store, sniffer, routes).

#include "blobstore.h"
#include "fileaccess.h"
#include "filesmetrics.h"
#include "filesroutes.h"
#include "filesservice.h"
#include "scanner.h"
#include "s3blobstore.h"
#include "tusroutes.h"
#include "tusservice.h"

#include "community/database.h"
#include "community/plugin.h"
#include "community/router.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

#include <curl/curl.h>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <atomic>
#include <memory>

using namespace Community;

namespace Files {

namespace {

/// The default signing key when none is configured: 32 random bytes kept in the storage
/// folder (0600), so signed URLs stay valid across restarts.
Result<SigningKey> localSigningKey(const QString &storageDir)
{
    QFile f(storageDir + QStringLiteral("/signing.key"));
    if (f.exists()) {
        if (!f.open(QIODevice::ReadOnly))
            return fail(ErrorCode::Config, QStringLiteral("cannot read %1").arg(f.fileName()));
        return SigningKey{QStringLiteral("local"), f.readAll().trimmed()};
    }
    QByteArray secret(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(secret.data()), 8);
    secret = secret.toHex();
    if (!f.open(QIODevice::WriteOnly | QIODevice::NewOnly) || f.write(secret) != secret.size())
        return fail(ErrorCode::Config, QStringLiteral("cannot create %1").arg(f.fileName()));
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return SigningKey{QStringLiteral("local"), secret};
}

} // namespace

class FilesPlugin : public QObject, public IPlugin {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID CommunityPlugin_iid FILE "files.json")
    Q_INTERFACES(Community::IPlugin)

public:
    Result<void> initialize(PluginContext &ctx) override
    {
        auto config = readFilesConfig(ctx.config(), ctx.configPath(), ctx.dataDirectory());
        if (!config)
            return tl::unexpected(config.error());
        m_config = *config;
        if (m_config.storage == QLatin1String("s3")) {
            curl_global_init(CURL_GLOBAL_DEFAULT);   // refcounted; before any thread uses curl
            m_s3 = new S3BlobStore(m_config.s3);
            m_s3->setTempDirectory(m_config.storageDir);
            m_store.reset(m_s3);
        } else {
            m_store = std::make_unique<LocalBlobStore>(m_config.storageDir);
        }
        m_service = std::make_unique<FilesService>(ctx.database(), *m_store, m_config);
        m_service->setEvents(&ctx.events());
        // Metrics and the scanning hook (ADR 0031); rejections are counted by FilesMetrics.
        m_db = &ctx.database();
        m_metrics = std::make_unique<FilesMetrics>(&ctx.metrics());
        m_service->setMetrics(m_metrics.get());
        if (m_config.scan.enabled()) {
            m_scanner = std::make_unique<Scanner>(m_config.scan);
            m_service->setScanner(m_scanner.get());
        }
        m_routes = std::make_unique<FilesRoutes>(ctx.database(), *m_service);
        m_tus = std::make_unique<TusService>(ctx.database(), *m_service);
        m_tusRoutes = std::make_unique<TusRoutes>(ctx.database(), *m_service, *m_tus);
        if (auto r = ctx.router().add(m_tusRoutes->routes()); !r)
            return r;
        m_access = std::make_unique<FileAccess>(ctx.database(), *m_service);
        if (auto r = ctx.provide<Contracts::IFileAccess>(m_access.get()); !r)
            return r;
        return ctx.router().add(m_routes->routes());
    }

    QString migrationsResource() const override { return QStringLiteral(":/migrations/files"); }

    Result<void> start() override
    {
        if (!QDir().mkpath(m_config.storageDir + QStringLiteral("/blobs")))
            return fail(ErrorCode::Config, QStringLiteral("cannot create %1").arg(m_config.storageDir));
        QList<SigningKey> keys = m_config.signingKeys;
        if (keys.isEmpty()) {
            auto local = localSigningKey(m_config.storageDir);
            if (!local)
                return tl::unexpected(local.error());
            keys.append(*local);
        }
        m_service->setSigningKeys(keys);
        // S3: reachable, the bucket there, the credentials accepted, or no start (the
        // message names endpoint, bucket and S3's error code, never the secret).
        if (m_s3) {
            if (auto ok = m_s3->checkBucket(); !ok)
                return ok;
            qInfo("files: storing blobs in S3 bucket %s at %s (%s)", qPrintable(m_config.s3.bucket),
                  qPrintable(m_config.s3.endpoint), m_config.s3.pathStyle ? "path-style" : "virtual-host style");
        }
        // Storage gauges come from the database (the same on every node): at start and
        // every 30 s on a worker.
        m_running->store(true);
        m_metricsTimer = std::make_unique<QTimer>();
        m_metricsTimer->setInterval(30'000);
        QObject::connect(m_metricsTimer.get(), &QTimer::timeout, this, [this] { refreshMetrics(); });
        m_metricsTimer->start();
        refreshMetrics();
        return startTus();
    }

    void stop(QDeadlineTimer) override
    {
        m_running->store(false);
        m_metricsTimer.reset();
        m_tusSweep.reset();
    }

private:
    void refreshMetrics()
    {
        FilesService *svc = m_service.get();
        std::shared_ptr<std::atomic<bool>> running = m_running;
        m_db->trySubmit([svc, running] {
            if (!running->load())
                return;
            if (auto r = svc->refreshMetrics(); !r)
                qWarning().noquote() << "files: reading storage totals for /metrics failed:" << r.error().logDetail;
        });
    }

    /// Resumable uploads: their folder, partial files a crash left without a row, and the
    /// periodic sweep of expired uploads (on a worker; a full queue skips one period).
    Result<void> startTus()
    {
        if (!QDir().mkpath(m_tus->directory()))
            return fail(ErrorCode::Config, QStringLiteral("cannot create %1").arg(m_tus->directory()));
        if (auto orphans = m_tus->removeOrphans(); !orphans)
            qWarning().noquote() << "files: removing orphaned tus data failed:" << orphans.error().logDetail;
        m_running->store(true);
        m_tusSweep = std::make_unique<QTimer>();
        QObject::connect(m_tusSweep.get(), &QTimer::timeout, [db = m_db, tus = m_tus.get(), running = m_running] {
            db->trySubmit([tus, running] {
                if (!running->load())
                    return;
                if (auto n = tus->sweep(); !n)
                    qWarning().noquote() << "files: tus sweep failed:" << n.error().message << n.error().logDetail;
            });
        });
        m_tusSweep->start(std::chrono::seconds(m_config.tus.sweepSeconds));
        return {};
    }

    FilesConfig m_config;
    Db::Database *m_db = nullptr;
    std::unique_ptr<FilesMetrics> m_metrics;
    std::unique_ptr<Scanner> m_scanner;
    std::unique_ptr<QTimer> m_metricsTimer;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
    std::unique_ptr<IBlobStore> m_store;
    S3BlobStore *m_s3 = nullptr;   // m_store when storage is "s3"
    std::unique_ptr<FilesService> m_service;
    std::unique_ptr<FilesRoutes> m_routes;
    std::unique_ptr<FileAccess> m_access;
    std::unique_ptr<TusService> m_tus;
    std::unique_ptr<TusRoutes> m_tusRoutes;
    std::unique_ptr<QTimer> m_tusSweep;
};

} // namespace Files

#include "filesplugin.moc"
