// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "adminconfig.h"

#include "community/config.h"

namespace Admin {

Community::Result<AdminConfig> readAdminConfig(const QJsonObject &object, const QString &path)
{
    Community::ConfigReader r(object, path);
    AdminConfig c;
    c.claimMinutes = int(r.integer(QStringLiteral("claimMinutes"), c.claimMinutes, 1, 24 * 60,
                                   QStringLiteral("Minutes an opened review-queue item stays claimed by its moderator")));
    c.penaltySweepMs = int(r.integer(QStringLiteral("penaltySweepMs"), c.penaltySweepMs, 100, 3'600'000,
                                     QStringLiteral("How often expired silences and suspensions are looked for (ms)")));
    c.defaultPageSize = int(r.integer(QStringLiteral("defaultPageSize"), c.defaultPageSize, 1, 500,
                                      QStringLiteral("Review-queue items per page when the client names no limit")));
    c.maxPageSize = int(r.integer(QStringLiteral("maxPageSize"), c.maxPageSize, 1, 500,
                                  QStringLiteral("Largest review-queue page a client may ask for")));
    c.undoMinutes = int(r.integer(QStringLiteral("undoMinutes"), c.undoMinutes, 1, 24 * 60,
                                  QStringLiteral("Minutes during which a review-queue decision can be undone by its "
                                                 "moderator or an administrator")));
    if (auto f = r.finish(); !f)
        return tl::unexpected(f.error());
    return c;
}

} // namespace Admin
