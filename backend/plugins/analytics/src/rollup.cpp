// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "rollup.h"

namespace Analytics {

namespace {

QString idDim(qint64 id)
{
    return QString::number(id);
}

/// Calls `out(metric, dim)` for each pair `e` counts under. Metric names are literals
/// (no string built per event): this runs for every stored event.
template<typename Out>
void forEachMetric(const RawEvent &e, Out &&out)
{
    const QString &t = e.type;
    out(t, QString());
    auto with = [&out](const QString &metric, const QString &dim) {
        if (!dim.isEmpty() && dim != QLatin1String("0"))
            out(metric, dim);
    };
    if (t == QLatin1String("post_view")) {
        with(QStringLiteral("post_view:post"), idDim(e.targetId));
        with(QStringLiteral("post_view:community"), idDim(e.communityId));
    } else if (t == QLatin1String("page_view")) {
        with(QStringLiteral("page_view:path"), e.dim);
    } else if (t == QLatin1String("search")) {
        with(QStringLiteral("search:query"), e.dim);
        if (e.num == 0) {
            out(QStringLiteral("search_zero"), QString());
            out(QStringLiteral("search_zero:query"), e.dim);
        }
    } else if (t == QLatin1String("zero_result_search")) {
        with(QStringLiteral("zero_result_search:query"), e.dim);
    } else if (t == QLatin1String("search_click")) {
        with(QStringLiteral("search_click:query"), e.dim);
    } else if (t == QLatin1String("post")) {
        with(QStringLiteral("post:community"), idDim(e.communityId));
    } else if (t == QLatin1String("comment")) {
        with(QStringLiteral("comment:post"), idDim(e.targetId));
        with(QStringLiteral("comment:community"), idDim(e.communityId));
    } else if (t == QLatin1String("vote")) {
        with(QStringLiteral("vote:post"), idDim(e.targetId));
    } else if (t == QLatin1String("report_resolved")) {
        with(QStringLiteral("report_resolved:moderator"), idDim(e.userId));
    } else if (t == QLatin1String("mod_action")) {
        with(QStringLiteral("mod_action:moderator"), idDim(e.userId));
    }
}

} // namespace

QList<MetricDim> metricsOf(const RawEvent &e)
{
    QList<MetricDim> out;
    forEachMetric(e, [&out](const QString &metric, const QString &dim) { out.append({metric, dim}); });
    return out;
}

void RollupDelta::add(const RawEvent &e)
{
    const qint64 secs = e.at.toSecsSinceEpoch();
    const qint64 hour = secs - secs % 3600 - (secs < 0 && secs % 3600 ? 3600 : 0);
    const qint64 day = secs - secs % 86400 - (secs < 0 && secs % 86400 ? 86400 : 0);
    forEachMetric(e, [&](const QString &metric, const QString &dim) {
        m_hourly[{hour, metric, dim}] += e.weight;
        m_daily[{day, metric, dim}] += e.weight;
    });
    if (e.userId != 0)
        m_active.insert({hour, e.userId}, true);
}

} // namespace Analytics
