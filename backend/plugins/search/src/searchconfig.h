// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// plugins.search: limits, ranking weights, analytics retention. Read once in
/// initialize(); a value type, safe to copy between threads.

#include "community/result.h"

#include <QJsonObject>
#include <QString>

namespace Search {

struct RankingWeights {
    // ts_rank_cd weights of the four tsvector classes (docs/search.md).
    double title = 1.0;        ///< A: title words and stems, tags
    double titleGrams = 0.4;   ///< B: bigrams of long Hangul title words
    double body = 0.2;         ///< C: body words and stems
    double bodyGrams = 0.1;    ///< D: bigrams of long Hangul body words
    /// Relevance is multiplied by 1 + recency * 2^(-age / halfLife) ...
    double recency = 0.5;
    double recencyHalfLifeDays = 30;
    /// ... and by 1 + score * ln(1 + max(votes, 0)).
    double score = 0.1;
};

struct SearchConfig {
    int maxQueryLength = 256;      ///< characters of q; longer is a 400
    int maxTerms = 16;             ///< words, phrases, "or" and "-" operators of one query
    int defaultLimit = 20;
    int maxLimit = 50;
    int maxOffset = 1000;          ///< deepest page start (relevance pages are not keyset)
    int exactCountLimit = 1000;    ///< totals up to this are exact, above it estimated
    int rankWindow = 500;          ///< candidates ranked when a query matches more than exactCountLimit
    int statementTimeoutMs = 3000; ///< SET LOCAL statement_timeout of each search
    int suggestLimit = 10;         ///< default and maximum of /suggest
    int maxSuggestLength = 64;
    int analyticsRetentionDays = 90;
    int pruneIntervalMinutes = 60;
    int statsMaxDays = 365;
    /// Search answers (pages, suggestions) held in memory per node, keyed by the index
    /// generation (docs/search.md, "Result cache"); 0 turns the cache off.
    int resultCacheMb = 32;
    int resultCacheSeconds = 30;   ///< bounds the drift of the recency term in a cached ranking
    RankingWeights ranking;
};

/// Reads plugins.search; unknown keys and bad values are Config errors naming their path.
Community::Result<SearchConfig> readSearchConfig(const QJsonObject &object, const QString &path);

} // namespace Search
