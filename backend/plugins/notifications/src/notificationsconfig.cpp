// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "notificationsconfig.h"

#include "community/config.h"

namespace Notifications {

Community::Result<NotificationsConfig> readNotificationsConfig(const QJsonObject &object, const QString &path)
{
    Community::ConfigReader r(object, path);
    NotificationsConfig c;
    c.defaultPageSize = int(r.integer(QStringLiteral("defaultPageSize"), c.defaultPageSize, 1, 1000));
    c.maxPageSize = int(r.integer(QStringLiteral("maxPageSize"), c.maxPageSize, 1, 1000));
    c.shownActors = int(r.integer(QStringLiteral("shownActors"), c.shownActors, 1, 10));
    if (auto f = r.finish(); !f)
        return tl::unexpected(f.error());
    return c;
}

} // namespace Notifications
