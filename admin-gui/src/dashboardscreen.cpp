// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "dashboardscreen.h"

#include "metricsmodel.h"
#include "session.h"

#include "community/client/realtimeclient.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

using namespace Community::Client;

namespace Console {

namespace {

const QString kTopic = QStringLiteral("admin:metrics");
enum ChartIndex { RequestsChart, P99Chart, ErrorsChart, SocketsChart, PoolChart, LagChart };

// Updates the chart's lines in place (a line per name, made the first time the name
// appears), so the legend and the axes stay put between samples.
void plot(QChart *chart, const QList<QPair<QString, QList<QPointF>>> &lines, int window)
{
    if (chart->axes().isEmpty()) {
        auto *x = new QValueAxis;
        x->setLabelFormat(QStringLiteral("%d s"));
        auto *y = new QValueAxis;
        y->setLabelFormat(QStringLiteral("%.3g"));
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
    }
    QAbstractAxis *x = chart->axes(Qt::Horizontal).constFirst();
    QAbstractAxis *y = chart->axes(Qt::Vertical).constFirst();
    double top = 1;
    for (const auto &[name, points] : lines) {
        QLineSeries *series = nullptr;
        for (QAbstractSeries *s : chart->series())
            if (s->name() == name)
                series = static_cast<QLineSeries *>(s);
        if (!series) {
            series = new QLineSeries;
            series->setName(name);
            chart->addSeries(series);
            series->attachAxis(x);
            series->attachAxis(y);
        }
        series->replace(points);
        for (const QPointF &p : points)
            top = std::max(top, p.y());
    }
    x->setRange(-window, 0);
    y->setRange(0, top * 1.15);
}

} // namespace

DashboardScreen::DashboardScreen(Session *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_model(new MetricsModel(this)), m_window(new QComboBox), m_status(new QLabel),
      m_table(new QTableView)
{
    for (const auto &[label, seconds] : QList<QPair<QString, int>>{{tr("Last minute"), 60}, {tr("Last 5 minutes"), 300},
                                                                   {tr("Last 15 minutes"), 900}, {tr("Last hour"), 3600}})
        m_window->addItem(label, seconds);
    m_window->setCurrentIndex(0);   // a new console has a minute of samples at most
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Window:")));
    top->addWidget(m_window);
    top->addStretch();
    top->addWidget(m_status);
    auto *grid = new QGridLayout;
    const QStringList titles{tr("Requests per second by area"), tr("p99 latency by area (ms)"), tr("Errors per second"),
                             tr("WebSocket connections"), tr("DB pool and worker queue"), tr("Event lag (largest)")};
    for (int i = 0; i < titles.size(); ++i)
        grid->addWidget(addChart(titles[i]), i / 3, i % 3);
    // One line per API area: the legend goes beside the chart, where the names fit.
    for (int chart : {RequestsChart, P99Chart})
        m_charts[chart]->legend()->setAlignment(Qt::AlignRight);
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setMaximumHeight(150);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(grid, 1);
    layout->addWidget(m_table);
    m_status->setText(tr("Waiting for samples…"));

    connect(m_window, &QComboBox::currentIndexChanged, this, [this] {
        m_model->setWindowSeconds(m_window->currentData().toInt());
        replot();
    });
    m_model->setWindowSeconds(m_window->currentData().toInt());
    connect(m_model, &MetricsModel::sampleAdded, this, &DashboardScreen::replot);
    if (RealtimeClient *rt = session->realtime()) {
        connect(rt, &RealtimeClient::event, this, [this](const QString &topic, const QJsonObject &data) {
            if (topic != kTopic)
                return;
            // The first figures after subscribing cover the time since the hub last fed
            // anyone, not one interval: a spike that never happened.
            if (m_skipNext)
                m_skipNext = false;
            else
                m_model->addSample(data);
        });
        connect(rt, &RealtimeClient::subscribed, this, [this](const QString &topic) {
            if (topic == kTopic)
                m_skipNext = true;
        });
        connect(rt, &RealtimeClient::errorFrame, this, [this](const QString &, const QString &message, const QString &topic) {
            if (topic == kTopic)
                m_status->setText(message);
        });
    }
}

QChartView *DashboardScreen::addChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(2, 2, 2, 2));
    m_charts.append(chart);
    auto *view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(260, 180);
    return view;
}

void DashboardScreen::setListening(bool on)
{
    RealtimeClient *rt = m_session->realtime();
    if (!rt || on == m_listening)
        return;
    m_listening = on;
    on ? rt->subscribe(kTopic) : rt->unsubscribe(kTopic);
}

void DashboardScreen::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    setListening(true);
}

void DashboardScreen::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    setListening(false);
}

void DashboardScreen::replot()
{
    using T = MetricsModel::Total;
    const int window = m_model->windowSeconds();
    QList<QPair<QString, QList<QPointF>>> requests{{tr("all"), m_model->totalSeries(T::Requests)}}, p99;
    for (const QString &area : m_model->areas()) {
        requests.append({area, m_model->areaSeries(area, QStringLiteral("requestsPerSecond"))});
        p99.append({area, m_model->areaSeries(area, QStringLiteral("p99Ms"))});
    }
    plot(m_charts[RequestsChart], requests, window);
    plot(m_charts[P99Chart], p99, window);
    plot(m_charts[ErrorsChart], {{tr("4xx"), m_model->totalSeries(T::ClientErrors)}, {tr("5xx"), m_model->totalSeries(T::ServerErrors)}}, window);
    plot(m_charts[SocketsChart], {{tr("connections"), m_model->totalSeries(T::WsConnections)}}, window);
    plot(m_charts[PoolChart], {{tr("in use"), m_model->totalSeries(T::PoolInUse)}, {tr("pool size"), m_model->totalSeries(T::PoolSize)},
                               {tr("worker queue"), m_model->totalSeries(T::WorkerQueue)}}, window);
    plot(m_charts[LagChart], {{tr("events behind"), m_model->totalSeries(T::EventLag)}}, window);
    const QJsonObject last = m_model->latest();
    m_status->setText(tr("%n sample(s) · %1 req/s · %2 sockets", nullptr, m_model->sampleCount())
                          .arg(MetricsModel::totalValue(last, T::Requests))
                          .arg(MetricsModel::totalValue(last, T::WsConnections)));
}

QStringList DashboardScreen::chartTitles() const
{
    QStringList out;
    for (const QChart *c : m_charts)
        out << c->title();
    return out;
}

int DashboardScreen::seriesCount(int chart) const
{
    return chart >= 0 && chart < m_charts.size() ? int(m_charts[chart]->series().size()) : 0;
}

QString DashboardScreen::status() const
{
    return m_status->text();
}

} // namespace Console
