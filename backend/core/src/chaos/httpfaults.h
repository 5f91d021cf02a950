// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// The pipeline's fault step (the HTTP injection point of community/host/faults.h). It runs
// after routing, limits and authentication, right before the handler, on the connection's
// event-loop thread.

#include "community/http.h"

namespace Community::Chaos {

class FaultRegistry;

/// Applies the HTTP faults that match this request. Returns true when the request has been
/// answered here (abort): the handler must not run. Otherwise `responder` may have been
/// replaced by one that holds (delay) the handler's response or marks it for the
/// connection to pace (throttle), cut with a reset (reset) or cut short (truncate).
bool applyHttpFaults(FaultRegistry &registry, const Http::HttpRequest &request, const QString &owner,
                     Http::Responder &responder);

} // namespace Community::Chaos
