// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The files plugin's Prometheus series (ADR 0031): storage (bytes, blobs, files,
/// quarantined files, refreshed from the database), uploads in flight, uploads stored,
/// variants generated, rejections by reason, scan verdicts and scan latency.
/// Thread-safe; without a registry every call is a no-op (unit tests).

#include <QString>
#include <QtGlobal>

#include <mutex>

namespace prometheus {
class Registry;
class Gauge;
class Counter;
class Histogram;
template <typename T> class Family;
}

namespace Files {

struct BlobStats;

class FilesMetrics {
public:
    explicit FilesMetrics(prometheus::Registry *registry = nullptr);

    void uploadStarted();
    void uploadFinished();
    /// An upload stored: counted, and the storage gauges moved by it until the next
    /// refresh from the database (setStorage) replaces them.
    void stored(bool deduplicated, qint64 bytes, bool quarantined);
    /// A refused upload by its problem type ("svg-refused", "quota-exceeded", "file-infected", ...).
    void rejected(const QString &reason);
    void variantGenerated();
    /// A scan's outcome ("clean", "infected", "error") and how long it took.
    void scanned(const QString &verdict, double seconds);
    void setStorage(const BlobStats &stats, qint64 quarantinedFiles);

private:
    prometheus::Gauge *m_inFlight = nullptr;
    prometheus::Gauge *m_bytes = nullptr;
    prometheus::Gauge *m_blobs = nullptr;
    prometheus::Gauge *m_files = nullptr;
    prometheus::Gauge *m_unreferenced = nullptr;
    prometheus::Gauge *m_quarantined = nullptr;
    prometheus::Counter *m_stored = nullptr;
    prometheus::Counter *m_deduplicated = nullptr;
    prometheus::Counter *m_variants = nullptr;
    prometheus::Family<prometheus::Counter> *m_rejections = nullptr;
    prometheus::Family<prometheus::Counter> *m_scans = nullptr;
    prometheus::Histogram *m_scanSeconds = nullptr;
    std::mutex m_labelsMutex;   ///< Family::Add for a new label set
};

} // namespace Files
