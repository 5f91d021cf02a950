// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The dashboard's model without a window: samples in, rows newest first limited to the
// time window, totals and per-area series with x relative to the newest sample, an hour
// kept at most.

#include "metricsmodel.h"

#include <QTest>

using Console::MetricsModel;

namespace {
QJsonObject sample(double rps, double p99, int inUse, int lag)
{
    return {{"requestsPerSecond", rps}, {"clientErrorsPerSecond", 1}, {"serverErrorsPerSecond", 0},
            {"byArea", QJsonObject{{"users", QJsonObject{{"requestsPerSecond", rps}, {"p50Ms", 1}, {"p99Ms", p99}}}}},
            {"wsConnections", 3}, {"dbPool", QJsonObject{{"size", 8}, {"inUse", inUse}, {"waiting", 0}}},
            {"workerQueue", 0}, {"eventLag", QJsonObject{{"search.index", lag}, {"admin.audit", 1}}}};
}
} // namespace

class TstMetricsModel : public QObject {
    Q_OBJECT
private slots:
    void windowAndSeries()
    {
        MetricsModel m;
        m.setWindowSeconds(60);
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        for (int i = 0; i < 120; ++i)
            m.addSample(sample(i, 2 * i, i % 8, i % 5), t0.addSecs(i));
        QCOMPARE(m.sampleCount(), 120);
        QCOMPARE(m.rowCount(), 61);   // 0 … 60 s back
        QCOMPARE(m.data(m.index(0, MetricsModel::Requests), Qt::UserRole).toDouble(), 119.0);
        QCOMPARE(m.data(m.index(0, MetricsModel::EventLag), Qt::UserRole).toDouble(), 4.0);   // the largest lag
        const QList<QPointF> p99 = m.areaSeries(QStringLiteral("users"), QStringLiteral("p99Ms"));
        QCOMPARE(p99.size(), 61);
        QCOMPARE(p99.last(), QPointF(0, 238));
        QCOMPARE(p99.first(), QPointF(-60, 118));
        QCOMPARE(m.totalSeries(MetricsModel::Total::PoolSize).first().y(), 8.0);
        QCOMPARE(m.areas(), QStringList{QStringLiteral("users")});
        m.setWindowSeconds(3600);
        QCOMPARE(m.rowCount(), 120);
    }

    void keepsAnHour()
    {
        MetricsModel m;
        const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        for (int i = 0; i < 3700; i += 10)
            m.addSample(sample(1, 1, 1, 0), t0.addSecs(i));
        QVERIFY(m.sampleCount() <= 361);
        QCOMPARE(MetricsModel::totalValue({}, MetricsModel::Total::Requests), 0.0);
    }
};

QTEST_MAIN(TstMetricsModel)
#include "tst_metricsmodel.moc"
