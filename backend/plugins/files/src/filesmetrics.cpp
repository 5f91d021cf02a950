// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "filesmetrics.h"

#include "filesrepository.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace Files {

FilesMetrics::FilesMetrics(prometheus::Registry *registry)
{
    if (!registry)
        return;
    auto gauge = [registry](const char *name, const char *help) {
        return &prometheus::BuildGauge().Name(name).Help(help).Register(*registry).Add({});
    };
    m_inFlight = gauge("community_files_uploads_in_flight", "Uploads being checked, scanned and stored by this process");
    m_bytes = gauge("community_files_stored_bytes", "Bytes of content-addressed blobs stored (each content once)");
    m_blobs = gauge("community_files_blobs", "Content-addressed blobs stored");
    m_files = gauge("community_files_files", "Live files (rows; deduplicated files count each)");
    m_unreferenced = gauge("community_files_unreferenced_blobs", "Blobs no file references, waiting for garbage collection");
    m_quarantined = gauge("community_files_quarantined_files", "Files the scanning hook quarantined (stored, never served)");
    auto &stored = prometheus::BuildCounter()
                       .Name("community_files_uploads_total")
                       .Help("Uploads stored, by whether their content was stored already")
                       .Register(*registry);
    m_stored = &stored.Add({{"deduplicated", "false"}});
    m_deduplicated = &stored.Add({{"deduplicated", "true"}});
    m_variants = &prometheus::BuildCounter()
                      .Name("community_files_variants_generated_total")
                      .Help("Image variants (thumb, preview) generated; cached ones are not counted")
                      .Register(*registry)
                      .Add({});
    m_rejections = &prometheus::BuildCounter()
                        .Name("community_files_rejections_total")
                        .Help("Uploads refused, by problem type")
                        .Register(*registry);
    m_scans = &prometheus::BuildCounter()
                   .Name("community_files_scans_total")
                   .Help("Uploads scanned by the scanning hook, by verdict (clean, infected, error)")
                   .Register(*registry);
    for (const char *v : {"clean", "infected", "error"})
        m_scans->Add({{"verdict", v}});
    m_scanSeconds = &prometheus::BuildHistogram()
                         .Name("community_files_scan_duration_seconds")
                         .Help("Time one scan took (command run or clamd INSTREAM round trip)")
                         .Register(*registry)
                         .Add({}, prometheus::Histogram::BucketBoundaries{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
                                                                          5, 10, 30});
}

void FilesMetrics::uploadStarted()
{
    if (m_inFlight)
        m_inFlight->Increment();
}

void FilesMetrics::uploadFinished()
{
    if (m_inFlight)
        m_inFlight->Decrement();
}

void FilesMetrics::stored(bool deduplicated, qint64 bytes, bool quarantined)
{
    if (!m_stored)
        return;
    (deduplicated ? m_deduplicated : m_stored)->Increment();
    m_files->Increment();
    if (!deduplicated) {
        m_blobs->Increment();
        m_bytes->Increment(double(bytes));
    }
    if (quarantined)
        m_quarantined->Increment();
}

void FilesMetrics::rejected(const QString &reason)
{
    if (!m_rejections)
        return;
    std::lock_guard lock(m_labelsMutex);
    m_rejections->Add({{"reason", reason.toStdString()}}).Increment();
}

void FilesMetrics::variantGenerated()
{
    if (m_variants)
        m_variants->Increment();
}

void FilesMetrics::scanned(const QString &verdict, double seconds)
{
    if (!m_scans)
        return;
    {
        std::lock_guard lock(m_labelsMutex);
        m_scans->Add({{"verdict", verdict.toStdString()}}).Increment();
    }
    m_scanSeconds->Observe(seconds);
}

void FilesMetrics::setStorage(const BlobStats &s, qint64 quarantinedFiles)
{
    if (!m_bytes)
        return;
    m_bytes->Set(double(s.bytes));
    m_blobs->Set(double(s.blobs));
    m_files->Set(double(s.files));
    m_unreferenced->Set(double(s.unreferenced));
    m_quarantined->Set(double(quarantinedFiles));
}

} // namespace Files
