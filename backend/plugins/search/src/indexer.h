// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The search projection: turns content and users events into rows of search.documents
/// and search.suggestions (docs/search.md). Idempotent and order-safe: each document
/// remembers the id of the newest event applied to it (and the content revision), and an
/// event that is not newer is ignored, so at-least-once redelivery, a replay and a
/// retried dead letter arriving late all leave the same index. Deleted, removed or
/// suspended things stay as tombstones with their text cleared.
///
/// prepare() does the CPU work (text analysis) without a connection; apply() runs the
/// SQL inside the caller's transaction. handle() does both for the bus consumer.
/// Threading: stateless apart from the database; safe from any thread.

#include "community/contracts/events/content.h"
#include "community/eventbus.h"
#include "community/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace pqxx { class transaction_base; }
namespace Community::Db { class Database; }

namespace Search {

class SearchMetrics;

inline constexpr const char *kIndexConsumer = "search.index";

/// A document ready to be written: its fields and the analysis of its text.
struct DocumentInput {
    QString kind;                   ///< post, comment, community, user
    qint64 refId = 0;
    std::optional<qint64> postId;
    std::optional<qint64> communityId;
    QString communitySlug;
    std::optional<qint64> authorId;
    QString authorName;
    QStringList tags;
    QString title;
    QString body;                   ///< plain text
    QString state = QStringLiteral("visible");
    int score = 0;
    int revision = 0;
    QDateTime createdAt;
    // Analysis (space-separated tokens) for search.doc_vector().
    QString latinTitle, stemsTitle, gramsTitle, latinTags, stemsTags, latinBody, stemsBody, gramsBody;
    // Autocomplete entry (kind title/community/user; empty term = none).
    QString suggestKind, suggestTerm, suggestDetail;
    QStringList suggestAliases;
    double suggestWeight = 1;
};

struct PreparedEvent {
    enum class Op { Ignore, Upsert, Vote, DeleteUser };
    Op op = Op::Ignore;
    qint64 eventId = 0;
    QDateTime publishedAt;
    DocumentInput doc;
    // Vote
    QString voteKind;               ///< post or comment
    qint64 voteTarget = 0;
    int voteScore = 0;
};

class Indexer {
public:
    /// `metrics` may be null.
    Indexer(Community::Db::Database &db, SearchMetrics *metrics = nullptr);

    /// The event types the consumer subscribes to.
    static QStringList eventTypes();

    /// Parses and analyses an event (no I/O). An event of an unknown type or with a bad
    /// payload is Op::Ignore (logged by handle()).
    static PreparedEvent prepare(const Community::Events::Event &event);
    /// Applies a prepared event in the caller's transaction. Returns false when the index
    /// already had this event or a newer one for the document.
    static bool apply(pqxx::transaction_base &tx, const PreparedEvent &event);
    /// The analysed document for a post payload (also used by the bench seeder).
    static DocumentInput postDocument(const Community::Contracts::Events::Content::PostChanged &post);

    /// The consumer's handler: prepare, then apply in a transaction of its own.
    Community::Result<void> handle(const Community::Events::Event &event);

    /// Empties documents, suggestions and vocabulary (the first half of a reindex).
    static void truncate(pqxx::transaction_base &tx);

private:
    Community::Db::Database &m_db;
    SearchMetrics *m_metrics;
};

} // namespace Search
