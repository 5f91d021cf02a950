// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The chat plugin's Prometheus series: messages sent (rate = messages/s), room frames
/// published (deliveries are the hub's), typing frames sent and dropped by the throttle,
/// accounts by presence state, and the largest unread backlog of a member per sweep.
/// Without a registry (unit tests) every call is a no-op. Thread-safe.

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

private:
    prometheus::Counter *m_messages = nullptr;
    prometheus::Counter *m_frames = nullptr;
    prometheus::Counter *m_typingSent = nullptr;
    prometheus::Counter *m_typingDropped = nullptr;
    prometheus::Gauge *m_online = nullptr;
    prometheus::Gauge *m_away = nullptr;
};

} // namespace Chat
