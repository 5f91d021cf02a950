// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What the chat route modules share: running a job on a worker with chat's error
/// answers (429 with Retry-After), reading the room id and body, finishing a body, and
/// the history page JSON. HTTP only; handlers' threads.

#include "chattypes.h"

#include "community/database.h"
#include "community/request.h"

namespace Chat {

/// The problem answer of an error; 429s carry Retry-After (the seconds ride in logDetail).
Community::Http::HttpResponse errorResponse(const Community::Error &e, const QString &requestId);

/// Runs `job` (returning Result<HttpResponse>) on a worker; its error becomes the problem answer.
template<typename F>
void run(Community::Db::Database &db, const Community::Http::HttpRequest &req, const Community::Http::Responder &res, F job)
{
    db.respondWith(req, res, [job = std::move(job), rid = req.requestId]() -> Community::Result<Community::Http::HttpResponse> {
        Community::Result<Community::Http::HttpResponse> r = job();
        if (!r)
            return errorResponse(r.error(), rid);
        return r;
    });
}

/// Reads the path's room id and (when `body` is given) the body; answers the error itself
/// and returns false.
bool roomAndBody(const Community::Http::HttpRequest &req, const Community::Http::Responder &res, qint64 *roomId,
                 std::optional<Community::Http::BodyReader> *body);
/// Room id and message id of the path; answers the error itself and returns false.
bool roomAndMessage(const Community::Http::HttpRequest &req, const Community::Http::Responder &res, qint64 *roomId,
                    qint64 *messageId);
/// BodyReader::finish(), answering its error; false then.
bool finished(const Community::Http::HttpRequest &req, const Community::Http::Responder &res,
              Community::Http::BodyReader &body);
/// A path parameter as an id, NotFound ("No such <what>.") otherwise.
Community::Result<qint64> idParam(const Community::Http::HttpRequest &req, const char *name, const char *what);

/// A history page: items ascending, the `before`/`after` cursors, thread unread.
Community::Http::HttpResponse messagesJson(const HistoryPage &page, bool showDeleted);

} // namespace Chat
