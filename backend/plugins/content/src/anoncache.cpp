// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "anoncache.h"

#include "routesupport.h"

#include "community/database.h"

#include <QDateTime>

#include <prometheus/counter.h>
#include <prometheus/registry.h>

using Community::Result;
using Community::Http::Handler;
using Community::Http::HttpRequest;
using Community::Http::HttpResponse;
using Community::Http::Responder;

namespace Content {

namespace {

QString keyOf(const HttpRequest &req)
{
    return req.path + QLatin1Char('?') + req.query.query(QUrl::FullyEncoded);
}

/// A page no signed-in viewer shares (wrap()'s answers, errors).
std::shared_ptr<const SharedPage> plainPage(const HttpResponse &response)
{
    auto page = std::make_shared<SharedPage>();
    page->response = response;
    return page;
}

/// Runs a page load, noting when it began (sharedpage.h: own writes after it).
Result<std::shared_ptr<const SharedPage>> loadPage(const std::function<Result<SharedPage>()> &load)
{
    const qint64 began = QDateTime::currentMSecsSinceEpoch();
    auto page = load();
    if (!page)
        return tl::unexpected(page.error());
    page->loadedAtMs = began;
    return std::make_shared<const SharedPage>(std::move(*page));
}

} // namespace

AnonymousCache::AnonymousCache(Community::Db::Database &db, int ttlMs, int maxEntries, prometheus::Registry *registry)
    : m_db(db), m_ttlMs(ttlMs), m_maxEntries(maxEntries)
{
    if (!registry)
        return;
    auto &family = prometheus::BuildCounter()
                       .Name("community_content_page_cache_total")
                       .Help("Page cache lookups by result: hit, miss, joined (waited for another load), shared "
                             "(a signed-in page built on a cached one), invalidation, eviction")
                       .Register(*registry);
    m_hits = &family.Add({{"result", "hit"}});
    m_misses = &family.Add({{"result", "miss"}});
    m_joined = &family.Add({{"result", "joined"}});
    m_shared = &family.Add({{"result", "shared"}});
    m_invalidations = &family.Add({{"result", "invalidation"}});
    m_evictions = &family.Add({{"result", "eviction"}});
}

void AnonymousCache::count(prometheus::Counter *c, double n)
{
    if (c && n > 0)
        c->Increment(n);
}

Handler AnonymousCache::wrap(Handler inner)
{
    if (m_ttlMs <= 0)
        return inner;
    return [this, inner = std::move(inner)](HttpRequest &req, const Responder &res) {
        if (viewerOf(req.principal) != 0) {
            inner(req, res);
            return;
        }
        const QString key = keyOf(req);
        const Lookup lookup = serveOrJoin(key, res);
        if (lookup == Lookup::Answered)
            return;
        if (lookup == Lookup::Bypass) {
            inner(req, res);
            return;
        }
        // Load through a responder that fills the cache, then answers the real one.
        Responder proxy([this, key, res](HttpResponse &&response) {
            complete(key, plainPage(response));
            response.setHeader("X-Cache", "miss");
            res.send(std::move(response));
        });
        inner(req, proxy);
    };
}

Handler AnonymousCache::pages(PagePrepare prepare)
{
    return [this, prepare = std::move(prepare)](HttpRequest &req, const Responder &res) {
        auto jobs = prepare(req, res);
        if (!jobs)
            return;
        const bool anonymous = viewerOf(req.principal) == 0;
        if (m_ttlMs <= 0) {
            m_db.respondWith(req, res, [jobs = std::move(*jobs), anonymous]() -> Result<HttpResponse> {
                if (!anonymous)
                    return jobs.personalize(nullptr);
                auto page = jobs.load();
                if (!page)
                    return tl::unexpected(page.error());
                return page->response;
            });
            return;
        }
        if (anonymous)
            answerAnonymous(req, res, keyOf(req), std::move(jobs->load));
        else
            answerSignedIn(req, res, keyOf(req), std::move(*jobs));
    };
}

void AnonymousCache::answerAnonymous(HttpRequest &req, const Responder &res, const QString &key,
                                     std::function<Result<SharedPage>()> load)
{
    const Lookup lookup = serveOrJoin(key, res);
    if (lookup == Lookup::Answered)
        return;
    // The job hands its page to the responder, which keeps it (Load) and answers.
    auto loaded = std::make_shared<PagePtr>();
    const bool keepIt = lookup == Lookup::Load;
    Responder proxy([this, key, res, loaded, keepIt](HttpResponse &&response) {
        if (keepIt)
            complete(key, *loaded ? *loaded : plainPage(response));
        response.setHeader("X-Cache", "miss");
        res.send(std::move(response));
    });
    m_db.respondWith(req, proxy, [load = std::move(load), loaded]() -> Result<HttpResponse> {
        auto page = loadPage(load);
        if (!page)
            return tl::unexpected(page.error());
        *loaded = std::move(*page);
        return (*loaded)->response;
    });
}

void AnonymousCache::answerSignedIn(HttpRequest &req, const Responder &res, const QString &key, PageJobs jobs)
{
    quint64 generation = 0;
    if (PagePtr page = sharedHit(key, &generation)) {
        m_db.respondWith(req, res, [page, personalize = std::move(jobs.personalize)]() {
            return personalize(page.get());
        });
        return;
    }
    // A miss: load the shared page (anonymous readers and other viewers get it next),
    // then personalise it.
    m_db.respondWith(req, res, [this, key, generation, jobs = std::move(jobs)]() -> Result<HttpResponse> {
        auto loaded = loadPage(jobs.load);
        if (!loaded)
            return tl::unexpected(loaded.error());
        const PagePtr page = std::move(*loaded);
        keep(key, page, generation);
        return jobs.personalize(page.get());
    });
}

AnonymousCache::PagePtr AnonymousCache::sharedHit(const QString &key, quint64 *generation)
{
    std::lock_guard lock(m_mutex);
    *generation = m_generation;
    auto it = m_entries.constFind(key);
    if (it == m_entries.cend() || it->loading || it->expires <= std::chrono::steady_clock::now()) {
        count(m_misses);
        return nullptr;
    }
    count(m_shared);
    return it->page;
}

void AnonymousCache::keep(const QString &key, const PagePtr &page, quint64 generation)
{
    if (page->response.status != 200)
        return;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_mutex);
    if (generation != m_generation)
        return;
    auto it = m_entries.find(key);
    if (it != m_entries.end() && (it->loading || it->expires > now))
        return;   // an anonymous load will complete it, or a fresher copy is there
    if (it == m_entries.end() && m_entries.size() >= m_maxEntries)
        evictLocked(now);
    Entry &e = m_entries[key];
    e.page = page;
    e.generation = generation;
    e.expires = now + std::chrono::milliseconds(m_ttlMs);
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
    count(m_invalidations);
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
    PagePtr hit;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.find(key);
        const bool stale = it != m_entries.end()
                           && (it->loading ? now - it->loadingSince > std::chrono::seconds(10) : it->expires <= now);
        if (it == m_entries.end() || stale) {
            if (it == m_entries.end() && m_entries.size() >= m_maxEntries)
                evictLocked(now);
            Entry &e = m_entries[key];
            e.loading = true;
            e.loadingSince = now;
            e.generation = m_generation;
            count(m_misses);
            return Lookup::Load;
        }
        if (it->loading && it->generation != m_generation) {
            count(m_misses);
            return Lookup::Bypass;
        }
        if (it->loading) {
            it->waiters.append(res);
            count(m_joined);
            return Lookup::Answered;
        }
        hit = it->page;
        count(m_hits);
    }
    HttpResponse response = hit->response;
    response.setHeader("X-Cache", "hit");
    res.send(std::move(response));
    return Lookup::Answered;
}

void AnonymousCache::complete(const QString &key, const PagePtr &page)
{
    QList<Responder> waiters;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.find(key);
        if (it == m_entries.end())
            return;
        waiters = std::move(it->waiters);
        it->waiters.clear();
        if (page->response.status == 200 && it->generation == m_generation) {
            it->loading = false;
            it->page = page;
            it->expires = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_ttlMs);
        } else {
            m_entries.erase(it);   // errors and loads from before an invalidation are not kept
        }
    }
    for (const Responder &w : waiters) {
        HttpResponse copy = page->response;
        copy.setHeader("X-Cache", "hit");
        w.send(std::move(copy));
    }
}

void AnonymousCache::evictLocked(std::chrono::steady_clock::time_point now)
{
    const auto before = m_entries.size();
    m_entries.removeIf([now](const auto &e) { return !e.value().loading && e.value().expires <= now; });
    // Still full of live entries: start over (cheap, and rare with a short TTL).
    if (m_entries.size() >= m_maxEntries)
        m_entries.removeIf([](const auto &e) { return !e.value().loading; });
    count(m_evictions, double(before - m_entries.size()));
}

} // namespace Content
