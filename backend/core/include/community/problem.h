// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// RFC 9457 problem+json responses. Every error the daemon sends goes through here so
/// that `type` values stay stable: https://community.example/problems/<slug>.

#include "community/http.h"
#include "community/result.h"

namespace Community::Http {

/// Stable problem type URI for a slug, e.g. "not-found".
QString problemType(const QString &slug);

/// A problem+json response. `instance` defaults to the request id when one is known.
HttpResponse problem(int status, const QString &slug, const QString &title,
                     const QString &detail = {}, const QList<FieldError> &fields = {},
                     const QString &requestId = {});

/// Maps an Error to its status and problem type. Internal errors never leak their
/// logDetail; the caller logs it.
HttpResponse problemFromError(const Error &error, const QString &requestId = {});

/// Answers the request with problemFromError(error, request id).
void sendError(const HttpRequest &request, const Responder &responder, const Error &error);

/// HTTP status for an error code.
int statusForError(ErrorCode code);

} // namespace Community::Http
