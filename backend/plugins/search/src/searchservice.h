// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The search service: queries over the projection (full text with filters, sorts,
/// totals and highlighted snippets), autocomplete, analytics (queries, clicks, stats,
/// retention) and the operator's reindex. Blocking: call from worker threads.
/// Thread-safe (no mutable state beyond the thread-safe metrics and result caches).

#include "querybuilder.h"
#include "searchconfig.h"

#include "community/result.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace pqxx { class transaction_base; }
namespace Community::Db { class Database; }
namespace Community::Events { class EventBus; }
namespace Community::Contracts { class IUserRelations; }

namespace Search {

class SearchMetrics;
template<typename T> class ResultCache;
struct CacheCounts;

enum class Sort { Relevance, New, Top };

struct SearchRequest {
    ParsedQuery query;                 ///< empty: filters only (newest first)
    QString kind;                      ///< post, comment, community, user; empty = all
    QString community;                 ///< slug; empty = all
    QString author;                    ///< username; empty = all
    QString tag;
    std::optional<QDateTime> from;     ///< created at or after
    std::optional<QDateTime> to;       ///< created before
    Sort sort = Sort::Relevance;
    int limit = 20;
    int offset = 0;
    qint64 userId = 0;                 ///< the viewer (analytics, hidden authors); 0 = anonymous
    QList<qint64> hiddenAuthors;       ///< set by the service from the viewer's relations
};

struct SearchHit {
    QString kind;
    qint64 id = 0;
    std::optional<qint64> postId;
    std::optional<qint64> communityId;
    QString communitySlug;
    std::optional<qint64> authorId;
    QString authorName;
    QStringList tags;
    QString title;              ///< highlighted, HTML-escaped
    QString snippet;            ///< highlighted, HTML-escaped
    QString postTitle;          ///< comments: their post's title (escaped)
    int score = 0;
    QDateTime createdAt;
    double rank = 0;
};

struct SearchPage {
    QList<SearchHit> items;
    qint64 total = 0;
    bool totalExact = true;
    std::optional<int> nextOffset;
    std::optional<qint64> queryId;     ///< analytics id for POST /v1/search/click (first pages)
    bool fuzzy = false;                ///< nothing matched the query; these match correctedQuery
    QString correctedQuery;            ///< the query with typos corrected (when fuzzy)
};

struct Suggestion {
    QString kind;      ///< community, tag, user, title
    QString ref;       ///< community id, tag, user id, post id
    QString text;
    QString detail;    ///< community slug, display name, post id
    QString match;     ///< exact, prefix, choseong, fuzzy (a prefix of the corrected query)
};

struct Click {
    qint64 queryId = 0;
    QString kind;
    qint64 resultId = 0;
    int position = 0;
};

class SearchService {
public:
    /// `bus` and `metrics` may be null (tests without reindex/metrics).
    SearchService(Community::Db::Database &db, Community::Events::EventBus *bus, SearchConfig config,
                  SearchMetrics *metrics = nullptr);
    ~SearchService();

    const SearchConfig &config() const { return m_config; }
    /// Whose documents a signed-in viewer must not see (blocks, mutes); optional: without
    /// the users plugin on this node nothing is hidden.
    void setRelations(const Community::Contracts::IUserRelations *relations) { m_relations = relations; }

    Community::Result<SearchPage> search(const SearchRequest &request);
    /// `normalizedQuery` from normalizeQuery(); at most `limit` suggestions.
    Community::Result<QList<Suggestion>> suggest(const QString &normalizedQuery, int limit);
    /// NotFound for an unknown query id; a repeated click on the same result counts once.
    Community::Result<void> click(const Click &click);
    /// Top queries, top zero-result queries and click-through over the last `days`.
    Community::Result<QJsonObject> stats(int days, int limit);
    /// Empties the index and replays the consumer from the first event.
    Community::Result<QJsonObject> reindex();
    /// The consumer's offset and lag, and document counts.
    Community::Result<QJsonObject> status();
    /// Deletes analytics older than the retention; returns the rows deleted.
    Community::Result<qint64> pruneAnalytics();
    /// Reads the consumer's lag from the bus into the metrics.
    void refreshLag();
    /// The result caches' lookups and evictions (also in the metrics).
    CacheCounts pageCacheCounts() const;
    CacheCounts suggestCacheCounts() const;

private:
    /// The query with each word that is not in the vocabulary replaced by the closest
    /// one that is (typo correction); unchanged when nothing is close.
    QString correctWords(pqxx::transaction_base &tx, const QString &normalized);
    /// Records an analytics row for a first-page search; returns its id (the queryId).
    qint64 recordQuery(pqxx::transaction_base &tx, const SearchRequest &req, const SearchPage &page, int tookMs);
    /// "search.query.zero_results" for a recorded search that found nothing (analytics' fact).
    Community::Result<void> publishZeroResults(pqxx::transaction_base &tx, const SearchRequest &req, const SearchPage &page);
    /// A cached page confirmed current in one autocommit statement that also records the
    /// analytics row; nullopt when there is none or the index moved on since.
    Community::Result<std::optional<SearchPage>> currentCachedPage(const SearchRequest &req, const QString &key,
                                                                   const QElapsedTimer &timer);
    /// The search in one transaction (a cache miss), storing its page in the cache.
    Community::Result<SearchPage> uncachedSearch(const SearchRequest &req, const QString &key,
                                                 const QElapsedTimer &timer);
    /// The page of a search, from the cache when it holds one of this index generation.
    Community::Result<SearchPage> page(pqxx::transaction_base &tx, const SearchRequest &req, const QString &key,
                                       qint64 generation);
    Community::Result<QList<Suggestion>> computeSuggestions(const QString &normalizedQuery, int limit);

    Community::Db::Database &m_db;
    Community::Events::EventBus *m_bus;
    SearchConfig m_config;
    SearchMetrics *m_metrics;
    const Community::Contracts::IUserRelations *m_relations = nullptr;
    std::unique_ptr<ResultCache<SearchPage>> m_pages;
    std::unique_ptr<ResultCache<QList<Suggestion>>> m_suggestions;
};

} // namespace Search
