// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The files service: checks an upload (purpose, name, sniffed type, polyglots, size,
/// quota), stores it content-addressed with deduplication and reference counts, decides
/// who may read a file, deletes, and collects garbage. Every call blocks (disk, SQL):
/// run it on the database's workers, never on an event loop.

#include "blobstore.h"
#include "filespolicy.h"
#include "filesrepository.h"
#include "signedurl.h"

#include "community/principal.h"
#include "community/result.h"

#include <QUrlQuery>

#include <atomic>
#include <memory>

namespace Community::Db { class Database; }
namespace Community::Http { class SpooledBody; }

namespace Community::Events { class EventBus; }

namespace Files {

struct UploadInput {
    qint64 ownerId = 0;
    QString purpose;
    QString name;
    QString declaredType;                         ///< the client's Content-Type, if any
    std::shared_ptr<Community::Http::SpooledBody> body;
};

struct UploadResult {
    FileRecord file;
    bool deduplicated = false;   ///< the content was stored already
};

struct GcReport {
    QList<QByteArray> removed;   ///< blob names (those that would go, for a dry run)
    bool dryRun = false;
};

struct VerifyReport {
    QList<QByteArray> missing;   ///< rows whose blob is not in the store
    QList<QByteArray> orphans;   ///< blobs in the store without a row
};

/// Counters for /metrics (rejections by reason are kept by the routes' caller).
struct FilesCounters {
    std::atomic<qint64> uploadsInFlight{0};
    std::atomic<qint64> variantsGenerated{0};
};

class FilesService {
public:
    FilesService(Community::Db::Database &db, IBlobStore &store, FilesConfig config);

    /// Callback for every refused upload with its problem type ("svg-refused", ...).
    void setRejectionObserver(std::function<void(const QString &)> observer) { m_onReject = std::move(observer); }

    /// Where "files.upload.stored" is published, in the upload's transaction (none: not published).
    void setEvents(Community::Events::EventBus *bus) { m_events = bus; }

    /// Replaces the URL-signing keys (first signs). Call before serving (plugin start()).
    void setSigningKeys(QList<SigningKey> keys) { m_signer = UrlSigner(std::move(keys)); }

    Community::Result<UploadResult> upload(const UploadInput &input);
    /// The file if `viewer` may read it: public purposes for anyone, private ones for the
    /// owner, an admin, or a request carrying a valid signature for `path`.
    Community::Result<FileRecord> readable(qint64 id, const Community::Principal &viewer, const QString &path,
                                           const QUrlQuery &query);
    /// A variant ("thumb.jpg", "thumb.webp", "preview.jpg", "preview.webp") of an image,
    /// generated on first request and cached beside the blobs (content-addressed).
    Community::Result<QByteArray> variant(const FileRecord &file, const QString &name);
    Community::Result<FileRecord> remove(qint64 id, const Community::Principal &viewer);
    Community::Result<QString> signedUrl(qint64 id, const Community::Principal &viewer, qint64 ttlSeconds);
    /// A signed content path for file `id`, valid `ttlSeconds` (capped); no access check:
    /// the caller (IFileAccess) has made it.
    QString signPath(qint64 id, qint64 ttlSeconds) const;
    Community::Result<qint64> usedBytes(qint64 ownerId);
    Community::Result<GcReport> collectGarbage(bool dryRun);
    Community::Result<VerifyReport> verify();
    Community::Result<BlobStats> stats();

    IBlobStore &store() { return m_store; }
    const FilesConfig &config() const { return m_config; }
    FilesCounters &counters() { return m_counters; }

private:
    Community::Result<void> checkContent(const PurposePolicy &purpose, const UploadInput &input,
                                         QString *mediaType);
    Community::Result<std::shared_ptr<Community::Http::SpooledBody>> checkImage(const PurposePolicy &purpose,
                                                                              const UploadInput &input,
                                                                              const QString &mediaType);
    Community::Result<UploadResult> store(const UploadInput &input, const QString &mediaType, const QByteArray &sha);
    Community::Error rejected(Community::Error e);
    void keepForCollection(const QByteArray &sha, qint64 size, const QString &mediaType);

    Community::Db::Database &m_db;
    IBlobStore &m_store;
    FilesConfig m_config;
    Community::Events::EventBus *m_events = nullptr;
    UrlSigner m_signer;
    FilesCounters m_counters;
    std::function<void(const QString &)> m_onReject;
};

/// Path of a file's content route ("/v1/files/42/content").
QString contentPath(qint64 id);

} // namespace Files
