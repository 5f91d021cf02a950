// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "metricsmodel.h"

#include <algorithm>
#include <set>

namespace Console {

namespace {
constexpr int kKeepSeconds = 3600;
}

MetricsModel::MetricsModel(QObject *parent) : QAbstractTableModel(parent) {}

void MetricsModel::addSample(const QJsonObject &data, const QDateTime &at)
{
    beginResetModel();
    m_samples.append({at, data});
    while (!m_samples.isEmpty() && m_samples.first().at.secsTo(at) > kKeepSeconds)
        m_samples.removeFirst();
    endResetModel();
    Q_EMIT sampleAdded();
}

void MetricsModel::setWindowSeconds(int seconds)
{
    beginResetModel();
    m_windowSeconds = std::clamp(seconds, 10, kKeepSeconds);
    endResetModel();
}

qsizetype MetricsModel::firstInWindow() const
{
    if (m_samples.isEmpty())
        return 0;
    const QDateTime newest = m_samples.last().at;
    qsizetype i = m_samples.size();
    while (i > 0 && m_samples[i - 1].at.secsTo(newest) <= m_windowSeconds)
        --i;
    return i;
}

double MetricsModel::totalValue(const QJsonObject &d, Total total)
{
    const QJsonObject pool = d.value(QStringLiteral("dbPool")).toObject();
    switch (total) {
    case Total::Requests: return d.value(QStringLiteral("requestsPerSecond")).toDouble();
    case Total::ClientErrors: return d.value(QStringLiteral("clientErrorsPerSecond")).toDouble();
    case Total::ServerErrors: return d.value(QStringLiteral("serverErrorsPerSecond")).toDouble();
    case Total::WsConnections: return d.value(QStringLiteral("wsConnections")).toDouble();
    case Total::PoolInUse: return pool.value(QStringLiteral("inUse")).toDouble();
    case Total::PoolSize: return pool.value(QStringLiteral("size")).toDouble();
    case Total::WorkerQueue: return d.value(QStringLiteral("workerQueue")).toDouble();
    case Total::EventLag: {
        double worst = 0;
        const QJsonObject lag = d.value(QStringLiteral("eventLag")).toObject();
        for (auto it = lag.begin(); it != lag.end(); ++it)
            worst = std::max(worst, it.value().toDouble());
        return worst;
    }
    }
    return 0;
}

template <typename F> QList<QPointF> MetricsModel::series(F value) const
{
    QList<QPointF> out;
    if (m_samples.isEmpty())
        return out;
    const QDateTime newest = m_samples.last().at;
    for (qsizetype i = firstInWindow(); i < m_samples.size(); ++i)
        out.append(QPointF(-m_samples[i].at.msecsTo(newest) / 1000.0, value(m_samples[i].data)));
    return out;
}

QList<QPointF> MetricsModel::totalSeries(Total total) const
{
    return series([total](const QJsonObject &d) { return totalValue(d, total); });
}

QList<QPointF> MetricsModel::areaSeries(const QString &area, const QString &field) const
{
    return series([&](const QJsonObject &d) {
        return d.value(QStringLiteral("byArea")).toObject().value(area).toObject().value(field).toDouble();
    });
}

QStringList MetricsModel::areas() const
{
    std::set<QString> names;
    for (qsizetype i = firstInWindow(); i < m_samples.size(); ++i) {
        const QJsonObject byArea = m_samples[i].data.value(QStringLiteral("byArea")).toObject();
        for (auto it = byArea.begin(); it != byArea.end(); ++it)
            names.insert(it.key());
    }
    return QStringList(names.begin(), names.end());
}

int MetricsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_samples.size() - firstInWindow());
}

int MetricsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MetricsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::UserRole))
        return {};
    const Sample &s = m_samples[m_samples.size() - 1 - index.row()];   // newest first
    static constexpr Total totals[] = {Total::Requests, Total::ClientErrors, Total::ServerErrors, Total::WsConnections,
                                       Total::PoolInUse, Total::WorkerQueue, Total::EventLag};
    if (index.column() == Time)
        return role == Qt::UserRole ? QVariant(s.at) : QVariant(s.at.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    const double v = totalValue(s.data, totals[index.column() - 1]);
    return role == Qt::UserRole ? QVariant(v) : QVariant(QString::number(v, 'g', 4));
}

QVariant MetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Requests: return tr("Requests/s");
    case ClientErrors: return tr("4xx/s");
    case ServerErrors: return tr("5xx/s");
    case WsConnections: return tr("WebSockets");
    case PoolInUse: return tr("DB pool in use");
    case WorkerQueue: return tr("Worker queue");
    case EventLag: return tr("Event lag");
    default: return {};
    }
}

} // namespace Console
