// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The chat plugin's Prometheus series: messages sent (rate = messages/s), room frames
/// published (deliveries are the hub's), typing frames sent and dropped by the throttle,
/// accounts by presence state, and the per-room unread backlog as of the last sweep: a
/// snapshot histogram (rooms per backlog bucket, five fixed series, so the cardinality does
/// not grow with rooms) and the largest backlog. A room's backlog is its messages after
/// the read marker of its member furthest behind.
/// Without a registry (unit tests) every call is a no-op. Thread-safe.

#include <QList>
#include <QtGlobal>

namespace prometheus { class Registry; class Gauge; class Counter; }

namespace Chat {

class ChatMetrics {
public:
    explicit ChatMetrics(prometheus::Registry *registry = nullptr);

    void messageSent();
    void frame();
    void typing(bool sent);
    void presence(qint64 online, qint64 away);
    /// Rooms per bucket (kBacklogBuckets: 0, 1-10, 11-100, 101-1000, more) and the maximum.
    void backlog(const QList<qint64> &roomsPerBucket, qint64 max);

    static constexpr int kBacklogBuckets = 5;

private:
    prometheus::Counter *m_messages = nullptr;
    prometheus::Counter *m_frames = nullptr;
    prometheus::Counter *m_typingSent = nullptr;
    prometheus::Counter *m_typingDropped = nullptr;
    prometheus::Gauge *m_online = nullptr;
    prometheus::Gauge *m_away = nullptr;
    QList<prometheus::Gauge *> m_backlog;
    prometheus::Gauge *m_backlogMax = nullptr;
};

} // namespace Chat
