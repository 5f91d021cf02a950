// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The request a worker thread is serving: its id and who made it. Database::respond,
/// respondRead and respondWith set it for the duration of the job, so that code deep in a
/// service (the event bus's publish(), an audit record) can name the request and the
/// actor without every signature carrying them. Null on threads that serve no request
/// (event consumers, timers). Thread-local: nothing is shared between threads.

#include "community/principal.h"

#include <QString>

namespace Community {

struct RequestContext {
    QString requestId;
    Principal principal;
};

/// The request the calling thread is serving, or null.
const RequestContext *currentRequest();

/// Makes `context` current on this thread until the scope ends (scopes nest).
class RequestScope {
public:
    explicit RequestScope(const RequestContext &context);
    ~RequestScope();
    RequestScope(const RequestScope &) = delete;
    RequestScope &operator=(const RequestScope &) = delete;

private:
    const RequestContext *m_previous;
};

} // namespace Community
