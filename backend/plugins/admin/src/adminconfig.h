// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// plugins.admin: the admin plugin's typed configuration (unknown keys refused).

#include "community/result.h"

#include <QJsonObject>

namespace Admin {

struct AdminConfig {
    int claimMinutes = 10;            ///< an opened item stays claimed this long
    int penaltySweepMs = 30'000;      ///< how often expired penalties are looked for
    int defaultPageSize = 25;
    int maxPageSize = 100;
    int undoMinutes = 10;             ///< a decision can be undone this long (ADR 0036)
};

Community::Result<AdminConfig> readAdminConfig(const QJsonObject &object, const QString &path);

} // namespace Admin
