// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Helpers every content module shares: request parsing (strict UTF-8 JSON bodies, ids,
/// limits, cursors), field validation, JSON formatting, the author copy, Idempotency-Key
/// handling and mentions. Pure functions or functions on a caller's transaction;
/// thread-safe.

#include "contentcontext.h"

#include "community/http.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"
#include "community/result.h"

#include <pqxx/pqxx>

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <initializer_list>
#include <optional>

namespace Community::Contracts { struct UserRecord; }

namespace Content {

using Community::Error;
using Community::FieldError;
using Community::Result;

// ---- errors ------------------------------------------------------------------------

using Community::forbidden;
using Community::invalidField;
using Community::invalidFields;
using Community::notFound;
using Community::Http::sendError;

// ---- request parsing ---------------------------------------------------------------

/// The request body as a JSON object. Sends 400 (field "body", code "invalid_utf8") for
/// bytes that are not strict UTF-8, and the pipeline's 400/415 for bad JSON; returns
/// nullopt when it answered.
std::optional<QJsonObject> jsonBody(const Community::Http::HttpRequest &req,
                                    const Community::Http::Responder &res);

using Community::Http::decodeCursor;
using Community::Http::encodeCursor;
using Community::Http::parseId;
using Community::Http::parseLimit;

/// A PostgreSQL array literal of ids ("{1,2,3}") for a `$n::bigint[]` parameter.
std::string idArrayLiteral(const QList<qint64> &ids);

// ---- field validation (append to `errors`; empty = fine) ----------------------------

/// A required string: present, a JSON string, trimmed length 1..max characters (code
/// points), no control characters except \n and \t when `multiline`. Returns the trimmed text.
QString requireText(const QJsonObject &body, const QString &field, int max, bool multiline,
                    QList<FieldError> &errors);
/// Same for an optional field; `present` tells whether it was there. `allowEmpty` lets ""
/// through (e.g. a description).
QString optionalText(const QJsonObject &body, const QString &field, int max, bool multiline, bool allowEmpty,
                     bool *present, QList<FieldError> &errors);
/// Tags: an array of at most maxTags strings, each 1..tagMax of [a-z0-9-] (after lower
/// casing; Unicode letters and digits allowed too), no duplicates. Returns them lower-cased.
QStringList parseTags(const QJsonValue &value, const ContentConfig &cfg, QList<FieldError> &errors);

/// Renders markdown with the configured options; errors carry field `field`.
Result<RenderedMarkdown> renderBody(const QString &markdown, const ContentConfig &cfg,
                                    const QString &field = QStringLiteral("body"));

// ---- JSON --------------------------------------------------------------------------

using Community::Json::fromMicros;
using Community::Json::idString;
using Community::Json::iso;
using Community::Json::isoOrNull;

// ---- authors -----------------------------------------------------------------------

/// Upserts the principal's username into content.authors (on every write; takes no row
/// lock unless the name changed, so one user's concurrent writes do not queue).
void rememberAuthor(pqxx::transaction_base &tx, qint64 userId, const QString &username);

// ---- Idempotency-Key -----------------------------------------------------------------

struct IdempotencyKey {
    QString key;
    QString route;        ///< route pattern + path params, e.g. "POST /v1/posts/42/comments"
    QByteArray hash;      ///< SHA-256 of the request body
};

/// Reads the Idempotency-Key header: absent → nullopt; 1..255 visible ASCII characters,
/// else InvalidArgument (field "Idempotency-Key").
Result<std::optional<IdempotencyKey>> idempotencyKey(const Community::Http::HttpRequest &req);

/// Runs `create` in `tx` once per (user, key): the first call stores its response in the
/// same transaction; a repeat with the same request returns the stored response (with
/// header Idempotent-Replayed: true); a repeat with another request body or route gets 422
/// (type idempotency-key-reused). A concurrent repeat waits for the first to commit. With
/// no key, just runs `create`. Responses that are not 2xx are not stored.
Result<Community::Http::HttpResponse> idempotent(
    pqxx::work &tx, qint64 userId, const std::optional<IdempotencyKey> &key,
    const std::function<Result<Community::Http::HttpResponse>()> &create);

/// Deletes keys older than the configured lifetime (called periodically by the plugin).
Result<qint64> pruneIdempotencyKeys(pqxx::work &tx, int hours);

// ---- mentions ----------------------------------------------------------------------

/// Resolves @names (at most cfg.maxMentions, unknown names dropped, the author left out)
/// through the directory. Outside any transaction (the directory may use the database).
Result<QList<Community::Contracts::UserRecord>> resolveMentions(const ContentContext &ctx,
                                                                 const QStringList &names, qint64 authorId);

/// A body ready to store: its HTML and the accounts it mentions.
struct PreparedBody {
    RenderedMarkdown rendered;
    QList<Community::Contracts::UserRecord> mentioned;
};

/// Renders `markdown` and resolves its mentions (outside any transaction: CPU work and
/// directory calls must not hold a connection).
Result<PreparedBody> prepareBody(const ContentContext &ctx, const QString &markdown, qint64 authorId);

/// Of `mentioned` (the new revision's), those the previous text `oldMarkdown` did not
/// mention: only they are notified of an edit.
QList<Community::Contracts::UserRecord> newlyMentioned(const ContentContext &ctx, const QString &oldMarkdown,
                                                       const QList<Community::Contracts::UserRecord> &mentioned);

/// Publishes one content.user.mentioned event per mentioned user, in `tx`.
/// `source` describes where: {"targetType": "post"|"comment", "postId", "commentId"?, ...}.
Result<void> publishMentions(pqxx::transaction_base &tx, const ContentContext &ctx,
                             const QList<Community::Contracts::UserRecord> &users, const QJsonObject &source);

} // namespace Content
