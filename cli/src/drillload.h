// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The drills' load: a drill account of its own, realistic requests from a few worker
/// threads (comment writes and post reads, post writes, reads only), and the ledger of
/// acknowledged writes that is reconciled after the fault (lost = acknowledged but not
/// readable; duplicates = one write stored twice). Threading: start()/stop() from one
/// thread; the counters are atomics; each worker has its own client.

#include "drill.h"

#include <QHash>
#include <QSet>
#include <QStringList>
#include <QThread>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

namespace Community::Ctl::Drills {

struct LoadCounts {
    qint64 requests = 0;
    qint64 errors = 0;        ///< 5xx answers
    qint64 hung = 0;          ///< no answer within the client timeout
    qint64 acknowledged = 0;  ///< writes answered 201
};

struct Reconciliation {
    qint64 checked = 0;
    qint64 lost = 0;
    qint64 duplicates = 0;
    qint64 projectionMissing = 0;     ///< posts: acknowledged, stored, not in the search projection
    qint64 projectionDuplicates = 0;  ///< posts: found more than once in the projection
    qint64 undelivered = 0;           ///< websocket: acknowledged comments a client never got
    QString error;            ///< the ledger could not be read back
};

class LoadGenerator {
public:
    LoadGenerator(QUrl baseUrl, std::chrono::milliseconds timeout);
    ~LoadGenerator();

    /// Signs up the drill account and creates its community and post. Empty on success,
    /// otherwise what failed.
    QString prepare(const QString &runId);
    void start(const Load &load);
    /// Stops the request workers (WebSocket listeners stay until reconcile() is done).
    void stop();
    LoadCounts counts() const;
    Reconciliation reconcile();
    QString postId() const { return m_postId; }

private:
    void work(const Load &load, int worker);
    void checkProjection(const QHash<QString, QString> &ledger, Reconciliation &out);
    /// websocket: `clients` subscribers of the drill's post, reconnecting and resuming.
    void listen(int clients);
    void checkDelivery(const QHash<QString, QString> &ledger, Reconciliation &out);
    void stopListeners();

    QUrl m_base;
    std::chrono::milliseconds m_timeout;
    QString m_runId, m_username;
    QByteArray m_token;
    QString m_postId;
    std::atomic_bool m_running{false};
    std::atomic<qint64> m_requests{0}, m_errors{0}, m_hung{0};
    std::vector<std::unique_ptr<QThread>> m_workers;   ///< QThreads: the clients need event loops
    mutable std::mutex m_ledgerMutex;
    QHash<QString, QString> m_ledger;   ///< unique body key -> id the server acknowledged
    QString m_kind;                     ///< what the ledger holds: comments or posts
    std::unique_ptr<QThread> m_listenerThread;
    std::atomic_bool m_listening{false};
    std::atomic_int m_subscribed{0};    ///< listeners whose first subscription the server confirmed
    QList<QSet<QString>> m_received;    ///< per WebSocket client: comment ids delivered (ledger mutex)
};

} // namespace Community::Ctl::Drills
