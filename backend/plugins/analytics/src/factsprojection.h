// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Server facts from the event bus: which typed events analytics consumes and what each
/// one becomes — a stored fact (signup, post, comment, vote, report_opened,
/// report_resolved, mod_action) keyed by its bus id so that redelivery and replay count it
/// once, plus what it changes besides (a signup for cohorts, a report's lifecycle, an
/// account deleted). Pure; safe on any thread.

#include "rawevent.h"

#include "community/eventbus.h"

#include <QStringList>

#include <optional>

namespace Analytics {

struct Fact {
    enum class Kind { Ignore, Event, Signup, ReportOpened, ReportResolved, AccountDeleted };
    Kind kind = Kind::Ignore;
    RawEvent event;           ///< the fact to store (all kinds but Ignore and AccountDeleted)
    qint64 subjectId = 0;     ///< user (signup, deleted) or report id
    QString resolution;       ///< ReportResolved
};

/// The bus types the projection subscribes to.
QStringList factEventTypes();

/// What `event` means for analytics (Ignore for a malformed payload).
Fact factOf(const Community::Events::Event &event);

} // namespace Analytics
