// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "rollup.h"

namespace Analytics {

namespace {

QString idDim(qint64 id)
{
    return QString::number(id);
}

} // namespace

QList<MetricDim> metricsOf(const RawEvent &e)
{
    QList<MetricDim> out{{e.type, QString()}};
    const QString &t = e.type;
    auto with = [&out, &t](const char *suffix, const QString &dim) {
        if (!dim.isEmpty() && dim != QLatin1String("0"))
            out.append({t + QLatin1Char(':') + QLatin1String(suffix), dim});
    };
    if (t == QLatin1String("post_view")) {
        with("post", idDim(e.targetId));
        with("community", idDim(e.communityId));
    } else if (t == QLatin1String("page_view")) {
        with("path", e.dim);
    } else if (t == QLatin1String("search")) {
        with("query", e.dim);
        if (e.num == 0) {
            out.append({QStringLiteral("search_zero"), QString()});
            out.append({QStringLiteral("search_zero:query"), e.dim});
        }
    } else if (t == QLatin1String("zero_result_search")) {
        with("query", e.dim);
    } else if (t == QLatin1String("search_click")) {
        with("query", e.dim);
    } else if (t == QLatin1String("post")) {
        with("community", idDim(e.communityId));
    } else if (t == QLatin1String("comment")) {
        with("post", idDim(e.targetId));
        with("community", idDim(e.communityId));
    } else if (t == QLatin1String("vote")) {
        with("post", idDim(e.targetId));
    } else if (t == QLatin1String("report_resolved") || t == QLatin1String("mod_action")) {
        with("moderator", idDim(e.userId));
    }
    return out;
}

void RollupDelta::add(const RawEvent &e)
{
    const qint64 secs = e.at.toSecsSinceEpoch();
    const qint64 hour = secs - secs % 3600 - (secs < 0 && secs % 3600 ? 3600 : 0);
    const qint64 day = secs - secs % 86400 - (secs < 0 && secs % 86400 ? 86400 : 0);
    for (const MetricDim &m : metricsOf(e)) {
        m_hourly[{hour, m.metric, m.dim}] += e.weight;
        m_daily[{day, m.metric, m.dim}] += e.weight;
    }
    if (e.userId != 0)
        m_active.insert({hour, e.userId}, true);
}

} // namespace Analytics
