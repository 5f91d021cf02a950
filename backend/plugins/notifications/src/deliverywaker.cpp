// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "deliverywaker.h"

#include <QDebug>

#include <pqxx/pqxx>

#include <chrono>

namespace Notifications {

namespace {

class Receiver final : public pqxx::notification_receiver {
public:
    Receiver(pqxx::connection_base &c, std::function<void()> &wake)
        : pqxx::notification_receiver(c, DeliveryWaker::channel), m_wake(wake) {}
    void operator()(const std::string &, int) override { m_wake(); }

private:
    std::function<void()> &m_wake;
};

} // namespace

void DeliveryWaker::start()
{
    if (m_running.exchange(true))
        return;
    m_listener = std::thread([this] { listenLoop(); });
    m_notifier = std::thread([this] { notifyLoop(); });
}

void DeliveryWaker::stop()
{
    if (!m_running.exchange(false))
        return;
    {
        std::lock_guard l(m_mutex);
    }
    m_cv.notify_all();
    if (m_notifier.joinable())
        m_notifier.join();
    if (m_listener.joinable())
        m_listener.join();
}

void DeliveryWaker::hint()
{
    // Every node's worker, this one's too, wakes through the NOTIFY: one path, a few ms.
    {
        std::lock_guard l(m_mutex);
        m_pending = true;
    }
    m_cv.notify_one();
}

void DeliveryWaker::listenLoop()
{
    std::unique_ptr<pqxx::connection> conn;
    std::unique_ptr<Receiver> receiver;
    int failures = 0;
    while (m_running) {
        try {
            if (!conn) {
                conn = std::make_unique<pqxx::connection>(m_conninfo);
                receiver = std::make_unique<Receiver>(*conn, m_wake);
                if (failures > 0)
                    m_wake();   // rows may have been written while we did not listen
                failures = 0;
            }
            conn->await_notification(0, 200'000);   // wakes up to check m_running
        } catch (const std::exception &e) {
            if (failures++ == 0)
                qWarning().noquote() << "notifications: delivery listener:" << e.what() << "(reconnecting)";
            receiver.reset();
            conn.reset();
            std::unique_lock l(m_mutex);
            m_cv.wait_for(l, std::chrono::milliseconds(std::min(100 << std::min(failures, 4), 1000)),
                          [this] { return !m_running; });
        }
    }
}

void DeliveryWaker::notifyLoop()
{
    std::unique_ptr<pqxx::connection> conn;
    while (true) {
        {
            std::unique_lock l(m_mutex);
            m_cv.wait(l, [this] { return !m_running || m_pending; });
            if (!m_running)
                return;
            // Coalesce: a burst of commits sends one NOTIFY.
            m_cv.wait_for(l, std::chrono::milliseconds(m_coalesceMs), [this] { return !m_running.load(); });
            m_pending = false;
        }
        try {
            if (!conn)
                conn = std::make_unique<pqxx::connection>(m_conninfo);
            pqxx::nontransaction tx(*conn);
            tx.exec(std::string("NOTIFY ") + channel);
        } catch (const std::exception &e) {
            qWarning().noquote() << "notifications: delivery notify:" << e.what();
            conn.reset();
        }
    }
}

} // namespace Notifications
