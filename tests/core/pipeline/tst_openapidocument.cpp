// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// OpenApi::mergeFragment / securityFor / applyRouteSecurity: how the served document is
// assembled and how each operation's security follows from its route's options.

#include "openapidocument.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Community;
using Community::Http::Access;
using Community::Http::RouteInfo;
using Community::Http::RouteOptions;

Q_DECLARE_METATYPE(Community::Http::RouteOptions)

namespace {

QJsonArray parse(const char *json)
{
    return QJsonDocument::fromJson(json).array();
}

RouteInfo route(const QByteArray &method, const QString &pattern, const RouteOptions &options)
{
    RouteInfo r;
    r.method = method;
    r.pattern = pattern;
    r.options = options;
    return r;
}

} // namespace

class TstOpenApiDocument : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void securityFromRouteOptions_data()
    {
        QTest::addColumn<RouteOptions>("options");
        QTest::addColumn<QJsonArray>("expected");

        RouteOptions operatorOnly;
        operatorOnly.operatorOnly = true;
        RouteOptions operatorOnlyAuthenticated = RouteOptions::authenticated(Role::Admin, QStringLiteral("admin"));
        operatorOnlyAuthenticated.operatorOnly = true;

        QTest::newRow("public") << RouteOptions{} << QJsonArray{};
        QTest::newRow("operator only") << operatorOnly << parse(R"([{"operatorToken": []}])");
        QTest::newRow("operator only wins over authenticated")
            << operatorOnlyAuthenticated << parse(R"([{"operatorToken": []}])");
        QTest::newRow("user, no scope")
            << RouteOptions::authenticated() << parse(R"([{"bearerAuth": []}, {"apiKey": []}])");
        QTest::newRow("user with scope")
            << RouteOptions::authenticated(Role::User, QStringLiteral("content:write"))
            << parse(R"([{"bearerAuth": []}, {"apiKey": ["content:write"]}])");
        QTest::newRow("moderator with scope: the key also needs admin")
            << RouteOptions::authenticated(Role::Moderator, QStringLiteral("search:read-stats"))
            << parse(R"([{"bearerAuth": ["moderator"]}, {"apiKey": ["search:read-stats", "admin"]}, {"operatorToken": []}])");
        QTest::newRow("admin with the admin scope: listed once")
            << RouteOptions::authenticated(Role::Admin, QStringLiteral("admin"))
            << parse(R"([{"bearerAuth": ["admin"]}, {"apiKey": ["admin"]}, {"operatorToken": []}])");
        QTest::newRow("admin without scope")
            << RouteOptions::authenticated(Role::Admin)
            << parse(R"([{"bearerAuth": ["admin"]}, {"apiKey": ["admin"]}, {"operatorToken": []}])");
    }

    void securityFromRouteOptions()
    {
        QFETCH(RouteOptions, options);
        QFETCH(QJsonArray, expected);
        const QJsonArray actual = OpenApi::securityFor(options);
        QVERIFY2(actual == expected, QJsonDocument(actual).toJson(QJsonDocument::Compact).constData());
    }

    void routeSecurityReplacesTheFragments()
    {
        QJsonObject doc = QJsonDocument::fromJson(R"({
            "paths": {
                "/v1/things/{id}": {
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "get": {"operationId": "getThing", "security": [{"operatorToken": []}], "responses": {}},
                    "put": {"operationId": "putThing", "responses": {}},
                    "delete": {"operationId": "deleteThing", "security": [], "responses": {}}
                }
            }})").object();
        const QStringList unserved = OpenApi::applyRouteSecurity(doc, {
            route("GET", QStringLiteral("/v1/things/{id}"), RouteOptions{}),
            route("PUT", QStringLiteral("/v1/things/{id}"), RouteOptions::authenticated(Role::User, QStringLiteral("things:write"))),
            route("GET", QStringLiteral("/v1/other"), RouteOptions{}),
        });
        QCOMPARE(unserved, QStringList{QStringLiteral("DELETE /v1/things/{id}")});
        const QJsonObject item = doc.value(QStringLiteral("paths")).toObject().value(QStringLiteral("/v1/things/{id}")).toObject();
        QCOMPARE(item.value(QStringLiteral("get")).toObject().value(QStringLiteral("security")).toArray(), QJsonArray{});
        QCOMPARE(item.value(QStringLiteral("put")).toObject().value(QStringLiteral("security")).toArray(),
                 parse(R"([{"bearerAuth": []}, {"apiKey": ["things:write"]}])"));
        // An operation no route serves claims nothing (the daemon test reports it).
        QVERIFY(!item.value(QStringLiteral("delete")).toObject().contains(QStringLiteral("security")));
        QVERIFY(item.value(QStringLiteral("parameters")).isArray());
        QCOMPARE(item.value(QStringLiteral("get")).toObject().value(QStringLiteral("operationId")).toString(),
                 QStringLiteral("getThing"));
    }

    void fragmentsMergePerMethodAndComponent()
    {
        QJsonObject doc = QJsonDocument::fromJson(R"({
            "paths": {"/a": {"get": {"operationId": "getA"}}},
            "components": {"schemas": {"A": {"type": "string"}}, "securitySchemes": {"operatorToken": {"type": "http", "scheme": "bearer"}}}
            })").object();
        OpenApi::mergeFragment(doc, QJsonDocument::fromJson(R"({
            "paths": {"/a": {"put": {"operationId": "putA"}}, "/b": {"get": {"operationId": "getB"}}},
            "components": {"schemas": {"B": {"type": "integer"}}}
            })").object());
        const QJsonObject paths = doc.value(QStringLiteral("paths")).toObject();
        QCOMPARE(paths.value(QStringLiteral("/a")).toObject().keys(), (QStringList{QStringLiteral("get"), QStringLiteral("put")}));
        QVERIFY(paths.contains(QStringLiteral("/b")));
        const QJsonObject comps = doc.value(QStringLiteral("components")).toObject();
        QCOMPARE(comps.value(QStringLiteral("schemas")).toObject().keys(), (QStringList{QStringLiteral("A"), QStringLiteral("B")}));
        QVERIFY(comps.value(QStringLiteral("securitySchemes")).toObject().contains(QStringLiteral("operatorToken")));
    }

    // Security is derived, never written by hand: a fragment that declares it would be
    // silently overwritten and mislead its readers.
    void noFragmentWritesSecurity()
    {
        const QString root = qEnvironmentVariable("COMMUNITY_SOURCE_DIR");
        QVERIFY2(!root.isEmpty(), "COMMUNITY_SOURCE_DIR is not set");
        QStringList files{root + QStringLiteral("/resources/openapi.json")};
        QDirIterator it(root + QStringLiteral("/backend/plugins"), {QStringLiteral("*.json")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.contains(QStringLiteral("/openapi")))
                files << path;
        }
        QVERIFY(files.size() >= 3);
        for (const QString &path : std::as_const(files)) {
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            QJsonParseError err;
            const QJsonObject doc = QJsonDocument::fromJson(f.readAll(), &err).object();
            QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(path + QStringLiteral(": ") + err.errorString()));
            QVERIFY2(!doc.contains(QStringLiteral("security")), qPrintable(path));
            const QJsonObject paths = doc.value(QStringLiteral("paths")).toObject();
            for (auto p = paths.begin(); p != paths.end(); ++p) {
                const QJsonObject item = p.value().toObject();
                for (auto op = item.begin(); op != item.end(); ++op) {
                    QVERIFY2(!op.value().toObject().contains(QStringLiteral("security")),
                             qPrintable(QStringLiteral("%1: %2 %3 declares security; the host derives it from the route")
                                            .arg(path, op.key().toUpper(), p.key())));
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TstOpenApiDocument)
#include "tst_openapidocument.moc"
