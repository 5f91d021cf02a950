// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "adminconfig.h"

#include "community/config.h"

namespace Admin {

Community::Result<AdminConfig> readAdminConfig(const QJsonObject &object, const QString &path)
{
    Community::ConfigReader r(object, path);
    AdminConfig c;
    c.claimMinutes = int(r.integer(QStringLiteral("claimMinutes"), c.claimMinutes, 1, 24 * 60));
    c.penaltySweepMs = int(r.integer(QStringLiteral("penaltySweepMs"), c.penaltySweepMs, 100, 3'600'000));
    c.defaultPageSize = int(r.integer(QStringLiteral("defaultPageSize"), c.defaultPageSize, 1, 500));
    c.maxPageSize = int(r.integer(QStringLiteral("maxPageSize"), c.maxPageSize, 1, 500));
    if (auto f = r.finish(); !f)
        return tl::unexpected(f.error());
    return c;
}

} // namespace Admin
