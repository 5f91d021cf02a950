// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Table views of the auth plugin's admin API (users, API keys, outbox) and the plans
/// that destructive commands show before they act (--dry-run, confirmation). Pure
/// functions from JSON to text; missing fields render as "-".

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace Community::Ctl {

/// One user (key/value block): id, username, email, role, state, ...
QString renderUser(const QJsonObject &user);
/// Users as a table (ID USERNAME EMAIL ROLE STATE VERIFIED CREATED), or "no users".
QString renderUsers(const QJsonArray &users);
/// API keys as a table (ID NAME SCOPES CREATED BY CREATED LAST USED REVOKED), or "no API keys".
QString renderApiKeys(const QJsonArray &keys);
/// A just-created API key, including the secret (key/value block).
QString renderCreatedKey(const QJsonObject &key);
/// Outbox events (ID TYPE CREATED USER EMAIL TOKEN EXPIRES), or "no events".
QString renderOutbox(const QJsonArray &items);

/// What a destructive command is about to do, built from the current state (a GET).
struct Plan
{
    QString action;      ///< "set-role", "suspend", ... as on the command line
    QString description; ///< "set role of alice: user -> admin"
    QJsonObject current; ///< the object as the server returned it
    QJsonObject change;  ///< what changes, e.g. {"role":{"from":"user","to":"admin"}}
};

Plan planSetRole(const QJsonObject &user, const QString &role);
Plan planSuspend(const QJsonObject &user, const QString &reason);
Plan planUnsuspend(const QJsonObject &user);
Plan planResetPassword(const QJsonObject &user);
Plan planDisableTwoFactor(const QJsonObject &user);
Plan planRevokeKey(const QJsonObject &key);

/// "would <description> (dry run, nothing changed)" or "about to <description>", one line
/// each plus notes (e.g. "no change: the role is already admin").
QString renderPlan(const Plan &plan, bool dryRun);
/// The `-o json` form: {"dryRun", "action", "current", "change"}.
QJsonObject planJson(const Plan &plan, bool dryRun);

} // namespace Community::Ctl
