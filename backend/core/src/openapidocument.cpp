// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "openapidocument.h"

#include "community/principal.h"

#include <QHash>

namespace Community::OpenApi {

using Http::Access;
using Http::RouteInfo;
using Http::RouteOptions;

QString bearerScheme() { return QStringLiteral("bearerAuth"); }
QString apiKeyScheme() { return QStringLiteral("apiKey"); }
QString operatorScheme() { return QStringLiteral("operatorToken"); }

void mergeFragment(QJsonObject &doc, const QJsonObject &fragment)
{
    QJsonObject paths = doc.value(QStringLiteral("paths")).toObject();
    const QJsonObject fpaths = fragment.value(QStringLiteral("paths")).toObject();
    for (auto it = fpaths.begin(); it != fpaths.end(); ++it) {
        QJsonObject item = paths.value(it.key()).toObject();
        const QJsonObject add = it.value().toObject();
        for (auto op = add.begin(); op != add.end(); ++op)
            item.insert(op.key(), op.value());
        paths.insert(it.key(), item);
    }
    doc.insert(QStringLiteral("paths"), paths);
    QJsonObject comps = doc.value(QStringLiteral("components")).toObject();
    const QJsonObject fcomps = fragment.value(QStringLiteral("components")).toObject();
    for (auto section = fcomps.begin(); section != fcomps.end(); ++section) {
        QJsonObject target = comps.value(section.key()).toObject();
        const QJsonObject src = section.value().toObject();
        for (auto it = src.begin(); it != src.end(); ++it)
            target.insert(it.key(), it.value());
        comps.insert(section.key(), target);
    }
    doc.insert(QStringLiteral("components"), comps);
}

QJsonArray securityFor(const RouteOptions &options)
{
    const auto requirement = [](const QString &scheme, const QJsonArray &scopes = {}) {
        return QJsonObject{{scheme, scopes}};
    };
    if (options.operatorOnly)
        return {requirement(operatorScheme())};
    if (options.access == Access::Public)
        return {};

    const bool elevated = options.minRole != Role::User;
    // OpenAPI 3.1 lets non-OAuth schemes list role names: the role a user token needs.
    QJsonArray userRoles;
    if (elevated)
        userRoles.append(roleName(options.minRole));
    QJsonArray keyScopes;
    if (!options.scope.isEmpty())
        keyScopes.append(options.scope);
    // A key acts with its creator's role only when it carries the admin scope; without
    // it the key is a plain user, whatever its other scopes.
    const QString admin = QStringLiteral("admin");
    if (elevated && options.scope != admin)
        keyScopes.append(admin);

    QJsonArray alternatives{requirement(bearerScheme(), userRoles), requirement(apiKeyScheme(), keyScopes)};
    // The operator token passes every route as an administrator; listed where a role above
    // user is needed, which is where communityctl uses it.
    if (elevated)
        alternatives.append(requirement(operatorScheme()));
    return alternatives;
}

QStringList applyRouteSecurity(QJsonObject &doc, const QList<RouteInfo> &routes)
{
    QHash<QString, const RouteOptions *> byOperation;
    for (const RouteInfo &r : routes)
        byOperation.insert(QString::fromLatin1(r.method).toLower() + QLatin1Char(' ') + r.pattern, &r.options);

    static const QStringList methods{QStringLiteral("get"), QStringLiteral("put"), QStringLiteral("post"),
                                     QStringLiteral("delete"), QStringLiteral("options"), QStringLiteral("head"),
                                     QStringLiteral("patch"), QStringLiteral("trace")};
    QStringList unserved;
    QJsonObject paths = doc.value(QStringLiteral("paths")).toObject();
    for (auto p = paths.begin(); p != paths.end(); ++p) {
        QJsonObject item = p.value().toObject();
        for (auto op = item.begin(); op != item.end(); ++op) {
            if (!methods.contains(op.key()))
                continue;  // path-level parameters, summary, servers
            QJsonObject operation = op.value().toObject();
            const RouteOptions *options = byOperation.value(op.key() + QLatin1Char(' ') + p.key());
            if (options) {
                operation.insert(QStringLiteral("security"), securityFor(*options));
            } else {
                operation.remove(QStringLiteral("security"));
                unserved.append(op.key().toUpper() + QLatin1Char(' ') + p.key());
            }
            op.value() = operation;
        }
        p.value() = item;
    }
    doc.insert(QStringLiteral("paths"), paths);
    return unserved;
}

} // namespace Community::OpenApi
