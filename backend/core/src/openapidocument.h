// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Builds the served /openapi.json: the host document, the running plugins' fragments, and
// each operation's `security` derived from the route that serves it, so the document and
// the gateway cannot disagree about who may call what. Plain functions, no state.

#include "community/router.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace Community::OpenApi {

/// Names in components.securitySchemes of the host document (resources/openapi.json).
QString bearerScheme();    ///< "bearerAuth": a user access token
QString apiKeyScheme();    ///< "apiKey": an API key (cpk_...), scopes = what the key must carry
QString operatorScheme();  ///< "operatorToken": the operator token

/// Merges a fragment ({"paths", "components"}) into `doc`: operations per method (a path
/// may be served by several fragments), components per entry (later ones win).
void mergeFragment(QJsonObject &doc, const QJsonObject &fragment);

/// The security requirements a route's options imply: operator-only → the operator token;
/// public → [] (a credential is optional); authenticated → a user token (with the role
/// above user, if any) or an API key with the route's scope (plus "admin" above user,
/// since only that scope lends a key its creator's role), and above user also the
/// operator token, which acts as an administrator.
QJsonArray securityFor(const Http::RouteOptions &options);

/// Sets `security` on every operation of `doc` from the route with the same method and
/// pattern, replacing whatever a fragment wrote. Returns "METHOD /path" of the operations
/// no route serves (they are left without `security`).
QStringList applyRouteSecurity(QJsonObject &doc, const QList<Http::RouteInfo> &routes);

} // namespace Community::OpenApi
