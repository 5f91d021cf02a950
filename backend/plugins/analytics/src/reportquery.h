// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The query of a report request: from, to (local days, inclusive; default the 30 days
/// ending today in the zone), tz (IANA name, default UTC), format (json or csv), limit
/// (ranked lists). Pure; safe on any thread.

#include "analyticsconfig.h"
#include "reportservice.h"

#include "community/http.h"

namespace Analytics {

struct ReportQuery {
    ReportRequest request;
    bool csv = false;
};

/// Field errors name the parameter ("from", "tz", ...); an unknown parameter is refused.
Community::Result<ReportQuery> readReportQuery(const Community::Http::HttpRequest &req, const QString &name,
                                               const AnalyticsConfig &cfg, const QDateTime &now = QDateTime::currentDateTimeUtc());

} // namespace Analytics
