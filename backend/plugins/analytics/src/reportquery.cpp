// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "reportquery.h"

#include "community/request.h"

#include <QTimeZone>

using namespace Community;
using namespace Community::Http;

namespace Analytics {

namespace {

std::optional<QDate> dateParam(const HttpRequest &req, const QString &name, QList<FieldError> &errors)
{
    const QString raw = queryValue(req, name);
    if (raw.isEmpty())
        return QDate();
    static const QRegularExpression shape(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    const QDate d = QDate::fromString(raw, Qt::ISODate);
    if (!shape.match(raw).hasMatch() || !d.isValid()) {
        errors.append({name, QStringLiteral("must be a date YYYY-MM-DD"), QStringLiteral("invalid")});
        return std::nullopt;
    }
    return d;
}

} // namespace

Result<ReportQuery> readReportQuery(const HttpRequest &req, const QString &name, const AnalyticsConfig &cfg,
                                    const QDateTime &now)
{
    if (auto q = checkQuery(req, {QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("tz"),
                                  QStringLiteral("format"), QStringLiteral("limit")});
        !q)
        return tl::unexpected(q.error());
    if (!ReportService::names().contains(name))
        return tl::unexpected(notFound(QStringLiteral("No such report.")));
    QList<FieldError> errors;
    ReportQuery out;
    out.request.name = name;
    const QString tz = queryValue(req, QStringLiteral("tz"));
    out.request.range.tz = tz.isEmpty() ? QStringLiteral("UTC") : tz;
    const QTimeZone zone(out.request.range.tz.toUtf8());
    if (!zone.isValid() || out.request.range.tz.size() > 64)
        errors.append({QStringLiteral("tz"), QStringLiteral("must be an IANA time zone such as Europe/Berlin"),
                       QStringLiteral("invalid")});
    const QString format = queryValue(req, QStringLiteral("format"));
    if (!format.isEmpty() && format != QLatin1String("json") && format != QLatin1String("csv"))
        errors.append({QStringLiteral("format"), QStringLiteral("must be json or csv"), QStringLiteral("invalid")});
    out.csv = format == QLatin1String("csv");
    auto limit = queryLimit(req, cfg.topLimit, 100);
    if (!limit)
        errors += limit.error().fields;
    out.request.limit = limit.value_or(cfg.topLimit);
    const auto from = dateParam(req, QStringLiteral("from"), errors);
    const auto to = dateParam(req, QStringLiteral("to"), errors);
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    out.request.range.to = to->isValid() ? *to : now.toTimeZone(zone).date();
    out.request.range.from = from->isValid() ? *from : out.request.range.to.addDays(-29);
    if (out.request.range.from > out.request.range.to)
        return tl::unexpected(invalidField(QStringLiteral("from"), QStringLiteral("must not be after to"),
                                           QStringLiteral("out_of_range")));
    if (out.request.range.days() > cfg.maxReportDays)
        return tl::unexpected(invalidField(QStringLiteral("to"), QStringLiteral("the range spans at most %1 days").arg(cfg.maxReportDays),
                                           QStringLiteral("out_of_range")));
    return out;
}

} // namespace Analytics
