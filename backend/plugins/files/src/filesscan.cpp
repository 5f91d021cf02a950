// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// FilesService's scanning hook and operator views (ADR 0031): apart from filesservice.cpp
// so the upload path there only gains one call.
#include "filesmetrics.h"
#include "filesservice.h"
#include "scanner.h"

#include "community/database.h"
#include "community/http.h"

#include <QDebug>
#include <QElapsedTimer>

using namespace Community;

namespace Files {

Result<QString> FilesService::screen(const UploadInput &input)
{
    if (!m_scanner || !m_scanner->config().enabled())
        return QString();
    const ScanConfig &config = m_scanner->config();
    QElapsedTimer timer;
    timer.start();
    auto verdict = m_scanner->scan(input.body->path());
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (!verdict) {
        if (m_metrics)
            m_metrics->scanned(QStringLiteral("error"), seconds);
        if (verdict.error().code != ErrorCode::Unavailable)
            return tl::unexpected(verdict.error());
        if (config.onError == ScanConfig::OnError::Allow) {
            qWarning().noquote() << "files: scan failed, upload of user" << input.ownerId
                                 << "allowed unscanned (onError: allow):" << verdict.error().logDetail;
            return QString();
        }
        qWarning().noquote() << "files: scan failed, upload of user" << input.ownerId
                             << "refused (onError: reject):" << verdict.error().logDetail;
        return tl::unexpected(rejected(verdict.error()));
    }
    if (m_metrics)
        m_metrics->scanned(verdict->infected ? QStringLiteral("infected") : QStringLiteral("clean"), seconds);
    if (!verdict->infected)
        return QString();
    const bool quarantine = config.action == ScanConfig::Action::Quarantine;
    qWarning().noquote() << "files: upload of user" << input.ownerId << "(" << input.purpose << ") is infected:"
                         << verdict->signature << (quarantine ? "- quarantined" : "- refused");
    if (quarantine)
        return verdict->signature;
    // The signature is for logs and admins: to a user it is a hint for writing around the scanner.
    Error e = Error::make(ErrorCode::InvalidArgument,
                          input.byAdmin ? QStringLiteral("The malware scan refused this file: %1.").arg(verdict->signature)
                                        : QStringLiteral("The malware scan refused this file."),
                          verdict->signature);
    e.type = QStringLiteral("file-infected");
    return tl::unexpected(rejected(e));
}

Result<void> FilesService::refreshMetrics()
{
    if (!m_metrics)
        return {};
    qint64 quarantined = 0;
    auto s = m_db.read<BlobStats>([&quarantined](pqxx::nontransaction &tx) -> Result<BlobStats> {
        FilesRepository repo(tx);
        quarantined = repo.quarantinedCount();
        return repo.stats();
    });
    if (!s)
        return tl::unexpected(s.error());
    m_metrics->setStorage(*s, quarantined);
    return {};
}

Result<QList<QuarantinedFile>> FilesService::quarantinedFiles(int limit)
{
    return m_db.read<QList<QuarantinedFile>>([limit](pqxx::nontransaction &tx) -> Result<QList<QuarantinedFile>> {
        return FilesRepository(tx).quarantined(limit);
    });
}

Result<QuotaReport> FilesService::quota(qint64 ownerId)
{
    auto usage = m_db.read<std::pair<qint64, qint64>>([ownerId](pqxx::nontransaction &tx) -> Result<std::pair<qint64, qint64>> {
        return FilesRepository(tx).usage(ownerId);
    });
    if (!usage)
        return tl::unexpected(usage.error());
    return QuotaReport{ownerId, usage->first, usage->second, m_config.quotaBytes};
}

} // namespace Files
