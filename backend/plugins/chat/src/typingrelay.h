// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Typing frames between daemons, never stored: a node that accepts a typing call delivers
/// it to its own clients and sends it to the others with PostgreSQL NOTIFY (channel
/// `chat_typing`, payload {node, roomId, userId}); every node LISTENs on a connection of its
/// own (not the pool's) and delivers what other nodes sent. NOTIFY is lossy by design here:
/// a full worker queue or a lost listener connection drops frames, which typing tolerates
/// (the next keystroke sends again). The listener reconnects every second while it is down.
/// Threading: publish() from any thread (never blocks: the NOTIFY runs on a worker); the
/// delivery callback runs on the listener's thread.

#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace Community::Db { class Database; }

namespace Chat {

class TypingRelay {
public:
    using Deliver = std::function<void(qint64 roomId, qint64 userId)>;

    TypingRelay(Community::Db::Database &db, Deliver deliver);
    ~TypingRelay();

    void start();
    void stop();
    /// Sends the typing of `userId` in `roomId` to the other nodes.
    void publish(qint64 roomId, qint64 userId);

private:
    void listen();
    void received(const std::string &payload) const;

    Community::Db::Database &m_db;
    Deliver m_deliver;
    QString m_node;
    std::shared_ptr<std::atomic<bool>> m_running = std::make_shared<std::atomic<bool>>(false);
    std::thread m_thread;
};

} // namespace Chat
