// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A micro-cache of pages as anonymous readers see them (Discourse's "anon cache",
/// shorter), and the shared base of signed-in readers' pages (ADR 0015):
/// - the answer to a GET from a viewer without a personal view (no user, or an API key
///   without content:read) is kept for `ttlMs`, keyed by path and query, and concurrent
///   misses for one key wait for the first load instead of all asking the database
///   (single flight). Only 200s are kept.
/// - pages(): a signed-in viewer's answer is built from the same entry (a SharedPage) by
///   the route's personalize job — the viewer's votes and bookmarks written into it — and
///   a signed-in miss loads the shared page, keeps it, and personalises it. A route's
///   personalize job falls back to the full personal query when the page is not
///   shareable for this viewer (hidden authors on it, a moderator's view).
/// Anonymous readers may therefore see a write up to ttlMs late, and signed-in readers
/// others' new posts and counters up to ttlMs late (never their own votes or bookmarks:
/// those are read per request) — except the writes that take content away or change it
/// (delete, remove, edit, lock, restore): those invalidate the whole cache, on the node
/// that made them before it answers (invalidating()) and on every other node when their
/// event arrives (invalidate(), from the bus's broadcast). A load that began before an
/// invalidation is not kept.
/// Metrics: community_content_page_cache_total{result=hit|miss|joined|shared|invalidation|eviction}.
///
/// Threading: all methods are thread-safe (one mutex; the work under it is a hash lookup).

#include "sharedpage.h"

#include "community/http.h"
#include "community/result.h"

#include <QHash>
#include <QList>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace Community::Db { class Database; }
namespace prometheus { class Registry; class Counter; }

namespace Content {

class AnonymousCache {
public:
    /// ttlMs 0 disables the cache (wrap() then returns the handler unchanged, pages() loads
    /// every answer). `registry` may be null (no metrics).
    AnonymousCache(Community::Db::Database &db, int ttlMs, int maxEntries, prometheus::Registry *registry = nullptr);

    /// `inner`, answering anonymous requests from the cache when it can.
    Community::Http::Handler wrap(Community::Http::Handler inner);

    struct PageJobs {
        std::function<Community::Result<SharedPage>()> load;   ///< the anonymous page (worker thread)
        /// The signed-in viewer's answer (worker thread): from `shared`, or, when null or
        /// not shareable for the viewer, by the full personal query.
        std::function<Community::Result<Community::Http::HttpResponse>(const SharedPage *shared)> personalize;
    };
    /// Parses the request: answers a bad one itself and returns nothing.
    using PagePrepare = std::function<std::optional<PageJobs>(Community::Http::HttpRequest &,
                                                              const Community::Http::Responder &)>;
    /// A route whose anonymous and signed-in answers share one cached page.
    Community::Http::Handler pages(PagePrepare prepare);

    /// `inner` (a write), invalidating the cache before a success is answered.
    Community::Http::Handler invalidating(Community::Http::Handler inner);
    /// Drops every entry; loads in flight finish for their callers but are not kept.
    void invalidate();

private:
    using PagePtr = std::shared_ptr<const SharedPage>;
    struct Entry {
        bool loading = false;
        std::chrono::steady_clock::time_point loadingSince;   ///< a load older than 10 s is retried
        std::chrono::steady_clock::time_point expires;
        quint64 generation = 0;   ///< m_generation when the load began
        PagePtr page;
        QList<Community::Http::Responder> waiters;
    };

    enum class Lookup { Answered, Load, Bypass };
    /// Answered (hit, or queued behind a load), Load (the caller loads and completes), or
    /// Bypass (a load from before an invalidation runs: the caller loads uncached).
    Lookup serveOrJoin(const QString &key, const Community::Http::Responder &res);
    /// Stores a 200 and answers the waiters with `page`'s response.
    void complete(const QString &key, const PagePtr &page);
    void answerAnonymous(Community::Http::HttpRequest &req, const Community::Http::Responder &res, const QString &key,
                         std::function<Community::Result<SharedPage>()> load);
    void answerSignedIn(Community::Http::HttpRequest &req, const Community::Http::Responder &res, const QString &key,
                        PageJobs jobs);
    /// A fresh shared page for `key`, or null (and the generation a load would start at).
    PagePtr sharedHit(const QString &key, quint64 *generation);
    /// Keeps a page a signed-in miss loaded, unless invalidated meanwhile or already there.
    void keep(const QString &key, const PagePtr &page, quint64 generation);
    void evictLocked(std::chrono::steady_clock::time_point now);
    static void count(prometheus::Counter *c, double n = 1);

    Community::Db::Database &m_db;
    const int m_ttlMs;
    const int m_maxEntries;
    mutable std::mutex m_mutex;
    QHash<QString, Entry> m_entries;
    quint64 m_generation = 0;
    prometheus::Counter *m_hits = nullptr, *m_misses = nullptr, *m_joined = nullptr, *m_shared = nullptr,
                        *m_invalidations = nullptr, *m_evictions = nullptr;
};

} // namespace Content
