// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The registration caps' address arithmetic and configuration, linked from auth_core (the
// caps themselves over HTTP: tst_authflows registrationCapsPerAddressAndNetwork).

#include "authconfig.h"
#include "registrationlimit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Auth;

class TstRegistrationLimit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void network_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("counted");
        QTest::addColumn<QString>("network");
        QTest::newRow("ipv4") << "203.0.113.77" << "203.0.113.77" << "203.0.113.0/24";
        QTest::newRow("ipv4 .0") << "203.0.113.0" << "203.0.113.0" << "203.0.113.0/24";
        QTest::newRow("ipv4-mapped") << "::ffff:203.0.113.77" << "203.0.113.77" << "203.0.113.0/24";
        QTest::newRow("ipv6") << "2001:db8:1:2:3:4:5:6" << "2001:db8:1:2:3:4:5:6" << "2001:db8:1:2::/64";
        QTest::newRow("ipv6 same /64") << "2001:db8:1:2:ffff::1" << "2001:db8:1:2:ffff::1" << "2001:db8:1:2::/64";
        QTest::newRow("ipv6 loopback") << "::1" << "::1" << "::/64";
    }
    void network()
    {
        QFETCH(QString, address);
        QFETCH(QString, counted);
        QFETCH(QString, network);
        QCOMPARE(registrationAddress(QHostAddress(address)), counted);
        QCOMPARE(registrationNetwork(QHostAddress(address)), network);
    }

    void exemptAddresses()
    {
        const RegistrationLimiter defaults;
        QVERIFY(defaults.isExempt(QHostAddress(QStringLiteral("127.0.0.1"))));
        QVERIFY(defaults.isExempt(QHostAddress(QStringLiteral("127.8.9.10"))));
        QVERIFY(defaults.isExempt(QHostAddress(QStringLiteral("::ffff:127.0.0.1"))));
        QVERIFY(defaults.isExempt(QHostAddress(QStringLiteral("::1"))));
        QVERIFY(!defaults.isExempt(QHostAddress(QStringLiteral("203.0.113.7"))));
        RegistrationCaps none;
        none.exempt.clear();
        QVERIFY(!RegistrationLimiter(none).isExempt(QHostAddress(QStringLiteral("127.0.0.1"))));
        QCOMPARE(RegistrationLimiter::invalidExempt({QStringLiteral("10.0.0.0/8"), QStringLiteral("banana"), QString()}),
                 QStringList{QStringLiteral("banana")});
    }

    void configuration()
    {
        {
            Community::ConfigReader r(QJsonObject{}, QStringLiteral("plugins.auth"));
            const auto c = AuthConfig::parse(r);
            QVERIFY(c.has_value());
            QCOMPARE(c->registration.perAddressPerDay, 20);
            QCOMPARE(c->registration.perNetworkPerDay, 100);
            QCOMPARE(c->lockout.maxFailures, 10);
            QCOMPARE(c->lockout.accountMaxFailures, 100);
        }
        {
            Community::ConfigReader r(QJsonObject{{"registration", QJsonObject{{"maxPerAddressPerDay", 0},
                                                                               {"maxPerNetworkPerDay", 7},
                                                                               {"exempt", QJsonArray{"10.0.0.0/8"}}}},
                                                  {"lockout", QJsonObject{{"accountMaxFailures", 50}}}},
                                      QStringLiteral("plugins.auth"));
            const auto c = AuthConfig::parse(r);
            QVERIFY(c.has_value());
            QCOMPARE(c->registration.perAddressPerDay, 0);
            QCOMPARE(c->registration.perNetworkPerDay, 7);
            QCOMPARE(c->registration.exempt, QStringList{QStringLiteral("10.0.0.0/8")});
            QCOMPARE(c->lockout.accountMaxFailures, 50);
        }
        for (const QJsonObject &bad : {QJsonObject{{"exempt", QJsonArray{"not-a-net"}}}, QJsonObject{{"maxPerDay", 3}},
                                       QJsonObject{{"maxPerAddressPerDay", -1}}}) {
            Community::ConfigReader r(QJsonObject{{"registration", bad}}, QStringLiteral("plugins.auth"));
            QVERIFY2(!AuthConfig::parse(r).has_value(), qPrintable(QJsonDocument(bad).toJson()));
        }
    }
};

QTEST_GUILESS_MAIN(TstRegistrationLimit)
#include "tst_registrationlimit.moc"
