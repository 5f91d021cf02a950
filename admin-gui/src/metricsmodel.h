// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The `admin:metrics` samples (one a second, docs/realtime.md) kept for the last hour, as
/// a table (newest first, limited to the chosen time window) and as chart series: totals
/// (requests/s, 4xx/s, 5xx/s, WebSocket connections, DB pool in use, worker queue, the
/// largest event lag) and per API area (requests/s, p99). Tested without a window.
/// Threading: GUI thread.

#include <QAbstractTableModel>
#include <QDateTime>
#include <QJsonObject>
#include <QPointF>

namespace Console {

class MetricsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Requests, ClientErrors, ServerErrors, WsConnections, PoolInUse, WorkerQueue, EventLag, ColumnCount };
    /// The totals the charts plot, by name.
    enum class Total { Requests, ClientErrors, ServerErrors, WsConnections, PoolInUse, PoolSize, WorkerQueue, EventLag };

    explicit MetricsModel(QObject *parent = nullptr);

    /// Adds one frame's data received at `at` (drops samples older than an hour).
    void addSample(const QJsonObject &data, const QDateTime &at = QDateTime::currentDateTimeUtc());
    /// The time window shown (table rows and series), in seconds.
    void setWindowSeconds(int seconds);
    int windowSeconds() const { return m_windowSeconds; }
    int sampleCount() const { return int(m_samples.size()); }
    QJsonObject latest() const { return m_samples.isEmpty() ? QJsonObject() : m_samples.last().data; }

    /// Areas seen in the window's samples, sorted.
    QStringList areas() const;
    /// Points (x: seconds relative to the newest sample, ≤ 0; y: the value) in the window.
    QList<QPointF> totalSeries(Total total) const;
    /// `field`: "requestsPerSecond", "p50Ms" or "p99Ms".
    QList<QPointF> areaSeries(const QString &area, const QString &field) const;
    static double totalValue(const QJsonObject &data, Total total);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void sampleAdded();

private:
    struct Sample {
        QDateTime at;
        QJsonObject data;
    };
    qsizetype firstInWindow() const;
    template <typename F> QList<QPointF> series(F value) const;

    QList<Sample> m_samples;   // oldest first
    int m_windowSeconds = 300;
};

} // namespace Console
