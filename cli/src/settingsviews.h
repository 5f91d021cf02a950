// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Table views of the runtime settings API (/v1/admin/settings): pure functions from the
/// server's JSON to text.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace Community::Ctl {

/// A setting's value as one cell: scalars as cellText(), lists comma-separated, secrets
/// as set/unset.
QString settingValueText(const QJsonObject &setting, const char *field);
/// KEY VALUE SOURCE APPLIES: one line per key; APPLIES is "live", "restart" or
/// "pending restart" (value stored, not in force yet) and "read-only" when it cannot change.
QString renderSettings(const QJsonArray &settings);
/// Every field of one key, with the reason it is read-only.
QString renderSetting(const QJsonObject &setting);
/// KEY DEFAULT VALUE SOURCE.
QString renderSettingsDiff(const QJsonArray &changes);

} // namespace Community::Ctl
