// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Reports, the moderation queue: rules, authorization, transactions and events.
/// Blocking: call from worker threads. Thread-safe (no mutable state).
///
/// - One open report per reporter and target (unique index reports_open_once): a repeat
///   answers 200 with the open report (201 only when one was created, with the event), so
///   a retried or double-clicked report is harmless. After it is resolved the same person
///   may report again.
/// - Reports on content of any state are accepted (a deleted post may still need a
///   moderator's eye); reporting one's own content is a 400 (targetId, own_content); a
///   target that does not exist is a 404.
/// - The queue: site moderators and admins see every community's reports (optionally one
///   community); community moderators and owners see only the communities they moderate;
///   everyone else gets 403.
/// - Resolving needs moderation rights in the report's community. Resolving again with
///   the same outcome is a no-op 200; a different outcome for a closed report is a 409
///   (report-closed). Resolving does not remove content: that is POST .../remove.

#include "contentcontext.h"
#include "idempotency.h"
#include "reportrepository.h"

#include "community/http.h"
#include "community/principal.h"

#include <functional>

namespace Content {

struct ReportInput {
    QString targetType;      ///< post | comment
    qint64 targetId = 0;
    QString reason;
    QString details;
};

class ReportService {
public:
    explicit ReportService(ContentContext &ctx) : m_ctx(ctx) {}

    /// Files a report (content.report.created when new); `reply` makes the (stored)
    /// response from the report and whether it was created.
    Community::Result<Community::Http::HttpResponse> create(
        const Community::Principal &who, const ReportInput &input, const std::optional<IdempotencyKey> &key,
        const std::function<Community::Http::HttpResponse(const ReportRow &, bool created)> &reply);
    /// The queue the caller may see: `status`, one community (`slug`) or all theirs, ids
    /// below `before`, up to `rows`.
    Community::Result<QList<ReportRow>> queue(const Community::Principal &who, const QString &status,
                                              const QString &slug, qint64 before, int rows);
    /// Resolves or dismisses a report (content.report.resolved).
    Community::Result<ReportRow> resolve(const Community::Principal &who, qint64 reportId, const QString &resolution,
                                         const QString &note);

private:
    ContentContext &m_ctx;
};

} // namespace Content
