// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "drill.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

// The shipped drill files live in this static library's resources.
static void initDrillResources()
{
    Q_INIT_RESOURCE(drills);
}

namespace Community::Ctl::Drills {

namespace {

const QStringList kMetrics{QStringLiteral("p95"), QStringLiteral("errorRatio"), QStringLiteral("eventLag"),
                           QStringLiteral("lost"), QStringLiteral("duplicates"), QStringLiteral("hung"),
                           QStringLiteral("undelivered")};

Result<QList<Check>> parseChecks(const QJsonValue &value, const QString &field)
{
    QList<Check> out;
    if (value.isUndefined())
        return out;
    if (!value.isArray())
        return tl::unexpected(invalidField(field, QStringLiteral("must be an array of checks"), QStringLiteral("type")));
    const QJsonArray arr = value.toArray();
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const QJsonObject o = arr[i].toObject();
        const QString where = QStringLiteral("%1[%2]").arg(field).arg(i);
        Check c;
        c.metric = o.value(QStringLiteral("metric")).toString();
        c.route = o.value(QStringLiteral("route")).toString();
        c.consumer = o.value(QStringLiteral("consumer")).toString();
        if (!kMetrics.contains(c.metric))
            return tl::unexpected(invalidField(where + QStringLiteral(".metric"),
                                               QStringLiteral("one of %1").arg(kMetrics.join(QStringLiteral(", "))),
                                               QStringLiteral("invalid_value")));
        if (c.metric == QLatin1String("p95") && c.route.isEmpty())
            return tl::unexpected(invalidField(where + QStringLiteral(".route"), QStringLiteral("p95 needs a route"),
                                               QStringLiteral("required")));
        if (!o.value(QStringLiteral("max")).isDouble())
            return tl::unexpected(invalidField(where + QStringLiteral(".max"), QStringLiteral("must be a number"),
                                               QStringLiteral("required")));
        c.max = o.value(QStringLiteral("max")).toDouble();
        out.append(c);
    }
    return out;
}

Load parseLoad(const QJsonObject &o)
{
    Load l;
    l.kind = o.value(QStringLiteral("kind")).toString(l.kind);
    l.concurrency = std::clamp(o.value(QStringLiteral("concurrency")).toInt(l.concurrency), 1, 64);
    l.durationSeconds = std::clamp(o.value(QStringLiteral("durationSeconds")).toInt(l.durationSeconds), 1, 3600);
    l.steadySeconds = std::clamp(o.value(QStringLiteral("steadySeconds")).toInt(l.steadySeconds), 1, 600);
    l.writeShare = std::clamp(o.value(QStringLiteral("writeShare")).toDouble(l.writeShare), 0.0, 1.0);
    l.clients = std::clamp(o.value(QStringLiteral("clients")).toInt(l.clients), 1, 500);
    l.ratePerSecond = std::clamp(o.value(QStringLiteral("ratePerSecond")).toDouble(0), 0.0, 100000.0);
    return l;
}

// `{a="x",b="y"}` → labels; values may hold braces (route patterns).
QHash<QString, QString> labelsOf(QStringView block)
{
    QHash<QString, QString> out;
    qsizetype i = 0;
    while (i < block.size()) {
        const qsizetype eq = block.indexOf(QLatin1Char('='), i);
        if (eq < 0 || eq + 1 >= block.size() || block[eq + 1] != QLatin1Char('"'))
            break;
        const QString key = block.mid(i, eq - i).trimmed().toString();
        QString value;
        qsizetype j = eq + 2;
        for (; j < block.size() && block[j] != QLatin1Char('"'); ++j) {
            if (block[j] == QLatin1Char('\\') && j + 1 < block.size())
                ++j;
            value.append(block[j]);
        }
        out.insert(key, value);
        i = j + 2;  // past the quote and the comma
    }
    return out;
}

double quantile(const MetricsSample::Buckets &from, const MetricsSample::Buckets &to, double q)
{
    MetricsSample::Buckets delta;
    for (const auto &[le, count] : to) {
        double before = 0;
        for (const auto &[l2, c2] : from) {
            if (l2 == le)
                before = c2;
        }
        delta.append({le, count - before});
    }
    std::sort(delta.begin(), delta.end());
    if (delta.isEmpty() || delta.last().second <= 0)
        return -1;
    const double rank = q * delta.last().second;
    double lower = 0, lowerCount = 0;
    for (const auto &[le, count] : delta) {
        if (count >= rank) {
            if (std::isinf(le))
                return lower;  // beyond the last finite bound: report that bound
            const double share = count > lowerCount ? (rank - lowerCount) / (count - lowerCount) : 1;
            return lower + (le - lower) * share;
        }
        lower = le;
        lowerCount = count;
    }
    return lower;
}

} // namespace

QString Check::name() const
{
    QString target = !route.isEmpty() ? route : consumer;
    return target.isEmpty() ? QStringLiteral("%1 <= %2").arg(metric).arg(max)
                            : QStringLiteral("%1(%2) <= %3").arg(metric, target).arg(max);
}

QJsonObject Check::toJson() const
{
    QJsonObject o{{QStringLiteral("metric"), metric}, {QStringLiteral("max"), max}};
    if (!route.isEmpty())
        o.insert(QStringLiteral("route"), route);
    if (!consumer.isEmpty())
        o.insert(QStringLiteral("consumer"), consumer);
    return o;
}

Result<Drill> parseDrill(const QByteArray &json)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject())
        return tl::unexpected(invalidField(QStringLiteral("drill"), QStringLiteral("not a JSON object: %1").arg(pe.errorString()),
                                           QStringLiteral("malformed_json")));
    const QJsonObject o = doc.object();
    Drill d;
    d.name = o.value(QStringLiteral("name")).toString();
    d.description = o.value(QStringLiteral("description")).toString();
    if (d.name.isEmpty())
        return tl::unexpected(invalidField(QStringLiteral("name"), QStringLiteral("required"), QStringLiteral("required")));
    d.fault = o.value(QStringLiteral("fault")).toObject();
    if (d.fault.value(QStringLiteral("kind")).toString().isEmpty())
        return tl::unexpected(invalidField(QStringLiteral("fault.kind"), QStringLiteral("required"), QStringLiteral("required")));
    d.load = parseLoad(o.value(QStringLiteral("load")).toObject());
    const QJsonObject recovery = o.value(QStringLiteral("recovery")).toObject();
    d.recoveryBudgetSeconds = std::clamp(recovery.value(QStringLiteral("budgetSeconds")).toInt(10), 1, 3600);
    for (auto [field, target] : {std::pair{QStringLiteral("hypothesis"), &d.hypothesis},
                                 std::pair{QStringLiteral("abortWhen"), &d.abortWhen}}) {
        auto checks = parseChecks(o.value(field), field);
        if (!checks)
            return tl::unexpected(checks.error());
        *target = *checks;
    }
    auto rec = parseChecks(recovery.value(QStringLiteral("checks")), QStringLiteral("recovery.checks"));
    if (!rec)
        return tl::unexpected(rec.error());
    d.recovery = *rec;
    return d;
}

QList<Drill> builtinDrills()
{
    initDrillResources();
    QList<Drill> out;
    for (const QString &name : QDir(QStringLiteral(":/drills")).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        QFile f(QStringLiteral(":/drills/") + name);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        if (auto d = parseDrill(f.readAll()))
            out.append(*d);
    }
    return out;
}

MetricsSample MetricsSample::parse(const QByteArray &text)
{
    MetricsSample s;
    for (const QByteArray &raw : text.split('\n')) {
        if (raw.isEmpty() || raw.startsWith('#'))
            continue;
        const QString line = QString::fromUtf8(raw);
        const qsizetype open = line.indexOf(QLatin1Char('{'));
        const qsizetype close = line.lastIndexOf(QLatin1Char('}'));
        if (open < 0 || close < open)
            continue;
        const QString name = line.left(open);
        const double value = line.mid(close + 1).trimmed().toDouble();
        const QHash<QString, QString> l = labelsOf(QStringView(line).mid(open + 1, close - open - 1));
        const QString route = l.value(QStringLiteral("method")) + QLatin1Char(' ') + l.value(QStringLiteral("route"));
        if (name == QLatin1String("community_http_requests_total")) {
            Counts &c = s.requests[route];
            c.total += value;
            if (l.value(QStringLiteral("status")).startsWith(QLatin1Char('5')))
                c.errors += value;
        } else if (name == QLatin1String("community_http_request_duration_seconds_bucket")) {
            const QString le = l.value(QStringLiteral("le"));
            s.latency[route].append({le == QLatin1String("+Inf") ? INFINITY : le.toDouble(), value});
        } else if (name == QLatin1String("community_events_lag")) {
            s.eventLag.insert(l.value(QStringLiteral("consumer")), value);
        } else if (name == QLatin1String("community_chaos_fault_hits_total")) {
            s.faultHits.insert(l.value(QStringLiteral("kind")), value);
        }
    }
    return s;
}

bool isLoadRoute(const QString &routeKey)
{
    const QString route = routeKey.section(QLatin1Char(' '), 1);
    return !(route.startsWith(QLatin1String("/v1/admin/chaos")) || route.startsWith(QLatin1String("/v1/system"))
             || route == QLatin1String("/metrics") || route == QLatin1String("/readyz") || route == QLatin1String("/healthz")
             || route == QLatin1String("unmatched") || route.startsWith(QLatin1String("/v1/auth")));
}

std::optional<double> windowValue(const Check &check, const MetricsSample &from, const MetricsSample &to)
{
    if (check.metric == QLatin1String("p95")) {
        const double q = quantile(from.latency.value(check.route), to.latency.value(check.route), 0.95);
        return q < 0 ? std::nullopt : std::optional<double>(q);
    }
    if (check.metric == QLatin1String("errorRatio")) {
        double total = 0, errors = 0;
        for (auto it = to.requests.cbegin(); it != to.requests.cend(); ++it) {
            if (check.route.isEmpty() ? !isLoadRoute(it.key()) : it.key() != check.route)
                continue;
            const MetricsSample::Counts before = from.requests.value(it.key());
            total += it->total - before.total;
            errors += it->errors - before.errors;
        }
        return total <= 0 ? std::nullopt : std::optional<double>(errors / total);
    }
    if (check.metric == QLatin1String("eventLag")) {
        if (!check.consumer.isEmpty())
            return to.eventLag.value(check.consumer);
        double worst = 0;
        for (double v : to.eventLag)
            worst = std::max(worst, v);
        return worst;
    }
    return std::nullopt;
}

} // namespace Community::Ctl::Drills
