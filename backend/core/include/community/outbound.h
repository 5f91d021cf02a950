// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Outbound calls (SMTP, web push, SMS, S3) as the fault layer sees them: a plugin calls
/// beforeCall() right before it talks to an outside service, and returns its error as the
/// call's outcome when there is one. With no fault active (the normal case) it is one
/// atomic load. See docs/chaos.md (`outbound.*`) and docs/adr/0023.
///
/// Threading: any thread; it blocks (sleeps) for injected latency and timeouts, so call it
/// where the outbound call itself would block (delivery workers), never on an event loop.

#include "community/result.h"

#include <QString>

namespace Community::Outbound {

/// `plugin` is the caller's id, `service` the outside service ("smtp", "push", "sms",
/// "s3"; a fault's `selector.route` names it), `subject` the recipient or user (for the
/// percent-of-users selector). Errors: Unavailable ("timed out" after the injected wait,
/// or an injected failure) — what a real transient failure of the service returns, so the
/// caller's retry policy is what runs.
Result<void> beforeCall(const QString &plugin, const QString &service, const QString &subject = {});

} // namespace Community::Outbound
