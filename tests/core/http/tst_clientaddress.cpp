// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
//
// Issue 10: who a request counts as. Per-address limits group IPv6 clients by /64, and a
// request through a trusted reverse proxy counts as the client its X-Forwarded-For names;
// a header from anyone else is ignored.
#include "community/host/httpserver.h"
#include "rawclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>
#include <tuple>

using namespace Community::Http;
using namespace Community::Http::Test;

namespace {

constexpr quint32 kOther = 0x7f000002;   // 127.0.0.2, not a proxy

QByteArray get(const QByteArray &extra = {})
{
    return "GET /who HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

QJsonObject who(const std::optional<Response> &r)
{
    return r ? QJsonDocument::fromJson(r->body).object() : QJsonObject{};
}

} // namespace

class TestClientAddress : public QObject {
    Q_OBJECT
private slots:
    void addressGroups_data();
    void addressGroups();
    void forwardedClient_data();
    void forwardedClient();
    void serverBelievesTrustedProxiesOnly();
};

void TestClientAddress::addressGroups_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("group");
    QTest::newRow("ipv4") << "192.0.2.7" << "192.0.2.7";
    QTest::newRow("ipv4-mapped") << "::ffff:192.0.2.7" << "192.0.2.7";
    QTest::newRow("ipv6 host") << "2001:db8:1:2:aaaa:bbbb:cccc:dddd" << "2001:db8:1:2::/64";
    QTest::newRow("ipv6 same /64") << "2001:db8:1:2::1" << "2001:db8:1:2::/64";
    QTest::newRow("ipv6 next /64") << "2001:db8:1:3::1" << "2001:db8:1:3::/64";
    QTest::newRow("loopback") << "::1" << "::/64";
}

void TestClientAddress::addressGroups()
{
    QFETCH(QString, address);
    QFETCH(QString, group);
    QCOMPARE(addressGroup(QHostAddress(address)), group);
}

void TestClientAddress::forwardedClient_data()
{
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<QString>("client");
    QTest::newRow("no header") << QByteArrayList{} << "127.0.0.1";
    QTest::newRow("one client") << QByteArrayList{"203.0.113.9"} << "203.0.113.9";
    // Whatever the client put on the left is not believed: the proxy appended the right end.
    QTest::newRow("spoofed left") << QByteArrayList{"198.51.100.1, 203.0.113.9"} << "203.0.113.9";
    QTest::newRow("inner proxy") << QByteArrayList{"203.0.113.9, 10.1.2.3"} << "203.0.113.9";
    QTest::newRow("two lines") << QByteArrayList{"198.51.100.1", "203.0.113.9 , 10.0.0.5"} << "203.0.113.9";
    QTest::newRow("garbage left") << QByteArrayList{"unknown, 203.0.113.9"} << "203.0.113.9";
    QTest::newRow("garbage right") << QByteArrayList{"203.0.113.9, _hidden"} << "127.0.0.1";
    QTest::newRow("garbage behind inner") << QByteArrayList{"203.0.113.9, nope, 10.0.0.5"} << "10.0.0.5";
    QTest::newRow("ipv4 port") << QByteArrayList{"203.0.113.9:4711"} << "203.0.113.9";
    QTest::newRow("ipv6 brackets") << QByteArrayList{"[2001:db8::1]:4711"} << "2001:db8::1";
    QTest::newRow("ipv6 bare") << QByteArrayList{"2001:db8::1"} << "2001:db8::1";
    QTest::newRow("mapped") << QByteArrayList{"::ffff:203.0.113.9"} << "203.0.113.9";
    QTest::newRow("all trusted") << QByteArrayList{"10.0.0.1, 10.0.0.2"} << "10.0.0.1";
    QTest::newRow("empty entry") << QByteArrayList{"203.0.113.9,"} << "127.0.0.1";
}

void TestClientAddress::forwardedClient()
{
    QFETCH(QByteArrayList, headers);
    QFETCH(QString, client);
    HttpRequest r;
    r.headers.append(qMakePair(QByteArray("x-forwarded-host"), QByteArray("example")));
    for (const QByteArray &h : headers)
        r.headers.append(qMakePair(QByteArray("x-forwarded-for"), h));
    const QList<Subnet> trusted{QHostAddress::parseSubnet(QStringLiteral("127.0.0.1/32")),
                                QHostAddress::parseSubnet(QStringLiteral("10.0.0.0/8"))};
    QCOMPARE(Community::Http::forwardedClient(QHostAddress(QStringLiteral("127.0.0.1")), r, trusted).toString(), client);
}

void TestClientAddress::serverBelievesTrustedProxiesOnly()
{
    HttpServerConfig cfg;
    cfg.port = 0;
    cfg.maxConnectionsPerIp = 1;
    cfg.trustedProxies = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.1/32"))};
    HttpServer server(cfg);
    server.setHandler([](HttpRequest &req, const Responder &res) {
        res.send(HttpResponse::json(200, QJsonObject{{QStringLiteral("peer"), req.peerAddress.toString()},
                                                     {QStringLiteral("proxy"), req.proxyAddress.toString()},
                                                     {QStringLiteral("socket"), req.socketAddress().toString()}}));
    });
    QVERIFY(server.listen().has_value());
    const quint16 port = server.serverPort();
    auto res = runClient([port] {
        // Three connections from the proxy at once: the per-address cap (1) does not count it.
        Client a(port), b(port), c(port);
        a.send(get("X-Forwarded-For: 203.0.113.9\r\n"));
        b.send(get("X-Forwarded-For: 198.51.100.1, 203.0.113.10\r\n"));
        c.send(get());
        const auto ra = a.read(), rb = b.read(), rc = c.read();
        // A second request on the same connection is read afresh (no header: the proxy itself).
        a.send(get());
        const auto ra2 = a.read();
        // The same header from a client that is not a proxy changes nothing; its second
        // connection meets the cap.
        Client d(port, kOther);
        d.send(get("X-Forwarded-For: 203.0.113.9\r\n"));
        const auto rd = d.read();
        Client e(port, kOther);
        const bool eClosed = e.waitClosed(2000);
        return std::make_tuple(who(ra), who(rb), who(rc), who(ra2), who(rd), eClosed);
    });
    const auto &[ra, rb, rc, ra2, rd, eClosed] = res;
    QCOMPARE(ra.value(QStringLiteral("peer")).toString(), QStringLiteral("203.0.113.9"));
    QCOMPARE(ra.value(QStringLiteral("proxy")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(ra.value(QStringLiteral("socket")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(rb.value(QStringLiteral("peer")).toString(), QStringLiteral("203.0.113.10"));
    QCOMPARE(rc.value(QStringLiteral("peer")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(rc.value(QStringLiteral("proxy")).toString(), QString());
    QCOMPARE(ra2.value(QStringLiteral("peer")).toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(ra2.value(QStringLiteral("proxy")).toString(), QString());
    QCOMPARE(rd.value(QStringLiteral("peer")).toString(), QStringLiteral("127.0.0.2"));
    QCOMPARE(rd.value(QStringLiteral("proxy")).toString(), QString());
    QVERIFY(eClosed);
    QTRY_COMPARE(server.connectionCount(), 0);
}

QTEST_MAIN(TestClientAddress)
#include "tst_clientaddress.moc"
