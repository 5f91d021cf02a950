// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "reportservice.h"

#include "community/database.h"

#include <QJsonArray>

#include <pqxx/pqxx>

using namespace Community;

namespace Analytics {

namespace {

using Builder = Report (*)(ReportRepository &, const ReportRequest &);

QString num(double v)
{
    return QString::number(v, 'g', 12);
}

QJsonValue ratio(double part, double whole)
{
    return whole > 0 ? QJsonValue(part / whole) : QJsonValue();
}

QJsonObject rangeJson(const ReportRange &r)
{
    return {{QStringLiteral("from"), r.from.toString(Qt::ISODate)}, {QStringLiteral("to"), r.to.toString(Qt::ISODate)}};
}

/// `previous` and `change` (relative, null when the previous value is 0) for the totals.
void compare(QJsonObject &out, const ReportRange &r, const QJsonObject &current, const QJsonObject &previous)
{
    QJsonObject prev = rangeJson(r.previous());
    prev.insert(QStringLiteral("totals"), previous);
    QJsonObject change;
    for (auto it = current.begin(); it != current.end(); ++it) {
        const double before = previous.value(it.key()).toDouble();
        change.insert(it.key(), before != 0 ? QJsonValue((it.value().toDouble() - before) / before) : QJsonValue());
    }
    out.insert(QStringLiteral("totals"), current);
    out.insert(QStringLiteral("previous"), prev);
    out.insert(QStringLiteral("change"), change);
}

/// A per-day report of summed metrics (signups, activity).
Report metricReport(ReportRepository &repo, const ReportRequest &q, const QStringList &metrics, const QStringList &names)
{
    const auto byDay = repo.series(metrics, q.range);
    Report rep;
    rep.table.columns = QStringList{QStringLiteral("date")} + names;
    QJsonArray series;
    for (QDate d = q.range.from; d <= q.range.to; d = d.addDays(1)) {
        QJsonObject row{{QStringLiteral("date"), d.toString(Qt::ISODate)}};
        QStringList cells{d.toString(Qt::ISODate)};
        for (qsizetype i = 0; i < metrics.size(); ++i) {
            const double v = byDay.value(d).value(metrics[i]);
            row.insert(names[i], v);
            cells << num(v);
        }
        series.append(row);
        rep.table.rows.append(cells);
    }
    auto totalsOf = [&](const ReportRange &r) {
        const auto t = repo.totals(metrics, r);
        QJsonObject o;
        for (qsizetype i = 0; i < metrics.size(); ++i)
            o.insert(names[i], t.value(metrics[i]));
        return o;
    };
    rep.json.insert(QStringLiteral("series"), series);
    compare(rep.json, q.range, totalsOf(q.range), totalsOf(q.range.previous()));
    return rep;
}

Report signups(ReportRepository &repo, const ReportRequest &q)
{
    return metricReport(repo, q, {QStringLiteral("signup")}, {QStringLiteral("signups")});
}

Report activity(ReportRepository &repo, const ReportRequest &q)
{
    return metricReport(repo, q,
                        {QStringLiteral("post"), QStringLiteral("comment"), QStringLiteral("vote"), QStringLiteral("login"),
                         QStringLiteral("upload"), QStringLiteral("chat_message")},
                        {QStringLiteral("posts"), QStringLiteral("comments"), QStringLiteral("votes"), QStringLiteral("logins"),
                         QStringLiteral("uploads"), QStringLiteral("chatMessages")});
}

QJsonObject activeTotals(ReportRepository &repo, const ReportRange &r)
{
    const auto days = repo.activeUsers(r);
    double sum = 0, ratioSum = 0;
    qint64 peak = 0;
    for (const ActiveDay &d : days) {
        sum += double(d.dau);
        ratioSum += d.mau ? double(d.dau) / double(d.mau) : 0;
        peak = std::max(peak, d.dau);
    }
    const double n = std::max<double>(1, double(days.size()));
    return {{QStringLiteral("averageDau"), sum / n}, {QStringLiteral("peakDau"), double(peak)},
            {QStringLiteral("averageDauMau"), ratioSum / n}, {QStringLiteral("activeUsers"), double(repo.distinctActive(r))}};
}

Report activeUsers(ReportRepository &repo, const ReportRequest &q)
{
    Report rep;
    rep.table.columns = {QStringLiteral("date"), QStringLiteral("dau"), QStringLiteral("wau"), QStringLiteral("mau"),
                         QStringLiteral("dauMau")};
    QJsonArray series;
    const auto days = repo.activeUsers(q.range);
    for (auto it = days.cbegin(); it != days.cend(); ++it) {
        const ActiveDay &d = it.value();
        const QJsonValue r = ratio(double(d.dau), double(d.mau));
        series.append(QJsonObject{{QStringLiteral("date"), it.key().toString(Qt::ISODate)},
                                  {QStringLiteral("dau"), double(d.dau)}, {QStringLiteral("wau"), double(d.wau)},
                                  {QStringLiteral("mau"), double(d.mau)}, {QStringLiteral("dauMau"), r}});
        rep.table.rows.append({it.key().toString(Qt::ISODate), num(double(d.dau)), num(double(d.wau)), num(double(d.mau)),
                               r.isNull() ? QString() : num(r.toDouble())});
    }
    rep.json.insert(QStringLiteral("series"), series);
    compare(rep.json, q.range, activeTotals(repo, q.range), activeTotals(repo, q.range.previous()));
    return rep;
}

QJsonArray rankedJson(const QList<Ranked> &items, const QString &key, ReportTable &table, const QString &list)
{
    QJsonArray out;
    for (const Ranked &r : items) {
        out.append(QJsonObject{{key, r.dim}, {QStringLiteral("value"), r.value}});
        table.rows.append({list, r.dim, num(r.value)});
    }
    return out;
}

Report topContent(ReportRepository &repo, const ReportRequest &q)
{
    Report rep;
    rep.table.columns = {QStringLiteral("list"), QStringLiteral("id"), QStringLiteral("value")};
    const QList<std::pair<QString, QString>> lists{
        {QStringLiteral("postsByViews"), QStringLiteral("post_view:post")},
        {QStringLiteral("postsByVotes"), QStringLiteral("vote:post")},
        {QStringLiteral("postsByComments"), QStringLiteral("comment:post")},
        {QStringLiteral("communitiesByViews"), QStringLiteral("post_view:community")},
        {QStringLiteral("communitiesByPosts"), QStringLiteral("post:community")},
        {QStringLiteral("communitiesByComments"), QStringLiteral("comment:community")},
    };
    for (const auto &[name, metric] : lists)
        rep.json.insert(name, rankedJson(repo.top(metric, q.range, q.limit), QStringLiteral("id"), rep.table, name));
    const QStringList metrics{QStringLiteral("post_view"), QStringLiteral("vote"), QStringLiteral("comment")};
    auto totalsOf = [&](const ReportRange &r) {
        const auto t = repo.totals(metrics, r);
        return QJsonObject{{QStringLiteral("postViews"), t.value(metrics[0])}, {QStringLiteral("votes"), t.value(metrics[1])},
                           {QStringLiteral("comments"), t.value(metrics[2])}};
    };
    compare(rep.json, q.range, totalsOf(q.range), totalsOf(q.range.previous()));
    return rep;
}

QJsonObject searchTotals(ReportRepository &repo, const ReportRange &r)
{
    const auto t = repo.totals({QStringLiteral("search"), QStringLiteral("search_zero"), QStringLiteral("search_click"),
                                QStringLiteral("zero_result_search")},
                               r);
    const double searches = t.value(QStringLiteral("search"));
    return {{QStringLiteral("searches"), searches},
            {QStringLiteral("serverZeroResultSearches"), t.value(QStringLiteral("zero_result_search"))},
            {QStringLiteral("zeroResultSearches"), t.value(QStringLiteral("search_zero"))},
            {QStringLiteral("clicks"), t.value(QStringLiteral("search_click"))},
            {QStringLiteral("zeroResultRate"), ratio(t.value(QStringLiteral("search_zero")), searches)},
            {QStringLiteral("ctr"), ratio(t.value(QStringLiteral("search_click")), searches)}};
}

Report search(ReportRepository &repo, const ReportRequest &q)
{
    Report rep = metricReport(repo, q, {QStringLiteral("search"), QStringLiteral("search_zero"), QStringLiteral("search_click")},
                              {QStringLiteral("searches"), QStringLiteral("zeroResultSearches"), QStringLiteral("clicks")});
    const QList<Ranked> top = repo.top(QStringLiteral("search:query"), q.range, q.limit);
    QStringList queries;
    for (const Ranked &r : top)
        queries << r.dim;
    const auto clicks = repo.valuesFor(QStringLiteral("search_click:query"), queries, q.range);
    QJsonArray topQueries;
    for (const Ranked &r : top) {
        const double c = clicks.value(r.dim);
        topQueries.append(QJsonObject{{QStringLiteral("query"), r.dim}, {QStringLiteral("searches"), r.value},
                                      {QStringLiteral("clicks"), c}, {QStringLiteral("ctr"), ratio(c, r.value)}});
    }
    QJsonArray zero;
    for (const Ranked &r : repo.top(QStringLiteral("search_zero:query"), q.range, q.limit))
        zero.append(QJsonObject{{QStringLiteral("query"), r.dim}, {QStringLiteral("searches"), r.value}});
    rep.json.insert(QStringLiteral("topQueries"), topQueries);
    rep.json.insert(QStringLiteral("topZeroResultQueries"), zero);
    // From the search plugin's own events (every zero-result search, whatever the client sends).
    QJsonArray serverZero;
    for (const Ranked &r : repo.top(QStringLiteral("zero_result_search:query"), q.range, q.limit))
        serverZero.append(QJsonObject{{QStringLiteral("query"), r.dim}, {QStringLiteral("searches"), r.value}});
    rep.json.insert(QStringLiteral("topServerZeroResultQueries"), serverZero);
    compare(rep.json, q.range, searchTotals(repo, q.range), searchTotals(repo, q.range.previous()));
    return rep;
}

QJsonObject moderationTotals(ReportRepository &repo, const ReportRange &r)
{
    const auto t = repo.totals({QStringLiteral("report_opened"), QStringLiteral("report_resolved"), QStringLiteral("mod_action")}, r);
    const ResponseTimes rt = repo.responseTimes(r);
    return {{QStringLiteral("opened"), t.value(QStringLiteral("report_opened"))},
            {QStringLiteral("resolved"), t.value(QStringLiteral("report_resolved"))},
            {QStringLiteral("actions"), t.value(QStringLiteral("mod_action"))},
            {QStringLiteral("answeredReports"), double(rt.resolved)},
            {QStringLiteral("averageFirstResponseSeconds"), rt.averageSeconds},
            {QStringLiteral("medianFirstResponseSeconds"), rt.medianSeconds}};
}

Report moderation(ReportRepository &repo, const ReportRequest &q)
{
    Report rep = metricReport(repo, q, {QStringLiteral("report_opened"), QStringLiteral("report_resolved"), QStringLiteral("mod_action")},
                              {QStringLiteral("opened"), QStringLiteral("resolved"), QStringLiteral("actions")});
    // Resolutions and other actions (removals, penalties) per moderator.
    QHash<QString, double> perModerator;
    for (const char *metric : {"report_resolved:moderator", "mod_action:moderator"})
        for (const Ranked &r : repo.top(QLatin1String(metric), q.range, 1000))
            perModerator[r.dim] += r.value;
    QList<Ranked> ranked;
    for (auto it = perModerator.cbegin(); it != perModerator.cend(); ++it)
        ranked.append({it.key(), it.value()});
    std::sort(ranked.begin(), ranked.end(), [](const Ranked &a, const Ranked &b) {
        return a.value != b.value ? a.value > b.value : a.dim < b.dim;
    });
    QJsonArray moderators;
    for (const Ranked &r : ranked.mid(0, q.limit))
        moderators.append(QJsonObject{{QStringLiteral("moderatorId"), r.dim}, {QStringLiteral("actions"), r.value}});
    rep.json.insert(QStringLiteral("actionsPerModerator"), moderators);
    compare(rep.json, q.range, moderationTotals(repo, q.range), moderationTotals(repo, q.range.previous()));
    return rep;
}

Report retention(ReportRepository &repo, const ReportRequest &q)
{
    Report rep;
    const QList<Cohort> cohorts = repo.cohorts(q.range);
    qsizetype width = 0;
    for (const Cohort &c : cohorts)
        width = std::max(width, c.retained.size());
    rep.table.columns = {QStringLiteral("week"), QStringLiteral("size")};
    for (qsizetype k = 0; k < width; ++k)
        rep.table.columns << QStringLiteral("week%1").arg(k);
    QJsonArray out;
    double signups = 0, week1 = 0, week1Base = 0;
    for (const Cohort &c : cohorts) {
        QJsonArray retained, rates;
        QStringList cells{c.week.toString(Qt::ISODate), num(double(c.size))};
        for (qint64 v : c.retained) {
            retained.append(double(v));
            rates.append(ratio(double(v), double(c.size)));
            cells << num(double(v));
        }
        signups += double(c.size);
        if (c.retained.size() > 1) {
            week1 += double(c.retained[1]);
            week1Base += double(c.size);
        }
        out.append(QJsonObject{{QStringLiteral("week"), c.week.toString(Qt::ISODate)}, {QStringLiteral("size"), double(c.size)},
                               {QStringLiteral("retained"), retained}, {QStringLiteral("rates"), rates}});
        while (cells.size() < rep.table.columns.size())
            cells << QString();   // younger cohorts have fewer weeks
        rep.table.rows.append(cells);
    }
    rep.json.insert(QStringLiteral("cohorts"), out);
    rep.json.insert(QStringLiteral("totals"), QJsonObject{{QStringLiteral("signups"), signups},
                                                          {QStringLiteral("week1Retention"), ratio(week1, week1Base)}});
    return rep;
}

Builder builderFor(const QString &name)
{
    static const QHash<QString, Builder> builders{
        {QStringLiteral("active-users"), &activeUsers}, {QStringLiteral("signups"), &signups},
        {QStringLiteral("activity"), &activity},        {QStringLiteral("top-content"), &topContent},
        {QStringLiteral("search"), &search},            {QStringLiteral("moderation"), &moderation},
        {QStringLiteral("retention"), &retention},
    };
    return builders.value(name, nullptr);
}

QString csvCell(const QString &raw)
{
    // A cell a spreadsheet would run as a formula (user-sent queries, paths) is quoted as text.
    const bool negative = raw.size() > 1 && raw.front() == QLatin1Char('-') && raw.at(1).isDigit();
    const bool formula = !raw.isEmpty() && !negative && QStringLiteral("=+-@\t\r").contains(raw.front());
    const QString s = formula ? QLatin1Char('\'') + raw : raw;
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n'))
        && !s.contains(QLatin1Char('\r')))
        return s;
    return QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

} // namespace

const QStringList &ReportService::names()
{
    static const QStringList n{QStringLiteral("active-users"), QStringLiteral("signups"), QStringLiteral("activity"),
                               QStringLiteral("top-content"),  QStringLiteral("search"),  QStringLiteral("moderation"),
                               QStringLiteral("retention")};
    return n;
}

Result<Report> ReportService::run(const ReportRequest &request)
{
    const Builder build = builderFor(request.name);
    if (!build)
        return tl::unexpected(notFound(QStringLiteral("No such report.")));
    return m_db.transact<Report>([&](pqxx::work &tx) -> Result<Report> {
        ReportRepository repo(tx);
        Report rep = build(repo, request);
        rep.json.insert(QStringLiteral("report"), request.name);
        rep.json.insert(QStringLiteral("from"), request.range.from.toString(Qt::ISODate));
        rep.json.insert(QStringLiteral("to"), request.range.to.toString(Qt::ISODate));
        rep.json.insert(QStringLiteral("tz"), request.range.tz);
        return rep;
    });
}

QByteArray ReportService::csv(const ReportTable &table)
{
    QStringList lines;
    QStringList header;
    for (const QString &c : table.columns)
        header << csvCell(c);
    lines << header.join(QLatin1Char(','));
    for (const QStringList &row : table.rows) {
        QStringList cells;
        for (const QString &c : row)
            cells << csvCell(c);
        lines << cells.join(QLatin1Char(','));
    }
    return (lines.join(QStringLiteral("\r\n")) + QStringLiteral("\r\n")).toUtf8();
}

} // namespace Analytics
