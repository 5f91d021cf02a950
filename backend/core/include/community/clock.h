// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The platform's notion of "now" for time-dependent rules (token and session expiry,
/// penalty expiry): the wall clock plus the offset of an active `clock.offset` fault whose
/// selector matches the plugin (chaos; zero otherwise). Use it where a rule compares
/// against the current time, and pass it into SQL instead of now() on those paths.
///
/// Threading: any thread; one atomic load when no fault is active.

#include <QDateTime>
#include <QString>

namespace Community::Clock {

/// The injected offset for `plugin` in milliseconds (0 without a clock fault).
qint64 offsetMs(const QString &plugin);
/// QDateTime::currentDateTimeUtc() plus offsetMs(plugin).
QDateTime nowUtc(const QString &plugin);
/// Milliseconds since the epoch, offset likewise.
qint64 nowMs(const QString &plugin);

} // namespace Community::Clock
