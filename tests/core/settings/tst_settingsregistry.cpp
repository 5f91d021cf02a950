// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The settings registry on its own (community/settings.h): ConfigReader declares what it
// reads while a scope is current; the layers give each key its source; validation gives
// the startup's own field errors; a live key is applied, another pending.

#include "community/config.h"
#include "community/settings.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace Community;

namespace {

QProcessEnvironment envWith(const QString &name, const QString &value)
{
    QProcessEnvironment env;
    env.insert(name, value);
    return env;
}

} // namespace

class TstSettingsRegistry : public QObject {
    Q_OBJECT

    /// Reads a small "plugins.demo" section the way a plugin does.
    static void readDemo(const Config &config)
    {
        ConfigReader r(config.subtree(QStringLiteral("plugins.demo")), QStringLiteral("plugins.demo"));
        r.integer(QStringLiteral("limit"), 10, 1, 100, QStringLiteral("How many"));
        r.integer(QStringLiteral("window"), 60, 1, 3600);
        r.boolean(QStringLiteral("enabled"), true);
        r.stringList(QStringLiteral("origins"), {QStringLiteral("a")});
        r.secret(QStringLiteral("apiKey"));
        QVERIFY(r.finish());
    }

private Q_SLOTS:
    void readersDeclareWhatTheyRead()
    {
        auto config = Config::fromJson(QJsonObject{});
        SettingsRegistry registry;
        {
            const SettingsRegistry::Scope scope(&registry);
            readDemo(*config);
        }
        // Outside the scope nothing is declared.
        ConfigReader outside(QJsonObject{}, QStringLiteral("plugins.other"));
        outside.integer(QStringLiteral("x"), 1, 0, 2);

        const QList<SettingState> all = registry.states();
        QCOMPARE(all.size(), 5);
        const auto limit = registry.state(QStringLiteral("plugins.demo.limit"));
        QVERIFY(limit);
        QCOMPARE(limit->spec.type, QStringLiteral("integer"));
        QCOMPARE(limit->spec.defaultValue.toInt(), 10);
        QCOMPARE(limit->spec.min.toInt(), 1);
        QCOMPARE(limit->spec.max.toInt(), 100);
        QCOMPARE(limit->spec.description, QStringLiteral("How many"));
        QCOMPARE(limit->source, QStringLiteral("default"));
        QVERIFY(!limit->live);
        QCOMPARE(registry.state(QStringLiteral("PLUGINS.DEMO.ORIGINS"))->value, QJsonValue(QJsonArray{QStringLiteral("a")}));
        QVERIFY(!registry.state(QStringLiteral("plugins.other.x")));
        // The secret's file key is not a setting of its own.
        QVERIFY(!registry.state(QStringLiteral("plugins.demo.apiKeyFile")));
    }

    void layersGiveTheSourceAndTheEnvironmentWins()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("c.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"plugins": {"demo": {"limit": 20, "window": 30, "apiKey": "s3cret-value"}}})");
        f.close();
        const QHash<QString, QJsonValue> runtime{{QStringLiteral("plugins.demo.window"), 40},
                                                 {QStringLiteral("plugins.demo.enabled"), false},
                                                 {QStringLiteral("plugins.demo.limit"), 50}};
        auto config = Config::load(file, envWith(QStringLiteral("COMMUNITY_PLUGINS__DEMO__LIMIT"), QStringLiteral("70")),
                                   {QStringLiteral("plugins.demo.origins=x,y")}, runtime);
        QVERIFY(config);
        SettingsRegistry registry;
        registry.setLayers(config->fileRoot(), runtime, config->overrides());
        {
            const SettingsRegistry::Scope scope(&registry);
            readDemo(*config);
        }
        const auto limit = registry.state(QStringLiteral("plugins.demo.limit"));
        QCOMPARE(limit->effective.toInt(), 70);   // file 20 < runtime 50 < environment 70
        QCOMPARE(limit->source, QStringLiteral("environment"));
        QCOMPARE(limit->readOnlyReason, QStringLiteral("set by environment variable COMMUNITY_PLUGINS__DEMO__LIMIT"));
        const auto window = registry.state(QStringLiteral("plugins.demo.window"));
        QCOMPARE(window->effective.toInt(), 40);  // runtime over file
        QCOMPARE(window->source, QStringLiteral("runtime"));
        QVERIFY(window->readOnlyReason.isEmpty());
        QCOMPARE(registry.state(QStringLiteral("plugins.demo.origins"))->source, QStringLiteral("flag"));
        QCOMPARE(registry.state(QStringLiteral("plugins.demo.origins"))->effective,
                 QJsonValue(QJsonArray{QStringLiteral("x"), QStringLiteral("y")}));
        const auto secret = registry.state(QStringLiteral("plugins.demo.apiKey"));
        QCOMPARE(secret->value, QJsonValue(true));
        QCOMPARE(secret->source, QStringLiteral("file"));
        QVERIFY(!secret->readOnlyReason.isEmpty());
        QVERIFY(!QJsonDocument(secret->toJson()).toJson().contains("s3cret"));
        QCOMPARE(registry.runtimeLayer().size(), 3);
    }

    void validationGivesTheStartupErrors_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("range") << QStringLiteral("plugins.demo.limit") << QJsonValue(0) << QStringLiteral("range") << QStringLiteral("must be between 1 and 100, got 0");
        QTest::newRow("integer") << QStringLiteral("plugins.demo.limit") << QJsonValue(QStringLiteral("x")) << QStringLiteral("type") << QStringLiteral("must be an integer");
        QTest::newRow("boolean") << QStringLiteral("plugins.demo.enabled") << QJsonValue(1) << QStringLiteral("type") << QStringLiteral("must be true or false");
        QTest::newRow("list") << QStringLiteral("plugins.demo.origins") << QJsonValue(3) << QStringLiteral("type") << QStringLiteral("must be an array of strings");
        QTest::newRow("unknown") << QStringLiteral("plugins.demo.nope") << QJsonValue(1) << QStringLiteral("unknown") << QStringLiteral("unknown key");
        QTest::newRow("null") << QStringLiteral("plugins.demo.limit") << QJsonValue() << QStringLiteral("required") << QStringLiteral("");
        QTest::newRow("secret") << QStringLiteral("plugins.demo.apiKey") << QJsonValue(QStringLiteral("k")) << QStringLiteral("read_only") << QStringLiteral("");
    }

    void validationGivesTheStartupErrors()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, code);
        QFETCH(QString, message);
        SettingsRegistry registry;
        {
            const SettingsRegistry::Scope scope(&registry);
            readDemo(*Config::fromJson(QJsonObject{}));
        }
        const auto r = registry.validate(key, value);
        QVERIFY(!r);
        QVERIFY(r.error().code == ErrorCode::InvalidArgument);
        QCOMPARE(r.error().fields.size(), 1);
        QCOMPARE(r.error().fields.first().field, key);
        QCOMPARE(r.error().fields.first().code, code);
        if (!message.isEmpty())
            QCOMPARE(r.error().fields.first().message, message);
    }

    void validValuesAreNormalised()
    {
        SettingsRegistry registry;
        {
            const SettingsRegistry::Scope scope(&registry);
            readDemo(*Config::fromJson(QJsonObject{}));
        }
        QCOMPARE(*registry.validate(QStringLiteral("plugins.demo.limit"), 42), QJsonValue(42.0));
        QCOMPARE(*registry.validate(QStringLiteral("plugins.demo.origins"), QStringLiteral("p,q")),
                 QJsonValue(QJsonArray{QStringLiteral("p"), QStringLiteral("q")}));
    }

    void liveKeysApplyOthersWait()
    {
        SettingsRegistry registry;
        {
            const SettingsRegistry::Scope scope(&registry);
            readDemo(*Config::fromJson(QJsonObject{}));
        }
        int applied = 0;
        QVERIFY(registry.watch(QStringLiteral("plugins.demo.limit"), [&applied](const QJsonValue &v) { applied = v.toInt(); }));
        QVERIFY(!registry.watch(QStringLiteral("plugins.demo.neverRead"), [](const QJsonValue &) {}));

        registry.runtimeChanged(QStringLiteral("plugins.demo.limit"), 33);
        QCOMPARE(applied, 33);
        auto limit = registry.state(QStringLiteral("plugins.demo.limit"));
        QVERIFY(limit->live);
        QCOMPARE(limit->effective.toInt(), 33);
        QVERIFY(!limit->pending);

        registry.runtimeChanged(QStringLiteral("plugins.demo.window"), 90);
        const auto window = registry.state(QStringLiteral("plugins.demo.window"));
        QCOMPARE(window->value.toInt(), 90);
        QCOMPARE(window->effective.toInt(), 60);
        QVERIFY(window->pending);

        // Removing the runtime value brings the default back, at once for a live key.
        registry.runtimeChanged(QStringLiteral("plugins.demo.limit"), QJsonValue(QJsonValue::Undefined));
        QCOMPARE(applied, 10);
        limit = registry.state(QStringLiteral("plugins.demo.limit"));
        QCOMPARE(limit->source, QStringLiteral("default"));
    }
};

QTEST_GUILESS_MAIN(TstSettingsRegistry)
#include "tst_settingsregistry.moc"
