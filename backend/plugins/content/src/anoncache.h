// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A micro-cache for what anonymous readers see (Discourse's "anon cache", shorter):
/// the answer to a GET from a viewer without a personal view (no user, or an API key
/// without content:read) is kept for `ttlMs`, keyed by path and query, and concurrent
/// misses for one key wait for the first load instead of all asking the database
/// (single flight). Signed-in viewers always get a fresh, personal answer. Only 200s are
/// kept. Anonymous readers may therefore see a write up to ttlMs late.
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

    struct Stats {
        qint64 hits = 0;
        qint64 misses = 0;
        qint64 joined = 0;   ///< waited for another request's load
    };
    Stats stats() const;

private:
    struct Entry {
        bool loading = false;
        std::chrono::steady_clock::time_point loadingSince;   ///< a load older than 10 s is retried
        std::chrono::steady_clock::time_point expires;
        Community::Http::HttpResponse response;
        QList<Community::Http::Responder> waiters;
    };

    /// True when answered (hit) or queued behind a load; false: the caller loads.
    bool serveOrJoin(const QString &key, const Community::Http::Responder &res);
    /// Stores a 200 and answers the waiters with `response`.
    void complete(const QString &key, const Community::Http::HttpResponse &response);
    void evictLocked(std::chrono::steady_clock::time_point now);

    const int m_ttlMs;
    const int m_maxEntries;
    mutable std::mutex m_mutex;
    QHash<QString, Entry> m_entries;
    Stats m_stats;
};

} // namespace Content
