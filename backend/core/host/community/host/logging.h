// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Structured logs: every qDebug/qInfo/qWarning/qCritical becomes one JSON line on
/// stderr ({"ts","level","category","msg"}). Access-log lines are written by the HTTP
/// pipeline on their own (stdout by default). Threading: safe from any thread.

#include <QString>

namespace Community {

enum class LogFormat { Json, Text };

/// Installs the process-wide Qt message handler. Call once, early in main().
void installLogHandler(LogFormat format);

} // namespace Community
