// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A micro-cache for what anonymous readers see (Discourse's "anon cache", shorter):
/// the answer to a GET from a viewer without a personal view (no user, or an API key
/// without content:read) is kept for `ttlMs`, keyed by path and query, and concurrent
/// misses for one key wait for the first load instead of all asking the database
/// (single flight). Signed-in viewers always get a fresh, personal answer. Only 200s are
/// kept. Anonymous readers may therefore see a write up to ttlMs late — except the writes
/// that take content away or change it (delete, remove, edit, lock, restore): those
/// invalidate the whole cache, on the node that made them before it answers
/// (invalidating()) and on every other node when their event arrives (invalidate(), from
/// the bus's broadcast). A load that began before an invalidation is not kept.
///
/// Threading: all methods are thread-safe (one mutex; the work under it is a hash lookup).

#include "community/http.h"

#include <QHash>
#include <QList>
#include <QString>

#include <chrono>
#include <mutex>

namespace Content {

class AnonymousCache {
public:
    /// ttlMs 0 disables the cache (wrap() then returns the handler unchanged).
    AnonymousCache(int ttlMs, int maxEntries);

    /// `inner`, answering anonymous requests from the cache when it can.
    Community::Http::Handler wrap(Community::Http::Handler inner);
    /// `inner` (a write), invalidating the cache before a success is answered.
    Community::Http::Handler invalidating(Community::Http::Handler inner);
    /// Drops every entry; loads in flight finish for their callers but are not kept.
    void invalidate();

    struct Stats {
        qint64 hits = 0;
        qint64 misses = 0;
        qint64 joined = 0;   ///< waited for another request's load
        qint64 invalidations = 0;
    };
    Stats stats() const;

private:
    struct Entry {
        bool loading = false;
        std::chrono::steady_clock::time_point loadingSince;   ///< a load older than 10 s is retried
        std::chrono::steady_clock::time_point expires;
        quint64 generation = 0;   ///< m_generation when the load began
        Community::Http::HttpResponse response;
        QList<Community::Http::Responder> waiters;
    };

    enum class Lookup { Answered, Load, Bypass };
    /// Answered (hit, or queued behind a load), Load (the caller loads and completes), or
    /// Bypass (a load from before an invalidation runs: the caller loads uncached).
    Lookup serveOrJoin(const QString &key, const Community::Http::Responder &res);
    /// Stores a 200 and answers the waiters with `response`.
    void complete(const QString &key, const Community::Http::HttpResponse &response);
    void evictLocked(std::chrono::steady_clock::time_point now);

    const int m_ttlMs;
    const int m_maxEntries;
    mutable std::mutex m_mutex;
    QHash<QString, Entry> m_entries;
    Stats m_stats;
    quint64 m_generation = 0;
};

} // namespace Content
