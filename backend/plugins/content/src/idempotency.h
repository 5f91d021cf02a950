// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Idempotency-Key handling for content's creating routes (posts, comments, communities,
/// reports): the stored response of the first request is replayed to its repeats.
/// Functions on the caller's transaction; thread-safe.

#include "community/http.h"
#include "community/result.h"

#include <pqxx/pqxx>

#include <functional>
#include <optional>

namespace Content {

struct IdempotencyKey {
    QString key;
    QString route;        ///< method + path, e.g. "POST /v1/posts/42/comments"
    QByteArray hash;      ///< SHA-256 of the request body
};

/// Reads the Idempotency-Key header: absent → nullopt; 1..255 visible ASCII characters,
/// else InvalidArgument (field "Idempotency-Key").
Community::Result<std::optional<IdempotencyKey>> idempotencyKey(const Community::Http::HttpRequest &req);

/// Runs `create` in `tx` once per (user, key): the first call stores its response (status,
/// body, Location) in the same transaction; a repeat with the same request returns the
/// stored response with its original status (201) and header Idempotent-Replayed: true; a repeat with another request body or route gets 422
/// (type idempotency-key-reused). A concurrent repeat waits for the first to commit. With
/// no key, just runs `create`. Responses that are not 2xx are not stored.
Community::Result<Community::Http::HttpResponse> idempotent(
    pqxx::work &tx, qint64 userId, const std::optional<IdempotencyKey> &key,
    const std::function<Community::Result<Community::Http::HttpResponse>()> &create);

/// Deletes keys older than `hours` (called periodically by the plugin).
Community::Result<qint64> pruneIdempotencyKeys(pqxx::work &tx, int hours);

} // namespace Content
