// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The live dashboard: Qt Charts fed by the `admin:metrics` topic over the session's
/// realtime socket (one sample a second): requests/s per API area, p99 per area, 4xx/5xx
/// per second, WebSocket connections, DB pool use and worker queue, event lag; a time
/// window selector (1, 5, 15, 60 minutes). Subscribed while the screen is shown.
/// Threading: GUI thread.

#include <QWidget>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QTableView;

namespace Console {

class MetricsModel;
class Session;

class DashboardScreen : public QWidget {
    Q_OBJECT
public:
    explicit DashboardScreen(Session *session, QWidget *parent = nullptr);

    MetricsModel *model() const { return m_model; }
    QComboBox *windowSelector() const { return m_window; }
    /// Starts (or stops) listening to admin:metrics.
    void setListening(bool on);
    /// Series currently plotted per chart title (for tests and screenshots).
    QStringList chartTitles() const;
    int seriesCount(int chart) const;
    QString status() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void replot();
    QChartView *addChart(const QString &title);

    Session *m_session;
    MetricsModel *m_model;
    QComboBox *m_window;
    QLabel *m_status;
    QTableView *m_table;
    QList<QChart *> m_charts;
    bool m_listening = false;
    bool m_skipNext = false;
};

} // namespace Console
