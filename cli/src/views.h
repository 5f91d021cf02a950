// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Table views of communityd's system API answers. Pure functions from JSON to text so
/// that they can be tested without a server. Missing fields render as "-".

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace Community::Ctl {

/// A JSON value as a table cell: strings as-is, numbers without ".0", booleans as yes/no,
/// null/missing/empty as "-".
QString cellText(const QJsonValue &value);

/// What `status` gathered: /healthz, /readyz (200 or 503 problem) and /v1/system/info.
struct StatusSnapshot
{
    QString server;
    QJsonObject health;
    bool ready = false;
    QJsonObject readiness;
    QJsonObject info;
};

QString renderStatus(const StatusSnapshot &snapshot);
/// The `-o json` form of status: {"server","health","readiness","info"}.
QJsonObject statusJson(const StatusSnapshot &snapshot);

/// "auth>=1.0.0, search>=0.2.0 (optional)", or "-" when there are none.
QString formatDependencies(const QJsonArray &dependencies);
QString renderPlugins(const QJsonArray &plugins);
QString renderMigrations(const QJsonArray &migrations);
/// POST /v1/system/migrations result: what was (or would be) applied, or "nothing to apply".
QString renderMigrateUp(const QJsonObject &result);

} // namespace Community::Ctl
