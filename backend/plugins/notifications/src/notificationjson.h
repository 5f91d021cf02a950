// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The JSON form of a notification, the same in the REST answers and in the live frames
/// on `user:<id>` (docs/notifications.md). Pure.

#include "notificationsrepository.h"

#include <QJsonObject>

namespace Notifications {

QJsonObject notificationJson(const Notification &n);
/// {"total": N, "byKind": {"reply": 2, ...}} with every kind present.
QJsonObject unreadJson(const QHash<QString, qint64> &byKind);

} // namespace Notifications
