// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "searchservice.h"

#include "chatindexer.h"

#include "highlighter.h"
#include "indexer.h"
#include "resultcache.h"
#include "searchmetrics.h"
#include "suggestkeys.h"
#include "textanalysis.h"

#include "community/contracts/events/search.h"
#include "community/contracts/users.h"

#include "community/database.h"
#include "community/eventbus.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <pqxx/pqxx>

#include <algorithm>
#include <cmath>
#include <vector>

namespace Search {

using Community::ErrorCode;
using Community::Result;

namespace {

std::string s(const QString &q) { return q.toStdString(); }

std::optional<std::string> opt(const QString &q)
{
    return q.isEmpty() ? std::nullopt : std::optional<std::string>(q.toStdString());
}

QString text(const pqxx::field &f)
{
    return f.is_null() ? QString() : QString::fromUtf8(f.c_str());
}

std::optional<qint64> optId(const pqxx::field &f)
{
    return f.is_null() ? std::nullopt : std::optional<qint64>(f.as<qint64>());
}

/// The filter parameters $1..$8 every search statement takes.
struct Filter {
    std::optional<std::string> tsquery;     // $1
    std::optional<std::string> kind;        // $2
    std::optional<std::string> community;   // $3 (id)
    std::optional<std::string> author;      // $4 (lower-cased username)
    std::optional<std::string> tag;         // $5
    std::optional<std::string> from;        // $6
    std::optional<std::string> to;          // $7
    std::optional<std::string> hidden;      // $8 (bigint[] literal: authors the viewer must not see)
};

template<typename... Extra>
pqxx::result run(pqxx::transaction_base &tx, const std::string &sql, const Filter &f, Extra &&...extra)
{
    return tx.exec_params(sql, f.tsquery, f.kind, f.community, f.author, f.tag, f.from, f.to, f.hidden,
                          std::forward<Extra>(extra)...);
}

// With unnamed statements PostgreSQL plans with the parameter values, so "$2 IS NULL OR
// ..." folds away and each search gets the plan of exactly the filters it uses.
const std::string kFilter =
    " d.searchable"
    " AND ($2::text IS NULL OR d.kind = $2::text)"
    " AND ($3::bigint IS NULL OR d.community_id = $3::bigint)"
    " AND ($4::text IS NULL OR lower(d.author_name) = $4::text)"
    " AND ($5::text IS NULL OR d.tags @> ARRAY[$5::text])"
    " AND ($6::timestamptz IS NULL OR d.created_at >= $6::timestamptz)"
    " AND ($7::timestamptz IS NULL OR d.created_at < $7::timestamptz)"
    " AND ($8::bigint[] IS NULL OR d.author_id IS NULL OR d.author_id <> ALL($8::bigint[]))";
const std::string kMatch = kFilter + " AND ($1::tsquery IS NULL OR d.tsv @@ $1::tsquery)";

const std::string kColumns =
    "d.kind, d.ref_id, d.post_id, d.community_id, d.community_slug, d.author_id, d.author_name, "
    "array_to_json(d.tags)::text, d.title, left(d.body, 20000), d.parent_title, d.score, "
    "(extract(epoch FROM d.created_at) * 1000)::bigint";

// Relevance: cover density with the class weights ($9, {D,C,B,A}), divided by 1 + log of
// the document length, times a recency boost that halves every $11 seconds ($10) and a
// vote boost ($12) (docs/search.md).
const std::string kRank =
    "coalesce(ts_rank_cd($9::float4[], d.tsv, $1::tsquery, 1), 0)"
    " * (1 + $10::float8 * power(2::float8, -greatest(extract(epoch FROM now() - d.created_at), 0)::float8 / $11::float8))"
    " * (1 + $12::float8 * ln(1 + greatest(d.score, 0)))";

const std::string kTieBreak = ", d.created_at DESC, d.ref_id DESC, d.kind";

QStringList jsonStrings(const QByteArray &json)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json).array())
        out.append(v.toString());
    return out;
}

SearchHit hitFromRow(const pqxx::row &row, const HighlightTerms &terms, bool highlight)
{
    SearchHit h;
    h.kind = text(row[0]);
    h.id = row[1].as<qint64>();
    h.postId = optId(row[2]);
    h.communityId = optId(row[3]);
    h.communitySlug = text(row[4]);
    h.authorId = optId(row[5]);
    h.authorName = text(row[6]);
    h.tags = jsonStrings(QByteArray(row[7].c_str()));
    const QString title = text(row[8]);
    const QString body = text(row[9]);
    const HighlightTerms none;
    h.title = highlightAll(title, highlight ? terms : none);
    h.snippet = snippet(body, highlight ? terms : none, 200);
    h.postTitle = text(row[10]).toHtmlEscaped();
    h.score = row[11].as<int>();
    h.createdAt = QDateTime::fromMSecsSinceEpoch(row[12].as<qint64>(), Qt::UTC);
    h.rank = row[13].is_null() ? 0.0 : row[13].as<double>();
    return h;
}

std::string bigintArray(const QList<qint64> &ids)
{
    std::string out = "{";
    for (qsizetype i = 0; i < ids.size(); ++i)
        out += (i ? "," : "") + std::to_string(ids[i]);
    return out + "}";
}

std::string isoOrEmpty(const std::optional<QDateTime> &t)
{
    return t ? t->toUTC().toString(Qt::ISODateWithMs).toStdString() : std::string();
}

/// The planner's row estimate for a query (EXPLAIN, nothing is executed).
qint64 estimateRows(pqxx::transaction_base &tx, const Filter &f)
{
    const pqxx::result r = run(tx, "EXPLAIN (FORMAT JSON) SELECT 1 FROM search.documents d WHERE" + kMatch, f);
    const QJsonDocument plan = QJsonDocument::fromJson(QByteArray(r[0][0].c_str()));
    return qint64(plan.array().at(0).toObject().value(QStringLiteral("Plan")).toObject()
                      .value(QStringLiteral("Plan Rows")).toDouble());
}


/// Optimal string alignment distance (Levenshtein with adjacent transpositions).
int editDistance(const QString &a, const QString &b)
{
    const qsizetype n = a.size(), m = b.size();
    std::vector<std::vector<int>> d(size_t(n + 1), std::vector<int>(size_t(m + 1)));
    for (qsizetype i = 0; i <= n; ++i)
        d[i][0] = int(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][j] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a.at(i - 1) == b.at(j - 2) && a.at(i - 2) == b.at(j - 1))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

} // namespace

QString SearchService::correctWords(pqxx::transaction_base &tx, const QString &normalized)
{
    // Each word of the query that is not itself in the vocabulary (words of titles, tags,
    // community and user names) is replaced by the closest vocabulary word: trigram
    // candidates on the ASCII transliteration (so Korean works too), then the one within
    // a small edit distance that is most similar and most used.
    QStringList words = normalized.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QJsonArray lookup;
    QList<QString> translits;
    for (qsizetype i = 0; i < words.size() && i < 16; ++i) {
        const QString t = transliterate(words.at(i));
        translits.append(t);
        if (t.size() >= 3 && !t.contains(QLatin1Char(' ')))
            lookup.append(QJsonObject{{QStringLiteral("i"), int(i)}, {QStringLiteral("w"), words.at(i)}, {QStringLiteral("t"), t}});
    }
    if (lookup.isEmpty())
        return normalized;
    // A transposition in a five-letter word leaves a trigram similarity of 0.2 (psata,
    // pasta): short words need a low bar; the edit distance below does the real check.
    tx.exec("SET LOCAL pg_trgm.similarity_threshold = 0.15");
    const pqxx::result rows = tx.exec_params(
        "SELECT q.i, v.word, v.translit, v.word = q.w FROM jsonb_to_recordset($1::jsonb) AS q(i int, w text, t text)"
        " CROSS JOIN LATERAL (SELECT word, translit, uses FROM search.vocabulary"
        "  WHERE translit OPERATOR(public.%) q.t"
        "   AND public.similarity(translit, q.t) > CASE WHEN length(q.t) <= 6 THEN 0.15 ELSE 0.25 END"
        "  ORDER BY word = q.w DESC, public.similarity(translit, q.t) DESC, uses DESC LIMIT 20) v",
        QJsonDocument(lookup).toJson(QJsonDocument::Compact).toStdString());
    QSet<int> known, replaced;
    for (const auto &row : rows) {
        const int i = row[0].as<int>();
        if (row[3].as<bool>())
            known.insert(i);
    }
    for (const auto &row : rows) {
        const int i = row[0].as<int>();
        if (known.contains(i) || replaced.contains(i))
            continue;
        const QString candidate = text(row[2]);
        const QString &t = translits.at(i);
        const int allowed = t.size() <= 4 ? 1 : t.size() <= 8 ? 2 : 3;
        if (editDistance(candidate, t) <= allowed) {
            words[i] = text(row[1]);
            replaced.insert(i);
        }
    }
    return words.join(QLatin1Char(' '));
}

SearchService::SearchService(Community::Db::Database &db, Community::Events::EventBus *bus, SearchConfig config,
                             SearchMetrics *metrics)
    : m_db(db), m_bus(bus), m_config(std::move(config)), m_metrics(metrics)
{
    // Pages hold snippets and are bigger than suggestion lists: three quarters of the bound.
    const qint64 bytes = qint64(m_config.resultCacheMb) * 1024 * 1024;
    const int ttlMs = m_config.resultCacheSeconds * 1000;
    m_pages = std::make_unique<ResultCache<SearchPage>>(bytes / 4 * 3, ttlMs, metrics, SearchMetrics::Cache::Pages);
    m_suggestions = std::make_unique<ResultCache<QList<Suggestion>>>(bytes / 4, ttlMs, metrics,
                                                                     SearchMetrics::Cache::Suggestions);
}

SearchService::~SearchService() = default;

CacheCounts SearchService::pageCacheCounts() const { return m_pages->counts(); }
CacheCounts SearchService::suggestCacheCounts() const { return m_suggestions->counts(); }

namespace {

Community::Error unacceptable(const QString &message, const QString &code)
{
    Community::Error e = Community::invalidField(QStringLiteral("q"), message, code);
    e.message = QStringLiteral("The search query is not acceptable.");
    return e;
}

/// One search inside one transaction: the filters, the ranking parameters and the page
/// asked for. execute() runs one pass of a query (the typo-corrected retry runs another).
class SearchRun {
public:
    SearchRun(pqxx::transaction_base &tx, const SearchConfig &config, const SearchRequest &req)
        : m_tx(tx), m_config(config), m_req(req)
    {
        const bool hasQuery = !req.query.isEmpty();
        m_sort = hasQuery ? req.sort : (req.sort == Sort::Relevance ? Sort::New : req.sort);
        const RankingWeights &w = config.ranking;
        m_weights = QStringLiteral("{%1,%2,%3,%4}").arg(w.bodyGrams).arg(w.body).arg(w.titleGrams).arg(w.title).toStdString();
        m_halfLifeSeconds = w.recencyHalfLifeDays * 86400.0;
        m_filter.kind = opt(req.kind);
        m_filter.author = opt(req.author.toLower());
        m_filter.tag = opt(req.tag.toLower());
        if (req.from)
            m_filter.from = isoOrEmpty(req.from);
        if (req.to)
            m_filter.to = isoOrEmpty(req.to);
        if (!req.hiddenAuthors.isEmpty())
            m_filter.hidden = bigintArray(req.hiddenAuthors);
    }

    /// Resolves the community filter; false when no such community exists.
    bool resolveCommunity()
    {
        if (m_req.community.isEmpty())
            return true;
        const pqxx::result c = m_tx.exec_params(
            "SELECT ref_id FROM search.documents WHERE kind = 'community' AND lower(community_slug) = lower($1)",
            s(m_req.community));
        if (c.empty())
            return false;
        m_filter.community = std::string(c[0][0].c_str());
        return true;
    }

    /// One pass: tsquery, capped count (and estimate beyond it), the page. Returns the
    /// number of matches (capped at exactCountLimit + 1).
    Result<qint64> execute(const ParsedQuery &query, SearchPage &out)
    {
        auto compiled = compile(query);
        if (!compiled)
            return tl::unexpected(compiled.error());
        if (!*compiled)
            return 0;   // only stop words
        const qint64 cap = m_config.exactCountLimit;
        const pqxx::result count = run(
            m_tx, "SELECT count(*) FROM (SELECT 1 FROM search.documents d WHERE" + kMatch + " LIMIT $9) x", m_filter, cap + 1);
        const qint64 matches = count[0][0].as<qint64>();
        out.total = std::min(matches, cap);
        out.totalExact = matches <= cap;
        if (!out.totalExact)
            out.total = std::max(cap + 1, estimateRows(m_tx, m_filter));
        if (matches == 0 || m_req.offset >= matches)
            return matches;
        const HighlightTerms terms{query.latinWords, query.cjkTerms};
        for (const auto &row : pageRows(matches > cap))
            out.items.append(hitFromRow(row, terms, !query.isEmpty()));
        if (out.items.size() > m_req.limit) {
            out.items.resize(m_req.limit);
            if (m_req.offset + m_req.limit <= m_config.maxOffset)
                out.nextOffset = m_req.offset + m_req.limit;
        }
        return matches;
    }

    /// Runs the typo-corrected query; its page replaces `page` when it found anything.
    void retryCorrected(const QString &corrected, SearchPage &page)
    {
        if (corrected == m_req.query.normalized)
            return;
        auto parsed = parseQuery(corrected, m_config);
        if (!parsed || parsed->isEmpty())
            return;
        SearchPage fuzzy;
        auto again = execute(*parsed, fuzzy);
        if (again && *again > 0) {
            page = fuzzy;
            page.fuzzy = true;
            page.correctedQuery = corrected;
        }
    }

private:
    /// Sets the filter's tsquery for `query`; false when it has only stop words.
    Result<bool> compile(const ParsedQuery &query)
    {
        m_filter.tsquery.reset();
        if (query.isEmpty())
            return true;
        const pqxx::result q = m_tx.exec_params(
            "SELECT q::text, numnode(q), querytree(q) FROM search.make_query($1, $2::jsonb) q",
            s(query.latin), groupsJson(query).toStdString());
        const int nodes = q[0][1].as<int>();
        if (nodes == 0)
            return false;
        if (std::string(q[0][2].c_str()) == "T")
            return tl::unexpected(unacceptable(QStringLiteral("needs at least one word that is not excluded"),
                                               QStringLiteral("only_excluded")));
        if (nodes > 40 * m_config.maxTerms)
            return tl::unexpected(unacceptable(QStringLiteral("is too complex"), QStringLiteral("too_complex")));
        m_filter.tsquery = std::string(q[0][0].c_str());
        return true;
    }

    /// The page's rows. Ranks are computed where the candidates are scanned; the display
    /// columns (title, body for the snippet) are read for the page's rows only.
    pqxx::result pageRows(bool overCap)
    {
        const RankingWeights &w = m_config.ranking;
        const std::string pageSql =
            "page AS (SELECT * FROM c ORDER BY rank DESC, created_at DESC, ref_id DESC, kind LIMIT $13 OFFSET $14) "
            "SELECT " + kColumns + ", page.rank FROM page JOIN search.documents d"
            " ON d.kind = page.kind AND d.ref_id = page.ref_id"
            " ORDER BY page.rank DESC, page.created_at DESC, page.ref_id DESC, page.kind";
        const std::string candidate = "SELECT d.kind, d.ref_id, d.created_at, " + kRank
                                      + " AS rank FROM search.documents d WHERE" + kMatch;
        if (m_sort == Sort::Relevance && overCap) {
            // Too many matches to rank them all within the budget: rank the newest
            // and the best-voted of them, rankWindow in all (docs/search.md, "Limits").
            const int top = std::max(1, m_config.rankWindow / 5);
            return run(m_tx, "WITH c AS ((" + candidate + " ORDER BY d.created_at DESC, d.ref_id DESC LIMIT $15)"
                             " UNION (" + candidate + " ORDER BY d.score DESC, d.created_at DESC LIMIT $16)), " + pageSql,
                       m_filter, m_weights, w.recency, m_halfLifeSeconds, w.score, m_req.limit + 1, m_req.offset,
                       m_config.rankWindow - top, top);
        }
        if (m_sort == Sort::Relevance)
            return run(m_tx, "WITH c AS (" + candidate + "), " + pageSql, m_filter, m_weights, w.recency,
                       m_halfLifeSeconds, w.score, m_req.limit + 1, m_req.offset);
        const std::string order = m_sort == Sort::New ? std::string(" ORDER BY d.created_at DESC, d.ref_id DESC, d.kind")
                                                      : " ORDER BY d.score DESC" + kTieBreak;
        return run(m_tx, "SELECT " + kColumns + ", " + kRank + " AS rank FROM search.documents d WHERE" + kMatch + order
                             + " LIMIT $13 OFFSET $14",
                   m_filter, m_weights, w.recency, m_halfLifeSeconds, w.score, m_req.limit + 1, m_req.offset);
    }

    pqxx::transaction_base &m_tx;
    const SearchConfig &m_config;
    const SearchRequest &m_req;
    Sort m_sort = Sort::Relevance;
    std::string m_weights;
    double m_halfLifeSeconds = 0;
    Filter m_filter;
};

} // namespace

namespace {

/// Everything a search's answer depends on besides the index (and the clock).
QString pageKey(const SearchRequest &req)
{
    QList<qint64> hidden = req.hiddenAuthors;
    std::sort(hidden.begin(), hidden.end());
    QStringList ids;
    for (qint64 id : hidden)
        ids.append(QString::number(id));
    return QStringList{req.query.normalized, req.kind, req.community.toLower(), req.author.toLower(),
                       req.tag.toLower(), req.from ? req.from->toUTC().toString(Qt::ISODateWithMs) : QString(),
                       req.to ? req.to->toUTC().toString(Qt::ISODateWithMs) : QString(),
                       QString::number(int(req.sort)), QString::number(req.limit), QString::number(req.offset),
                       ids.join(QLatin1Char(','))}
        .join(QLatin1Char('\x1f'));
}

qint64 pageBytes(const SearchPage &page)
{
    qint64 chars = page.correctedQuery.size();
    for (const SearchHit &h : page.items) {
        chars += h.kind.size() + h.communitySlug.size() + h.authorName.size() + h.title.size() + h.snippet.size()
                 + h.postTitle.size() + h.tags.join(QString()).size() + 24 * h.tags.size();
    }
    return chars * 2 + qint64(page.items.size()) * qint64(sizeof(SearchHit)) + qint64(sizeof(SearchPage));
}

} // namespace

Result<std::optional<SearchPage>> SearchService::currentCachedPage(const SearchRequest &req, const QString &key,
                                                                  const QElapsedTimer &timer)
{
    auto entry = m_pages->peek(key);
    if (!entry)
        return std::optional<SearchPage>();
    // One round trip instead of a transaction's four: the generation check and the
    // analytics row (only when the generation still matches), with the commit not waiting
    // for the WAL flush (set_config is local to the statement's implicit transaction).
    const bool record = !req.query.isEmpty() && req.offset == 0;
    SearchPage page = entry->second;
    const qint64 results = page.fuzzy ? 0 : std::min<qint64>(page.total, 2'000'000'000);
    if (record && results == 0 && m_bus)
        return std::optional<SearchPage>();   // the transaction path records it and publishes the zero-result event

    auto current = m_db.read<std::optional<qint64>>([&](pqxx::nontransaction &tx) -> Result<std::optional<qint64>> {
        const pqxx::result r = tx.exec_params(
            "WITH g AS (SELECT generation, set_config('synchronous_commit', 'off', true) FROM search.index_state),"
            " ins AS (INSERT INTO search.queries (user_id, query, kind, results, took_ms)"
            "  SELECT $1, $2, $3, $4, $5 FROM g WHERE g.generation = $6 AND $7 RETURNING id)"
            " SELECT g.generation = $6, (SELECT id FROM ins) FROM g",
            req.userId > 0 ? std::optional<qint64>(req.userId) : std::nullopt, s(req.query.normalized.left(512)),
            opt(req.kind), int(results), int(timer.elapsed()), entry->first, record);
        if (!r[0][0].as<bool>())
            return std::optional<qint64>();
        return std::optional<qint64>(r[0][1].is_null() ? 0 : r[0][1].as<qint64>());
    });
    if (!current)
        return tl::unexpected(current.error());
    if (!*current)
        return std::optional<SearchPage>();
    m_pages->hit();
    if (record)
        page.queryId = **current;
    return std::optional<SearchPage>(page);
}

Result<SearchPage> SearchService::page(pqxx::transaction_base &tx, const SearchRequest &req, const QString &key,
                                       qint64 generation)
{
    if (auto cached = m_pages->find(key, generation))
        return *cached;
    SearchPage page;
    SearchRun run(tx, m_config, req);
    if (run.resolveCommunity()) {
        auto matches = run.execute(req.query, page);
        if (!matches)
            return tl::unexpected(matches.error());
        // Nothing matched: try the query with its words corrected against the vocabulary
        // of titles, tags and names (typos), first page only.
        if (*matches == 0 && !req.query.isEmpty() && req.offset == 0)
            run.retryCorrected(correctWords(tx, req.query.normalized), page);
    }
    m_pages->insert(key, generation, page, pageBytes(page));
    return page;
}

Result<SearchPage> SearchService::uncachedSearch(const SearchRequest &req, const QString &key, const QElapsedTimer &timer)
{
    return m_db.transact<SearchPage>([&](pqxx::work &tx) -> Result<SearchPage> {
        // Only the analytics row is written; losing the last ones in a crash is acceptable.
        // The generation is read before any search statement, so a page computed below
        // is at least as new as the generation it is cached under.
        const pqxx::result setup = tx.exec(
            "SELECT set_config('statement_timeout', '" + std::to_string(m_config.statementTimeoutMs)
            + "', true), set_config('synchronous_commit', 'off', true), (SELECT generation FROM search.index_state)");
        auto found = page(tx, req, key, setup[0][2].as<qint64>());
        if (!found)
            return tl::unexpected(found.error());
        if (!req.query.isEmpty() && req.offset == 0) {
            found->queryId = recordQuery(tx, req, *found, int(timer.elapsed()));
            if (auto r = publishZeroResults(tx, req, *found); !r)
                return tl::unexpected(r.error());
        }
        return found;
    });
}

Result<SearchPage> SearchService::search(const SearchRequest &request)
{
    QElapsedTimer timer;
    timer.start();
    // Leave out what the viewer blocked or muted and those who block the viewer. Read
    // before the transaction (the contract takes a connection of its own); a failure
    // fails the search rather than showing hidden authors.
    SearchRequest req = request;
    if (req.userId > 0 && m_relations) {
        auto relations = m_relations->relationsOf(req.userId);
        if (!relations)
            return tl::unexpected(relations.error());
        req.hiddenAuthors = relations->hidden;
    }
    const QString key = pageKey(req);
    auto cached = currentCachedPage(req, key, timer);
    Result<SearchPage> result = !cached ? Result<SearchPage>(tl::unexpected(cached.error()))
                                : *cached ? Result<SearchPage>(**cached)
                                          : uncachedSearch(req, key, timer);
    if (m_metrics) {
        if (!result)
            m_metrics->searched(SearchMetrics::Outcome::Rejected);
        else
            m_metrics->searched(result->items.isEmpty() || result->fuzzy ? SearchMetrics::Outcome::Zero
                                                                         : SearchMetrics::Outcome::Hits);
    }
    return result;
}

Result<void> SearchService::publishZeroResults(pqxx::transaction_base &tx, const SearchRequest &req, const SearchPage &page)
{
    if (!m_bus || (!page.fuzzy && page.total > 0))
        return {};
    namespace E = Community::Contracts::Events::Search;
    const E::ZeroResults event{page.queryId.value_or(0), std::max<qint64>(req.userId, 0), req.query.normalized.left(E::ZeroResults::kMaxQuery),
                               req.kind};
    if (auto id = Community::Events::publishEvent(*m_bus, tx, event); !id)
        return tl::unexpected(id.error());
    return {};
}

qint64 SearchService::recordQuery(pqxx::transaction_base &tx, const SearchRequest &req, const SearchPage &page, int tookMs)
{
    const qint64 results = page.fuzzy ? 0 : page.total;
    const pqxx::result id = tx.exec_params(
        "INSERT INTO search.queries (user_id, query, kind, results, took_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        req.userId > 0 ? std::optional<qint64>(req.userId) : std::nullopt, s(req.query.normalized.left(512)),
        opt(req.kind), int(std::min<qint64>(results, 2'000'000'000)), tookMs);
    return id[0][0].as<qint64>();
}

namespace {

/// The suggestion query: capped scans per key (names, whole titles, any word start: see
/// the partial indexes in the migration), jamo prefixes (plain prefixes and unfinished
/// syllables) and, with `choseong`, choseong prefixes; each capped so that a one-letter
/// prefix stays an index range scan of bounded length. Every key row carries term, detail
/// and weight, so ranking needs no second lookup. $1 LIKE pattern, $2 jamo key, $3 limit,
/// $4 choseong key.
std::string suggestSql(bool choseong)
{
    const std::string columns = "kind, ref, pos, term, detail, weight, ";
    const std::string jamoTier = "CASE WHEN jamo = $2 THEN 0 ELSE 1 END AS tier, 'prefix'::text AS how";
    const std::string choTier = "1 AS tier, 'choseong'::text AS how";
    std::string sql =
        "WITH hits AS ("
        "  (SELECT " + columns + jamoTier + " FROM search.suggestions"
        "   WHERE kind <> 'title' AND jamo LIKE $1 ESCAPE '\\' ORDER BY jamo USING ~<~ LIMIT 60)"
        "  UNION ALL"
        "  (SELECT " + columns + jamoTier + " FROM search.suggestions"
        "   WHERE kind = 'title' AND pos = 0 AND jamo LIKE $1 ESCAPE '\\' ORDER BY jamo USING ~<~ LIMIT 60)"
        "  UNION ALL"
        "  (SELECT " + columns + jamoTier + " FROM search.suggestions"
        "   WHERE jamo LIKE $1 ESCAPE '\\' ORDER BY jamo USING ~<~ LIMIT 120)";
    if (choseong) {
        sql += "  UNION ALL"
               "  (SELECT " + columns + choTier + " FROM search.suggestions"
               "   WHERE choseong <> '' AND kind <> 'title' AND choseong LIKE $4::text || '%'"
               "   ORDER BY choseong USING ~<~ LIMIT 60)"
               "  UNION ALL"
               "  (SELECT " + columns + choTier + " FROM search.suggestions"
               "   WHERE choseong <> '' AND choseong LIKE $4::text || '%' ORDER BY choseong USING ~<~ LIMIT 120)";
    }
    return sql + "),"
                 " best AS (SELECT DISTINCT ON (kind, ref) * FROM hits ORDER BY kind, ref, tier, pos)"
                 " SELECT kind, ref, term, detail, tier, how FROM best"
                 // Exact before prefix/choseong, whole terms before later word starts,
                 // communities, tags, users, titles, then popularity.
                 " ORDER BY tier, (pos = 0) DESC,"
                 "  CASE kind WHEN 'community' THEN 0 WHEN 'tag' THEN 1 WHEN 'user' THEN 2 ELSE 3 END,"
                 "  weight DESC, length(term), term, ref LIMIT $3";
}

QString escapeLike(QString v)
{
    v.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    v.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    v.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return v;
}

pqxx::result prefixRows(pqxx::transaction_base &tx, const QString &jamoKey, const QString &choseongKey, int limit)
{
    static const std::string plain = suggestSql(false);
    static const std::string withChoseong = suggestSql(true);
    const std::string like = s(escapeLike(jamoKey) + QLatin1Char('%'));
    if (choseongKey.isEmpty())
        return tx.exec_params(plain, like, s(jamoKey), limit * 3);
    return tx.exec_params(withChoseong, like, s(jamoKey), limit * 3, s(choseongKey));
}

/// Collects suggestions up to a limit, each text once per kind (many posts share a title).
struct SuggestionList {
    int limit;
    QList<Suggestion> items;
    QSet<QString> seen;

    void collect(const pqxx::result &rows, const QString &match)
    {
        for (const auto &row : rows) {
            if (items.size() >= limit)
                return;
            Suggestion sg;
            sg.kind = text(row[0]);
            sg.ref = text(row[1]);
            sg.text = text(row[2]);
            sg.detail = text(row[3]);
            sg.match = !match.isEmpty() ? match : row[4].as<int>() == 0 ? QStringLiteral("exact") : text(row[5]);
            const QString dedupe = sg.kind + QLatin1Char('\x1f') + normalizeQuery(sg.text);
            if (seen.contains(dedupe))
                continue;
            seen.insert(dedupe);
            items.append(sg);
        }
    }
};

} // namespace

Result<QList<Suggestion>> SearchService::suggest(const QString &normalizedQuery, int limit)
{
    if (m_metrics)
        m_metrics->suggested();
    if (!m_suggestions->enabled())
        return computeSuggestions(normalizedQuery, limit);
    auto generation = m_db.read<qint64>([](pqxx::nontransaction &tx) -> Result<qint64> {
        return tx.exec("SELECT generation FROM search.index_state")[0][0].as<qint64>();
    });
    if (!generation)
        return tl::unexpected(generation.error());
    const QString key = QString::number(limit) + QLatin1Char('\x1f') + normalizedQuery;
    if (auto cached = m_suggestions->find(key, *generation))
        return *cached;
    auto list = computeSuggestions(normalizedQuery, limit);
    if (list) {
        qint64 chars = 0;
        for (const Suggestion &sg : *list)
            chars += sg.kind.size() + sg.ref.size() + sg.text.size() + sg.detail.size() + sg.match.size();
        m_suggestions->insert(key, *generation, *list, chars * 2 + qint64(list->size() * sizeof(Suggestion)));
    }
    return list;
}

Result<QList<Suggestion>> SearchService::computeSuggestions(const QString &normalizedQuery, int limit)
{
    const QString key = queryJamoKey(normalizedQuery);
    QString compact = normalizedQuery;
    compact.remove(QLatin1Char(' '));
    const QString cho = isChoseongQuery(compact) ? compact : QString();
    return m_db.transact<QList<Suggestion>>([&](pqxx::work &tx) -> Result<QList<Suggestion>> {
        tx.exec("SET LOCAL statement_timeout = " + std::to_string(m_config.statementTimeoutMs));
        SuggestionList list{limit, {}, {}};
        list.collect(prefixRows(tx, key, cho, limit), QString());
        // Typos: the query with its words corrected against the vocabulary, by prefix
        // again; only when the prefixes left room.
        if (list.items.size() < limit) {
            const QString corrected = correctWords(tx, normalizedQuery);
            if (corrected != normalizedQuery)
                list.collect(prefixRows(tx, queryJamoKey(corrected), QString(), limit), QStringLiteral("fuzzy"));
        }
        return list.items;
    });
}

Result<void> SearchService::click(const Click &c)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        tx.exec("SET LOCAL synchronous_commit = off");
        const pqxx::result r = tx.exec_params(
            "WITH q AS (SELECT id FROM search.queries WHERE id = $1 AND created_at > now() - interval '1 day'),"
            " ins AS (INSERT INTO search.clicks (query_id, result_kind, result_id, position)"
            "         SELECT id, $2, $3, $4 FROM q ON CONFLICT DO NOTHING RETURNING 1)"
            " SELECT (SELECT count(*) FROM q), (SELECT count(*) FROM ins)",
            c.queryId, s(c.kind), c.resultId, c.position);
        if (r[0][0].as<qint64>() == 0)
            return Community::fail(ErrorCode::NotFound, QStringLiteral("No such search (or it is more than a day old)."));
        return {};
    });
}

Result<QJsonObject> SearchService::stats(int days, int limit)
{
    return m_db.read<QJsonObject>([&](pqxx::nontransaction &tx) -> Result<QJsonObject> {
        const std::string window = "q.created_at >= now() - $1 * interval '1 day'";
        const pqxx::result totals = tx.exec_params(
            "SELECT count(*), count(*) FILTER (WHERE q.results = 0), count(*) FILTER (WHERE q.results > 0),"
            " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM search.clicks c WHERE c.query_id = q.id)),"
            " (SELECT count(*) FROM search.clicks c JOIN search.queries q ON q.id = c.query_id WHERE " + window + "),"
            " (SELECT avg(c.position)::float8 FROM search.clicks c JOIN search.queries q ON q.id = c.query_id WHERE " + window + "),"
            " (now() - $1 * interval '1 day')::text, now()::text"
            " FROM search.queries q WHERE " + window,
            days);
        const qint64 searches = totals[0][0].as<qint64>();
        const qint64 zero = totals[0][1].as<qint64>();
        const qint64 withResults = totals[0][2].as<qint64>();
        const qint64 clicked = totals[0][3].as<qint64>();
        auto ratio = [](qint64 a, qint64 b) { return b > 0 ? std::round(double(a) / double(b) * 10000.0) / 10000.0 : 0.0; };

        QJsonArray top;
        for (const auto &row : tx.exec_params(
                 "SELECT q.query, count(*) AS n, avg(q.results)::float8,"
                 " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM search.clicks c WHERE c.query_id = q.id))"
                 " FROM search.queries q WHERE " + window + " GROUP BY q.query ORDER BY n DESC, q.query LIMIT $2",
                 days, limit)) {
            const qint64 n = row[1].as<qint64>();
            const qint64 c = row[3].as<qint64>();
            top.append(QJsonObject{{QStringLiteral("query"), text(row[0])},
                                   {QStringLiteral("count"), double(n)},
                                   {QStringLiteral("avgResults"), std::round(row[2].as<double>() * 10.0) / 10.0},
                                   {QStringLiteral("clicked"), double(c)},
                                   {QStringLiteral("ctr"), ratio(c, n)}});
        }
        QJsonArray zeroTop;
        for (const auto &row : tx.exec_params(
                 "SELECT q.query, count(*) AS n, max(q.created_at)::text FROM search.queries q"
                 " WHERE " + window + " AND q.results = 0 GROUP BY q.query ORDER BY n DESC, q.query LIMIT $2",
                 days, limit)) {
            zeroTop.append(QJsonObject{{QStringLiteral("query"), text(row[0])},
                                       {QStringLiteral("count"), double(row[1].as<qint64>())},
                                       {QStringLiteral("lastSeen"), text(row[2])}});
        }
        return QJsonObject{
            {QStringLiteral("days"), days},
            {QStringLiteral("from"), text(totals[0][6])},
            {QStringLiteral("to"), text(totals[0][7])},
            {QStringLiteral("searches"), double(searches)},
            {QStringLiteral("zeroResultSearches"), double(zero)},
            {QStringLiteral("zeroResultRate"), ratio(zero, searches)},
            {QStringLiteral("clickedSearches"), double(clicked)},
            {QStringLiteral("clicks"), double(totals[0][4].as<qint64>())},
            {QStringLiteral("ctr"), ratio(clicked, withResults)},
            {QStringLiteral("meanClickPosition"),
             totals[0][5].is_null() ? QJsonValue(QJsonValue::Null) : QJsonValue(std::round(totals[0][5].as<double>() * 100.0) / 100.0)},
            {QStringLiteral("topQueries"), top},
            {QStringLiteral("topZeroResultQueries"), zeroTop},
        };
    });
}

Result<QJsonObject> SearchService::reindex()
{
    if (!m_bus)
        return Community::fail(ErrorCode::Unavailable, QStringLiteral("The event bus is not available."));
    const QString consumer = QString::fromLatin1(kIndexConsumer);
    const QString chatConsumer = QString::fromLatin1(kChatIndexConsumer);
    qint64 target = 0;
    qint64 chatTarget = 0;
    if (auto list = m_bus->consumers(); list) {
        for (const auto &c : *list) {
            if (c.consumer == consumer)
                target = c.lastId + c.lag;
            else if (c.consumer == chatConsumer)
                chatTarget = c.lastId + c.lag;
        }
    }
    // Empty first, then rewind: an event the consumer applies in between only writes a
    // document whose own newer state the replay then leaves alone (documents keep their
    // newest event id), so the rebuilt index is the same whichever order they meet in.
    // The rooms' index (search.chat) is rebuilt the same way, from its own consumer.
    auto emptied = m_db.transact<void>([](pqxx::work &tx) -> Result<void> {
        Indexer::truncate(tx);
        ChatIndexer::truncate(tx);
        return {};
    });
    if (!emptied)
        return tl::unexpected(emptied.error());
    if (auto r = m_bus->replay(consumer, 1); !r)
        return tl::unexpected(r.error());
    if (auto r = m_bus->replay(chatConsumer, 1); !r)
        return tl::unexpected(r.error());
    if (m_metrics)
        m_metrics->resetLastIndexed();
    return QJsonObject{{QStringLiteral("consumer"), consumer},
                       {QStringLiteral("replayFrom"), 1},
                       {QStringLiteral("targetEventId"), double(target)},
                       {QStringLiteral("rooms"), QJsonObject{{QStringLiteral("consumer"), chatConsumer},
                                                             {QStringLiteral("targetEventId"), double(chatTarget)}}}};
}

Result<QJsonObject> SearchService::status()
{
    QJsonObject out{{QStringLiteral("consumer"), QString::fromLatin1(kIndexConsumer)}};
    QJsonObject rooms{{QStringLiteral("consumer"), QString::fromLatin1(kChatIndexConsumer)}};
    if (m_bus) {
        if (auto list = m_bus->consumers(); list) {
            for (const auto &c : *list) {
                if (c.consumer == QLatin1String(kChatIndexConsumer)) {
                    rooms.insert(QStringLiteral("lastId"), double(c.lastId));
                    rooms.insert(QStringLiteral("lag"), double(c.lag));
                    rooms.insert(QStringLiteral("dead"), double(c.dead));
                }
                if (c.consumer != QLatin1String(kIndexConsumer))
                    continue;
                out.insert(QStringLiteral("lastId"), double(c.lastId));
                out.insert(QStringLiteral("lag"), double(c.lag));
                out.insert(QStringLiteral("dead"), double(c.dead));
                out.insert(QStringLiteral("retrying"), double(c.retrying));
                if (m_metrics)
                    m_metrics->setLag(c.lag);
            }
        }
    }
    auto counts = m_db.read<QJsonObject>([](pqxx::nontransaction &tx) -> Result<QJsonObject> {
        QJsonObject docs;
        for (const auto &row : tx.exec("SELECT kind, count(*) FILTER (WHERE searchable), count(*), max(event_id) "
                                       "FROM search.documents GROUP BY kind ORDER BY kind")) {
            docs.insert(text(row[0]), QJsonObject{{QStringLiteral("searchable"), double(row[1].as<qint64>())},
                                                  {QStringLiteral("total"), double(row[2].as<qint64>())}});
        }
        const pqxx::result sug = tx.exec("SELECT (SELECT count(*) FROM search.suggestions WHERE pos = 0), "
                                         "(SELECT coalesce(max(event_id), 0) FROM search.documents), "
                                         "(SELECT count(*) FROM search.vocabulary), "
                                         "(SELECT count(*) FROM search.chat_messages)");
        return QJsonObject{{QStringLiteral("documents"), docs},
                           {QStringLiteral("roomMessages"), double(sug[0][3].as<qint64>())},
                           {QStringLiteral("suggestions"), double(sug[0][0].as<qint64>())},
                           {QStringLiteral("vocabulary"), double(sug[0][2].as<qint64>())},
                           {QStringLiteral("newestIndexedEventId"), double(sug[0][1].as<qint64>())}};
    });
    if (!counts)
        return tl::unexpected(counts.error());
    for (auto it = counts->begin(); it != counts->end(); ++it) {
        if (it.key() == QLatin1String("roomMessages"))
            rooms.insert(QStringLiteral("messages"), it.value());
        else
            out.insert(it.key(), it.value());
    }
    out.insert(QStringLiteral("rooms"), rooms);
    return out;
}

Result<qint64> SearchService::pruneAnalytics()
{
    qint64 total = 0;
    for (;;) {
        auto n = m_db.read<qint64>([&](pqxx::nontransaction &tx) -> Result<qint64> {
            const pqxx::result r = tx.exec_params(
                "DELETE FROM search.queries WHERE id IN (SELECT id FROM search.queries "
                "WHERE created_at < now() - $1 * interval '1 day' ORDER BY id LIMIT 5000)",
                m_config.analyticsRetentionDays);
            return qint64(r.affected_rows());
        });
        if (!n)
            return tl::unexpected(n.error());
        total += *n;
        if (*n < 5000)
            return total;
    }
}

void SearchService::refreshLag()
{
    if (!m_bus || !m_metrics)
        return;
    if (auto list = m_bus->consumers(); list) {
        for (const auto &c : *list) {
            if (c.consumer == QLatin1String(kIndexConsumer))
                m_metrics->setLag(c.lag);
        }
    }
}

} // namespace Search
