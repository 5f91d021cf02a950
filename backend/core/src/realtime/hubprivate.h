// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// The hub's state, shared by realtimehub.cpp (registry, fan-out, timers, revocation) and
// realtimesession.cpp (one socket's protocol). Hub thread only unless a member says so.

#include "community/host/realtimehub.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWebSocket>

#include <mutex>
#include <optional>

namespace prometheus {
class Counter;
class Gauge;
template<typename T> class Family;
}

namespace Community::Chaos { class FaultRegistry; }

namespace Community::Realtime {

/// WebSocket close codes of the protocol (docs/realtime.md).
namespace CloseCode {
constexpr int Unauthenticated = 4001;   ///< no or bad `auth` frame in time
constexpr int Revoked = 4003;           ///< logout, revoked session, suspension
constexpr int Resync = 4009;            ///< send queue full: reconnect and resume
constexpr int TooMany = 4029;           ///< a connection limit or the frame rate
constexpr int TooBig = 1009;            ///< frame over the size limit
constexpr int GoingAway = 1001;         ///< server shutting down
}

struct Subscription {
    bool pending = false;     ///< durable: waiting for the replay read; live frames are buffered
    QList<Frame> buffered;
    /// Durable: the last sequence delivered, so that a live frame already replayed (the
    /// bus brings it after the replay read) is not delivered twice.
    qint64 lastSeq = 0;
};

struct Session {
    quint64 id = 0;
    QWebSocket *ws = nullptr;
    QString ip;
    Principal principal;
    /// The bearer the socket authenticated with, checked again every credentialCheckMs
    /// (memory only: never logged, never sent anywhere).
    QByteArray credential;
    bool authenticated = false;
    quint64 sent = 0;                       ///< the per-connection frame counter `n`
    QHash<QString, Subscription> subs;
    QElapsedTimer sincePong;
    double tokens = 0;                      ///< frame-rate bucket
    QElapsedTimer bucketClock;
    bool closing = false;
};

struct RealtimeHub::Private {
    RealtimeHub *q = nullptr;
    HubConfig cfg;
    Transport &transport;
    Db::Database &db;
    const Http::Pipeline *pipeline = nullptr;
    Chaos::FaultRegistry *faults = nullptr;   ///< ws.drop / ws.delay (chaos); may be null
    QWebSocketServer *server = nullptr;
    QList<TopicSpec> topics;                 ///< written before start only
    std::function<QJsonObject()> metricsSource;

    quint64 nextId = 1;
    QHash<QWebSocket *, Session *> sessions;
    QHash<quint64, Session *> byId;
    QHash<QString, QSet<Session *>> subscribers;
    QHash<qint64, int> perUser;

    // Written by admit() on the connections' threads.
    std::mutex admitMutex;
    QHash<QString, int> perIp;
    struct Admitted { std::optional<Principal> principal; QString ip; qint64 atMs; QByteArray credential; };
    /// "ip|port" of the connection -> the client's address group and the principal from
    /// the upgrade's header (none: the first frame authenticates)
    QHash<QString, Admitted> admitted;

    QTimer pingTimer;
    QTimer metricsTimer;
    QTimer pruneTimer;
    QTimer credentialTimer;

    prometheus::Gauge *connections = nullptr;
    prometheus::Gauge *subscriptionsGauge = nullptr;
    prometheus::Counter *framesIn = nullptr;
    prometheus::Counter *framesOut = nullptr;
    prometheus::Family<prometheus::Counter> *dropped = nullptr;
    prometheus::Family<prometheus::Counter> *refusals = nullptr;
    prometheus::Counter *resumes = nullptr;
    prometheus::Counter *resyncs = nullptr;
    prometheus::Gauge *highWater = nullptr;
    qint64 highWaterBytes = 0;
    int subscriptionCount = 0;

    Private(HubConfig c, Transport &t, Db::Database &d) : cfg(std::move(c)), transport(t), db(d) {}

    // realtimehub.cpp
    void registerMetrics(prometheus::Registry &registry);
    const TopicSpec *specFor(const QString &topic) const;
    void deliver(const Frame &frame);
    void deliverNow(const Frame &frame);
    void dropShare();
    void deliverTo(Session &s, const Frame &frame, bool replay);
    bool send(Session &s, QJsonObject frame, bool ephemeral);
    void refuse(const char *reason);
    void drop(const char *reason);
    void ping();
    void feedMetrics();
    void refilter(Session &s);
    void checkCredentials();

    // realtimesession.cpp
    void accept();
    void onText(Session &s, const QString &text);
    void onAuth(Session &s, const QJsonObject &msg);
    bool authenticated(Session &s, const Principal &p, const QByteArray &credential);
    void onReauth(Session &s, const QJsonObject &msg);
    Result<Principal> frameCredential(const QJsonObject &msg, QByteArray *token);
    void onSubscribe(Session &s, const QJsonObject &msg);
    void onUnsubscribe(Session &s, const QJsonObject &msg);
    void replayRead(Session &s, const QString &topic, qint64 since);
    void replayDone(quint64 sessionId, const QString &topic, qint64 since, const Result<ReplayRead> &read);
    void unsubscribe(Session &s, const QString &topic);
    void close(Session &s, int code, const QString &reason);
    void gone(Session *s);
    bool rateAllowed(Session &s);
    void error(Session &s, const QJsonObject &msg, const QString &code, const QString &message);
};

bool validTopic(const QString &topic);

} // namespace Community::Realtime
