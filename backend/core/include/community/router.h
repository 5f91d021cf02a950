// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Method + path router and the route table every plugin declares. Patterns use OpenAPI
/// syntax: /v1/users/{name}. Literal segments win over parameters. A plugin (or one of
/// its route modules) returns a QList<Route> — method, pattern, options, handler — and
/// the plugin shell adds the table with addRoutes(); the options are what the gateway
/// enforces and what /openapi.json derives each operation's security from.
/// Threading: routes are added during plugin initialisation on the main thread; match()
/// is then read-only and safe from any thread.

#include "community/http.h"
#include "community/principal.h"

#include <QByteArrayList>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>

namespace Community::Http {

/// Who may call a route; checked in one place, the gateway pipeline.
enum class Access {
    Public,          ///< anyone; a valid credential still yields a principal, a bad one is 401
    Authenticated,   ///< a user token or an API key (with `scope`), else 401
};

struct RouteOptions {
    qint64 maxBodyBytes = -1;     ///< per-route body limit below the server's; -1 = server limit
    bool operatorOnly = false;    ///< requires the operator token
    /// For operatorOnly routes: clients in these networks pass without the token (e.g. a
    /// Prometheus server on a private network). Empty: the token is always needed.
    QList<Subnet> tokenlessNetworks;
    Access access = Access::Public;
    Role minRole = Role::User;    ///< for Authenticated routes: 403 below this role
    QString scope;                ///< API keys must carry this scope (403 otherwise); users pass by role
    QString rateClass = QStringLiteral("default"); ///< rate-limit class (gateway.rateLimits.<class>)
    bool allowPendingPasswordChange = false; ///< reachable while the password must be changed
    QString owner;                ///< plugin id or "core"
    /// Accepted request body media types (415 otherwise) for requests with a body.
    QByteArrayList contentTypes = {QByteArrayLiteral("application/json")};
    /// The body is streamed to a temporary file as it arrives (HttpRequest::spooled) instead
    /// of being held in memory; the limit (maxBodyBytes, which may exceed the server's) is
    /// enforced while reading. See docs/adr/0011.
    bool streamBody = false;
    /// For streamBody routes: a tighter limit for this request, decided from its head
    /// (query, headers) before the body is read; -1 (or unset) keeps maxBodyBytes.
    /// Runs on the connection's thread; must be cheap and thread-safe.
    std::function<qint64(const HttpRequest &)> streamLimit;
    /// Headers every answer on this route carries unless the answer sets them itself,
    /// including the refusals given before the handler runs (401, 403, 413, 415, 429, 503
    /// and the HTTP layer's own 408/413): e.g. tus's Tus-Resumable.
    QList<std::pair<QByteArray, QByteArray>> responseHeaders;

    static RouteOptions authenticated(Role minRole = Role::User, const QString &scope = {})
    {
        RouteOptions o;
        o.access = Access::Authenticated;
        o.minRole = minRole;
        o.scope = scope;
        return o;
    }
    /// Requires the operator token (communityctl's credential).
    static RouteOptions operatorOnlyRoute()
    {
        RouteOptions o;
        o.operatorOnly = true;
        o.rateClass = QStringLiteral("system");
        return o;
    }

    RouteOptions &withBodyLimit(qint64 bytes) { maxBodyBytes = bytes; return *this; }
    RouteOptions &withRateClass(const QString &name) { rateClass = name; return *this; }
    RouteOptions &withContentTypes(QByteArrayList types) { contentTypes = std::move(types); return *this; }
    /// Streams the body to a temporary file, up to `maxBytes` (see streamBody).
    RouteOptions &withStreamedBody(qint64 maxBytes)
    {
        streamBody = true;
        maxBodyBytes = maxBytes;
        return *this;
    }
    RouteOptions &withResponseHeader(const QByteArray &name, const QByteArray &value)
    {
        responseHeaders.append({name, value});
        return *this;
    }
    RouteOptions &duringPasswordChange() { allowPendingPasswordChange = true; return *this; }
};

/// A handler that calls `object->*method(request, responder)`; for route tables of a
/// class with one member function per route. `object` must outlive the router's use.
template<typename T>
Handler memberHandler(T *object, void (T::*method)(HttpRequest &, const Responder &))
{
    return [object, method](HttpRequest &req, const Responder &res) { (object->*method)(req, res); };
}

/// One row of a route table.
struct Route {
    QByteArray method;            ///< GET, POST, PUT, PATCH, DELETE
    QString pattern;              ///< /v1/posts/{id}
    RouteOptions options;
    Handler handler;
};

struct RouteInfo {
    QByteArray method;
    QString pattern;
    QByteArray patternUtf8;       ///< the pattern as bytes, for logs and metric labels
    RouteOptions options;
};

class Router {
public:
    Router();
    ~Router();

    /// Adds a route. Returns an error for a duplicate method+pattern or a bad pattern.
    Result<void> add(const QByteArray &method, const QString &pattern, Handler handler,
                     RouteOptions options = {});

    enum class MatchKind { Found, NotFound, MethodNotAllowed };
    struct Match {
        MatchKind kind = MatchKind::NotFound;
        const Handler *handler = nullptr;
        const RouteInfo *route = nullptr;
        QHash<QString, QString> params;
        QByteArrayList allowed;   ///< for 405 (and HEAD/OPTIONS answers)
    };
    Match match(const QByteArray &method, const QString &path) const;

    QList<RouteInfo> routes() const;
    int routeCount() const { return int(m_routes.size()); }
    /// Marks routes [from, end) as owned by `owner` where they name no owner (the host
    /// tags what each plugin registered during its initialize()).
    void tagOwner(int from, const QString &owner);

    /// Adds every route of a table; the first failure (duplicate, bad pattern) is returned
    /// naming the route, and the routes before it stay added (startup fails anyway).
    Result<void> add(const QList<Route> &routes);

private:
    struct Node;
    std::unique_ptr<Node> m_root;
    QList<RouteInfo> m_routes;
};

} // namespace Community::Http
