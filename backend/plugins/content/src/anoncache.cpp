// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "anoncache.h"

#include "routesupport.h"

using Community::Http::Handler;
using Community::Http::HttpRequest;
using Community::Http::HttpResponse;
using Community::Http::Responder;

namespace Content {

AnonymousCache::AnonymousCache(int ttlMs, int maxEntries) : m_ttlMs(ttlMs), m_maxEntries(maxEntries) {}

Handler AnonymousCache::wrap(Handler inner)
{
    if (m_ttlMs <= 0)
        return inner;
    return [this, inner = std::move(inner)](HttpRequest &req, const Responder &res) {
        if (viewerOf(req.principal) != 0) {
            inner(req, res);
            return;
        }
        const QString key = req.path + QLatin1Char('?') + req.query.query(QUrl::FullyEncoded);
        const Lookup lookup = serveOrJoin(key, res);
        if (lookup == Lookup::Answered)
            return;
        if (lookup == Lookup::Bypass) {
            inner(req, res);
            return;
        }
        // Load through a responder that fills the cache, then answers the real one.
        Responder proxy([this, key, res](HttpResponse &&response) {
            complete(key, response);
            response.setHeader("X-Cache", "miss");
            res.send(std::move(response));
        });
        inner(req, proxy);
    };
}

Handler AnonymousCache::invalidating(Handler inner)
{
    if (m_ttlMs <= 0)
        return inner;
    return [this, inner = std::move(inner)](HttpRequest &req, const Responder &res) {
        inner(req, Responder([this, res](HttpResponse &&response) {
            if (response.status < 400)
                invalidate();
            res.send(std::move(response));
        }));
    };
}

void AnonymousCache::invalidate()
{
    std::lock_guard lock(m_mutex);
    ++m_generation;
    ++m_stats.invalidations;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it->loading)
            ++it;   // its callers still get their answer; complete() drops it
        else
            it = m_entries.erase(it);
    }
}

AnonymousCache::Lookup AnonymousCache::serveOrJoin(const QString &key, const Responder &res)
{
    const auto now = std::chrono::steady_clock::now();
    HttpResponse hit;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.find(key);
        const bool stale = it != m_entries.end()
                           && (it->loading ? now - it->loadingSince > std::chrono::seconds(10) : it->expires <= now);
        if (it == m_entries.end() || stale) {
            if (m_entries.size() >= m_maxEntries)
                evictLocked(now);
            Entry &e = m_entries[key];
            e.loading = true;
            e.loadingSince = now;
            e.generation = m_generation;
            ++m_stats.misses;
            return Lookup::Load;
        }
        if (it->loading && it->generation != m_generation) {
            ++m_stats.misses;
            return Lookup::Bypass;
        }
        if (it->loading) {
            it->waiters.append(res);
            ++m_stats.joined;
            return Lookup::Answered;
        }
        hit = it->response;
        ++m_stats.hits;
    }
    hit.setHeader("X-Cache", "hit");
    res.send(std::move(hit));
    return Lookup::Answered;
}

void AnonymousCache::complete(const QString &key, const HttpResponse &response)
{
    QList<Responder> waiters;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.find(key);
        if (it == m_entries.end())
            return;
        waiters = std::move(it->waiters);
        it->waiters.clear();
        if (response.status == 200 && it->generation == m_generation) {
            it->loading = false;
            it->response = response;
            it->expires = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_ttlMs);
        } else {
            m_entries.erase(it);   // errors and loads from before an invalidation are not kept
        }
    }
    for (const Responder &w : waiters) {
        HttpResponse copy = response;
        copy.setHeader("X-Cache", "hit");
        w.send(std::move(copy));
    }
}

void AnonymousCache::evictLocked(std::chrono::steady_clock::time_point now)
{
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (!it->loading && it->expires <= now)
            it = m_entries.erase(it);
        else
            ++it;
    }
    // Still full of live entries: start over (cheap, and rare with a short TTL).
    if (m_entries.size() >= m_maxEntries) {
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            if (!it->loading)
                it = m_entries.erase(it);
            else
                ++it;
        }
    }
}

AnonymousCache::Stats AnonymousCache::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

} // namespace Content
