// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/router.h"

#include <QUrl>

#include <map>

namespace Community::Http {

// A segment trie: literal children first, then one parameter child. Lookups cost one
// hash probe per path segment, whatever the number of routes.
struct Router::Node {
    QHash<QString, Node *> literals;
    Node *param = nullptr;
    QString paramName;
    // method -> (handler, index into m_routes)
    std::map<QByteArray, std::pair<Handler, int>> handlers;

    ~Node()
    {
        qDeleteAll(literals);
        delete param;
    }
};

Router::Router()
    : m_root(std::make_unique<Node>())
{
}

Router::~Router() = default;

Result<void> Router::add(const QByteArray &method, const QString &pattern, Handler handler,
                         RouteOptions options)
{
    if (!pattern.startsWith(QLatin1Char('/')))
        return fail(ErrorCode::Config, QStringLiteral("route %1 %2: pattern must start with /")
                                           .arg(QString::fromLatin1(method), pattern));
    Node *node = m_root.get();
    const QStringList segments = pattern.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &seg : segments) {
        if (seg.startsWith(QLatin1Char('{')) && seg.endsWith(QLatin1Char('}'))) {
            const QString name = seg.mid(1, seg.size() - 2);
            if (name.isEmpty())
                return fail(ErrorCode::Config, QStringLiteral("route %1: empty parameter name").arg(pattern));
            if (!node->param) {
                node->param = new Node;
                node->param->paramName = name;
            } else if (node->param->paramName != name) {
                return fail(ErrorCode::Config,
                            QStringLiteral("route %1: parameter {%2} clashes with {%3} at the same position")
                                .arg(pattern, name, node->param->paramName));
            }
            node = node->param;
        } else {
            Node *&child = node->literals[seg];
            if (!child)
                child = new Node;
            node = child;
        }
    }
    if (node->handlers.count(method))
        return fail(ErrorCode::Config, QStringLiteral("route %1 %2 is registered twice")
                                           .arg(QString::fromLatin1(method), pattern));
    m_routes.append(RouteInfo{method, pattern, pattern.toUtf8(), std::move(options)});
    node->handlers.emplace(method, std::make_pair(std::move(handler), int(m_routes.size() - 1)));
    return {};
}

Result<void> Router::add(const QList<Route> &routes)
{
    for (const Route &r : routes) {
        if (auto added = add(r.method, r.pattern, r.handler, r.options); !added)
            return added;
    }
    return {};
}

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    Match m;
    const Node *node = m_root.get();
    QHash<QString, QString> params;
    // Split by hand: QString::split allocates a list we do not need.
    qsizetype pos = 0;
    const qsizetype n = path.size();
    while (pos < n && node) {
        while (pos < n && path.at(pos) == QLatin1Char('/'))
            ++pos;
        if (pos >= n)
            break;
        qsizetype end = path.indexOf(QLatin1Char('/'), pos);
        if (end < 0)
            end = n;
        const QStringView seg = QStringView(path).mid(pos, end - pos);
        auto it = node->literals.constFind(seg.toString());
        if (it != node->literals.constEnd()) {
            node = it.value();
        } else if (node->param) {
            params.insert(node->param->paramName, seg.toString());
            node = node->param;
        } else {
            node = nullptr;
        }
        pos = end;
    }
    if (!node || node->handlers.empty())
        return m;
    auto h = node->handlers.find(method);
    if (h == node->handlers.end() && method == "HEAD")
        h = node->handlers.find(QByteArrayLiteral("GET"));
    if (h == node->handlers.end()) {
        m.kind = MatchKind::MethodNotAllowed;
        for (const auto &[meth, _] : node->handlers)
            m.allowed.append(meth);
        if (node->handlers.count("GET") && !m.allowed.contains("HEAD"))
            m.allowed.append("HEAD");
        return m;
    }
    m.kind = MatchKind::Found;
    m.handler = &h->second.first;
    m.route = &m_routes.at(h->second.second);
    m.params = std::move(params);
    return m;
}

void Router::tagOwner(int from, const QString &owner)
{
    for (int i = from; i < m_routes.size(); ++i) {
        if (m_routes[i].options.owner.isEmpty())
            m_routes[i].options.owner = owner;
    }
}

QList<RouteInfo> Router::routes() const
{
    return m_routes;
}

} // namespace Community::Http
