// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The notifications plugin's configuration ("plugins.notifications"), read once in
/// initialize(); unknown keys are refused.

#include "community/result.h"

#include <QJsonObject>
#include <QString>

namespace Notifications {

struct NotificationsConfig {
    int defaultPageSize = 20;
    int maxPageSize = 100;
    int shownActors = 3;            ///< newest actors named on a collapsed row
};

Community::Result<NotificationsConfig> readNotificationsConfig(const QJsonObject &object, const QString &path);

} // namespace Notifications
