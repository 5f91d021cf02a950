// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/pluginmanager.h"

#include "fixtureplugin.h"
#include "greeter.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

#include <cstdlib>

using namespace Community;

namespace {

QString scenario(const QString &name)
{
    return QStringLiteral(COMMUNITY_TEST_PLUGINS "/") + name;
}

QString pluginPath(const QString &scenarioName, const QString &id)
{
    return scenario(scenarioName) + QStringLiteral("/community_") + id + QStringLiteral(".so");
}

/// Fixtures only use pluginId(), config() and the interface registry; the rest is never
/// called here.
class TestContext final : public PluginContext {
public:
    TestContext(PluginManager &manager, QString id, QJsonObject config)
        : m_manager(manager), m_id(std::move(id)), m_config(std::move(config)) {}

    QString pluginId() const override { return m_id; }
    QJsonObject config() const override { return m_config; }
    QString configPath() const override { return QStringLiteral("plugins.") + m_id; }
    Http::Router &router() override { std::abort(); }
    Db::Database &database() override { std::abort(); }
    prometheus::Registry &metrics() override { std::abort(); }
    Events::EventBus &events() override { std::abort(); }
    Realtime::Hub &realtime() override { std::abort(); }
    Result<void> provideInterface(const QString &name, void *impl) override
    {
        return m_manager.interfaces().provide(m_id, name, impl);
    }
    Result<void *> lookupInterface(const QString &name) const override
    {
        return m_manager.interfaces().lookup(m_id, name);
    }

private:
    PluginManager &m_manager;
    QString m_id;
    QJsonObject m_config;
};

PluginManager::ContextFactory factoryFor(PluginManager &m, const QJsonObject &configs = {})
{
    return [&m, configs](const PluginMetadata &meta) {
        return std::make_unique<TestContext>(m, meta.id, configs.value(meta.id).toObject());
    };
}

QStringList takeJournal()
{
    QStringList lines = qApp->property(Fixture::journalProperty).toStringList();
    qApp->setProperty(Fixture::journalProperty, QStringList());
    return lines;
}

QStringList ids(const QList<PluginMetadata> &metas)
{
    QStringList out;
    for (const auto &m : metas)
        out << m.id;
    return out;
}

QStringList withPrefix(const QStringList &lines, const QString &prefix)
{
    QStringList out;
    for (const QString &l : lines) {
        if (l.startsWith(prefix))
            out << l;
    }
    return out;
}

PluginState stateOf(const PluginManager &m, const QString &id)
{
    for (const PluginInfo &p : m.plugins()) {
        if (p.meta.id == id)
            return p.state;
    }
    return PluginState::Discovered;
}

QString errorText(const Result<void> &r)
{
    return r ? QString() : r.error().message;
}

} // namespace

class tst_PluginManager : public QObject {
    Q_OBJECT

private slots:
    void init() { takeJournal(); }

    void discoveryReadsMetadataAndIgnoresNonPlugins()
    {
        PluginManager m;
        QVERIFY2(m.discover({scenario(QStringLiteral("ok"))}), "discover failed");
        const QList<PluginInfo> all = m.plugins();
        QStringList found;
        for (const PluginInfo &p : all) {
            found << p.meta.id;
            QCOMPARE(p.state, PluginState::Discovered);
        }
        // otheriid (other IID), notaplugin (plain .so), libgarbage.so, README.txt skipped
        QCOMPARE(found, QStringList({"alpha", "beta", "gamma", "zeta"}));

        const PluginInfo gamma = all.at(2);
        QCOMPARE(gamma.meta.version, QVersionNumber(1, 0, 0));
        QCOMPARE(gamma.meta.compatVersion, QVersionNumber(1, 0));   // default "<major>.0"
        QCOMPARE(gamma.meta.path, pluginPath(QStringLiteral("ok"), QStringLiteral("gamma")));
        QCOMPARE(gamma.meta.dependencies.size(), 2);
        QCOMPARE(gamma.meta.dependencies.at(0).id, QStringLiteral("beta"));
        QCOMPARE(gamma.meta.dependencies.at(0).minVersion, QVersionNumber(2, 0));
        QVERIFY(!gamma.meta.dependencies.at(0).optional);
        QCOMPARE(gamma.meta.dependencies.at(1).id, QStringLiteral("delta"));
        QVERIFY(gamma.meta.dependencies.at(1).minVersion.isNull());
        QVERIFY(gamma.meta.dependencies.at(1).optional);
        QCOMPARE(m.instance(QStringLiteral("alpha")), nullptr);   // nothing loaded yet
    }

    void missingFolderIsAnError()
    {
        PluginManager m;
        const auto r = m.discover({scenario(QStringLiteral("no-such-scenario"))});
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(QStringLiteral("no-such-scenario")), qPrintable(r.error().message));
    }

    void orderIsDeterministic()
    {
        for (int round = 0; round < 3; ++round) {
            PluginManager m;
            QVERIFY(m.discover({scenario(QStringLiteral("ok"))}));
            QVERIFY(m.resolve());
            // zeta is ready from the start but alpha wins the tie, and so on.
            QCOMPARE(ids(m.ordered()), QStringList({"alpha", "beta", "gamma", "zeta"}));
            for (const PluginInfo &p : m.plugins())
                QCOMPARE(p.state, PluginState::Resolved);
        }
    }

    void servicesSubset_data()
    {
        QTest::addColumn<QStringList>("services");
        QTest::addColumn<QStringList>("order");
        QTest::addColumn<QString>("error");
        QTest::newRow("all") << QStringList() << QStringList({"alpha", "beta", "gamma", "zeta"}) << QString();
        QTest::newRow("pair") << QStringList({"beta", "alpha"}) << QStringList({"alpha", "beta"}) << QString();
        QTest::newRow("chain, optional absent") << QStringList({"gamma", "beta", "alpha"})
                                                << QStringList({"alpha", "beta", "gamma"}) << QString();
        QTest::newRow("leaf") << QStringList({"zeta"}) << QStringList({"zeta"}) << QString();
        QTest::newRow("required dependency not listed")
            << QStringList({"beta", "zeta"}) << QStringList()
            << QStringLiteral("plugin 'beta' requires 'alpha', which is not among the selected services");
        QTest::newRow("unknown id") << QStringList({"alpha", "nosuch"}) << QStringList()
                                    << QStringLiteral("unknown service 'nosuch'");
    }

    void servicesSubset()
    {
        QFETCH(QStringList, services);
        QFETCH(QStringList, order);
        QFETCH(QString, error);
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("ok"))}));
        const auto r = m.resolve(services);
        if (error.isEmpty()) {
            QVERIFY2(r, qPrintable(errorText(r)));
            QCOMPARE(ids(m.ordered()), order);
            // plugins(): resolved ones in order, then the rest by id, still Discovered
            const QList<PluginInfo> all = m.plugins();
            QCOMPARE(all.size(), 4);
            for (qsizetype i = 0; i < all.size(); ++i)
                QCOMPARE(all.at(i).state, i < order.size() ? PluginState::Resolved : PluginState::Discovered);
        } else {
            QVERIFY(!r);
            QCOMPARE(r.error().code, ErrorCode::Config);
            QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
            QVERIFY(m.ordered().isEmpty());
        }
    }

    void cycleNamesTheWholePath()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("cycle"))}));
        const auto r = m.resolve();
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(QStringLiteral("dependency cycle: x -> y -> z -> x")),
                 qPrintable(r.error().message));
        QVERIFY2(r.error().message.contains(pluginPath(QStringLiteral("cycle"), QStringLiteral("x"))),
                 qPrintable(r.error().message));
        for (const QString &id : {QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")})
            QCOMPARE(stateOf(m, id), PluginState::Failed);
    }

    void missingDependency()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("missing"))}));
        const auto r = m.resolve();
        QVERIFY(!r);
        const QString msg = r.error().message;
        QVERIFY2(msg.contains(QStringLiteral("plugin 'needy' requires 'nope', which was not found")), qPrintable(msg));
        QVERIFY2(msg.contains(pluginPath(QStringLiteral("missing"), QStringLiteral("needy"))), qPrintable(msg));
        QCOMPARE(stateOf(m, QStringLiteral("needy")), PluginState::Failed);
        QCOMPARE(m.plugins().at(0).error, msg);
    }

    void versionMismatch()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("version"))}));
        const auto r = m.resolve();
        QVERIFY(!r);
        const QString expected = QStringLiteral("plugin 'old' requires 'alpha' >= 9.0 but found 1.2.0 (%1)")
                                     .arg(pluginPath(QStringLiteral("version"), QStringLiteral("alpha")));
        QVERIFY2(r.error().message.contains(expected), qPrintable(r.error().message));
        // A subset without the offending plugin is fine.
        QVERIFY(m.resolve({QStringLiteral("alpha")}));
    }

    void compatVersionMismatch()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("compat"))}));
        const auto r = m.resolve();
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(
                     QStringLiteral("plugin 'legacy' requires 'alpha' >= 1.0 but found 3.1, compatible only back to 2.0")),
                 qPrintable(r.error().message));
    }

    void badMetadataNamesFileAndField()
    {
        PluginManager m;
        const auto r = m.discover({scenario(QStringLiteral("badmeta"))});
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Config);
        const QString msg = r.error().message;
        QVERIFY2(msg.contains(pluginPath(QStringLiteral("badmeta"), QStringLiteral("badid"))
                              + QStringLiteral(": metadata field 'id': 'Bad Id' is not a valid plugin id")),
                 qPrintable(msg));
        const QString nv = pluginPath(QStringLiteral("badmeta"), QStringLiteral("noversion"));
        QVERIFY2(msg.contains(nv + QStringLiteral(": metadata field 'version': missing")), qPrintable(msg));
        QVERIFY2(msg.contains(nv + QStringLiteral(": metadata field 'dependencies[0].type'")), qPrintable(msg));
        QVERIFY(m.plugins().isEmpty());
    }

    void duplicateIdAcrossFolders()
    {
        PluginManager m;
        const auto r = m.discover({scenario(QStringLiteral("ok")), scenario(QStringLiteral("version"))});
        QVERIFY(!r);
        const QString msg = r.error().message;
        QVERIFY2(msg.contains(pluginPath(QStringLiteral("version"), QStringLiteral("alpha"))
                              + QStringLiteral(": metadata field 'id': plugin id 'alpha' is already declared by ")
                              + pluginPath(QStringLiteral("ok"), QStringLiteral("alpha"))),
                 qPrintable(msg));
    }

    void parseMetadata_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");   // empty: valid
        QTest::newRow("minimal") << QByteArray(R"({"id":"a-b_c1","version":"1"})") << QString();
        QTest::newRow("full") << QByteArray(R"({"id":"a","version":"2.1.0","compatVersion":"2.0","description":"d",
            "dependencies":[{"id":"b","version":"1.0","type":"optional"},{"id":"c"}]})") << QString();
        QTest::newRow("upper-case id") << QByteArray(R"({"id":"Auth","version":"1"})") << QStringLiteral("field 'id'");
        QTest::newRow("id starts with digit") << QByteArray(R"({"id":"1a","version":"1"})") << QStringLiteral("field 'id'");
        QTest::newRow("id not a string") << QByteArray(R"({"id":3,"version":"1"})") << QStringLiteral("field 'id'");
        QTest::newRow("version suffix") << QByteArray(R"({"id":"a","version":"1.0-beta"})") << QStringLiteral("field 'version'");
        QTest::newRow("version number") << QByteArray(R"({"id":"a","version":1})") << QStringLiteral("field 'version'");
        QTest::newRow("compat newer") << QByteArray(R"({"id":"a","version":"1.0","compatVersion":"1.1"})")
                                      << QStringLiteral("field 'compatVersion'");
        QTest::newRow("unknown key") << QByteArray(R"({"id":"a","version":"1","depends":[]})") << QStringLiteral("field 'depends'");
        QTest::newRow("deps not array") << QByteArray(R"({"id":"a","version":"1","dependencies":{}})")
                                        << QStringLiteral("field 'dependencies'");
        QTest::newRow("dep not object") << QByteArray(R"({"id":"a","version":"1","dependencies":["b"]})")
                                        << QStringLiteral("field 'dependencies[0]'");
        QTest::newRow("dep bad id") << QByteArray(R"({"id":"a","version":"1","dependencies":[{"id":"B"}]})")
                                    << QStringLiteral("field 'dependencies[0].id'");
        QTest::newRow("dep on self") << QByteArray(R"({"id":"a","version":"1","dependencies":[{"id":"a"}]})")
                                     << QStringLiteral("cannot depend on itself");
        QTest::newRow("dep twice") << QByteArray(R"({"id":"a","version":"1","dependencies":[{"id":"b"},{"id":"b","type":"optional"}]})")
                                   << QStringLiteral("field 'dependencies[1].id'");
        QTest::newRow("dep bad version") << QByteArray(R"({"id":"a","version":"1","dependencies":[{"id":"b","version":"x"}]})")
                                         << QStringLiteral("field 'dependencies[0].version'");
        QTest::newRow("dep unknown key") << QByteArray(R"({"id":"a","version":"1","dependencies":[{"id":"b","min":"1"}]})")
                                         << QStringLiteral("field 'dependencies[0].min'");
    }

    void parseMetadata()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString()));
        const auto r = parsePluginMetadata(doc.object(), QStringLiteral("/p/lib.so"));
        if (error.isEmpty()) {
            QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
            QCOMPARE(r->path, QStringLiteral("/p/lib.so"));
        } else {
            QVERIFY(!r);
            QVERIFY2(r.error().message.startsWith(QStringLiteral("/p/lib.so: metadata")), qPrintable(r.error().message));
            QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
        }
    }

    void lifecycleInOrder()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("ok"))}));
        QVERIFY(m.resolve());
        QVERIFY2(m.load(), "load failed");
        for (const QString &id : ids(m.ordered())) {
            QCOMPARE(stateOf(m, id), PluginState::Loaded);
            QVERIFY(m.instance(id));
        }
        const auto ir = m.initialize(factoryFor(m));
        QVERIFY2(ir, qPrintable(errorText(ir)));
        QCOMPARE(withPrefix(takeJournal(), QStringLiteral("init:")),
                 QStringList({"init:alpha", "init:beta", "init:gamma", "init:zeta"}));
        QVERIFY(m.context(QStringLiteral("beta")));
        QCOMPARE(m.context(QStringLiteral("beta"))->pluginId(), QStringLiteral("beta"));

        QVERIFY(m.startAll());
        QCOMPARE(takeJournal(), QStringList({"start:alpha", "start:beta", "start:gamma", "start:zeta"}));
        for (const QString &id : ids(m.ordered()))
            QCOMPARE(stateOf(m, id), PluginState::Running);

        m.stopAll(std::chrono::seconds(5));
        QCOMPARE(takeJournal(), QStringList({"stop:zeta", "stop:gamma", "stop:beta", "stop:alpha"}));
        for (const QString &id : ids(m.ordered()))
            QCOMPARE(stateOf(m, id), PluginState::Stopped);
        m.stopAll(std::chrono::seconds(5));   // idempotent
        QVERIFY(takeJournal().isEmpty());
    }

    void interfacesThroughContexts()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("ok"))}));
        QVERIFY(m.resolve());
        QVERIFY(m.load());
        QVERIFY(m.initialize(factoryFor(m)));
        const QStringList j = takeJournal();
        const QString greeter = QString::fromLatin1(Greeter::interfaceId());
        QVERIFY2(j.contains(QStringLiteral("provide:alpha:%1:ok").arg(greeter)), qPrintable(j.join(u'\n')));
        // beta declares alpha: allowed, and the call crosses plugin boundaries.
        QVERIFY2(j.contains(QStringLiteral("lookup:beta:%1:found:hello from alpha").arg(greeter)), qPrintable(j.join(u'\n')));
        // gamma's optional delta is absent: null, not an error.
        QVERIFY2(j.contains(QStringLiteral("lookup:gamma:test.delta.Thing/1:null")), qPrintable(j.join(u'\n')));
        // gamma does not declare alpha (only transitively through beta): refused.
        QVERIFY2(j.contains(QStringLiteral("lookup:gamma:%1:forbidden").arg(greeter)), qPrintable(j.join(u'\n')));
    }

    void interfaceRegistryRules()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("ok"))}));
        QVERIFY(m.resolve());
        InterfaceRegistry &reg = m.interfaces();
        int alphaImpl = 0, betaImpl = 0;
        const QString greeter = QStringLiteral("test.alpha.Greeter/1");
        QVERIFY(reg.provide(QStringLiteral("alpha"), greeter, &alphaImpl));
        QVERIFY(reg.provide(QStringLiteral("beta"), QStringLiteral("test.beta.Thing/1"), &betaImpl));

        auto own = reg.lookup(QStringLiteral("alpha"), greeter);
        QVERIFY(own);
        QCOMPARE(*own, static_cast<void *>(&alphaImpl));
        auto declared = reg.lookup(QStringLiteral("beta"), greeter);
        QVERIFY(declared);
        QCOMPARE(*declared, static_cast<void *>(&alphaImpl));

        auto undeclared = reg.lookup(QStringLiteral("gamma"), greeter);
        QVERIFY(!undeclared);
        QCOMPARE(undeclared.error().code, ErrorCode::Forbidden);
        QVERIFY(undeclared.error().message.contains(QStringLiteral("'gamma'")));
        QVERIFY(undeclared.error().message.contains(QStringLiteral("'alpha'")));
        auto reverse = reg.lookup(QStringLiteral("alpha"), QStringLiteral("test.beta.Thing/1"));
        QVERIFY(!reverse);
        QCOMPARE(reverse.error().code, ErrorCode::Forbidden);

        // Required dependency that does not provide it.
        auto notProvided = reg.lookup(QStringLiteral("beta"), QStringLiteral("test.alpha.Other/1"));
        QVERIFY(!notProvided);
        QCOMPARE(notProvided.error().code, ErrorCode::NotFound);
        auto nobody = reg.lookup(QStringLiteral("zeta"), QStringLiteral("test.unknown.X/1"));
        QVERIFY(!nobody);
        QCOMPARE(nobody.error().code, ErrorCode::NotFound);
        // Optional dependency absent.
        auto absent = reg.lookup(QStringLiteral("gamma"), QStringLiteral("test.delta.Thing/1"));
        QVERIFY(absent);
        QCOMPARE(*absent, nullptr);
        // A required dependency that is present but does not provide it, even with an
        // absent optional one around.
        auto gammaBeta = reg.lookup(QStringLiteral("gamma"), QStringLiteral("test.beta.Missing/1"));
        QVERIFY(!gammaBeta);
        QCOMPARE(gammaBeta.error().code, ErrorCode::NotFound);

        auto dup = reg.provide(QStringLiteral("zeta"), greeter, &betaImpl);
        QVERIFY(!dup);
        QCOMPARE(dup.error().code, ErrorCode::Conflict);
        QCOMPARE(reg.providerOf(greeter), QStringLiteral("alpha"));
        QCOMPARE(reg.lookup(QStringLiteral("nosuch"), greeter).error().code, ErrorCode::Forbidden);
        QCOMPARE(reg.provide(QStringLiteral("nosuch"), QStringLiteral("n/1"), &betaImpl).error().code, ErrorCode::Forbidden);
        QCOMPARE(reg.provide(QStringLiteral("zeta"), QStringLiteral("n/1"), nullptr).error().code,
                 ErrorCode::InvalidArgument);
    }

    void failedStartUnwindsInReverse()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("failstart"))}));
        QVERIFY(m.resolve());
        QCOMPARE(ids(m.ordered()), QStringList({"one", "two", "three"}));
        QVERIFY(m.load());
        QVERIFY(m.initialize(factoryFor(m)));
        takeJournal();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("plugin 'three' failed to start")));
        const auto r = m.startAll();
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Unavailable);
        QVERIFY2(r.error().message.contains(QStringLiteral("plugin 'three' failed to start: three cannot start")),
                 qPrintable(r.error().message));
        QCOMPARE(takeJournal(), QStringList({"start:one", "start:two", "start:three", "stop:two", "stop:one"}));
        QCOMPARE(stateOf(m, QStringLiteral("one")), PluginState::Stopped);
        QCOMPARE(stateOf(m, QStringLiteral("two")), PluginState::Stopped);
        QCOMPARE(stateOf(m, QStringLiteral("three")), PluginState::Failed);
        QVERIFY(m.plugins().at(2).error.contains(QStringLiteral("three cannot start")));
        m.stopAll(std::chrono::seconds(1));   // nothing left running
        QVERIFY(takeJournal().isEmpty());
    }

    void failedInitializeNamesPlugin()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("ok"))}));
        QVERIFY(m.resolve());
        QVERIFY(m.load());
        QJsonObject configs{{QStringLiteral("beta"), QJsonObject{{QStringLiteral("failInit"), true}}}};
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("plugin 'beta' failed to initialize")));
        const auto r = m.initialize(factoryFor(m, configs));
        QVERIFY(!r);
        QCOMPARE(r.error().message, QStringLiteral("plugin 'beta' failed to initialize: asked to fail"));
        QCOMPARE(stateOf(m, QStringLiteral("alpha")), PluginState::Initialized);
        QCOMPARE(stateOf(m, QStringLiteral("beta")), PluginState::Failed);
        QCOMPARE(stateOf(m, QStringLiteral("gamma")), PluginState::Loaded);
        QVERIFY(!m.startAll());   // refused: not everything initialized
        QVERIFY(withPrefix(takeJournal(), QStringLiteral("start:")).isEmpty());
    }

    void stopDeadlineOverrunStillStopsTheRest()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("ok"))}));
        QVERIFY(m.resolve());
        QVERIFY(m.load());
        QJsonObject configs{{QStringLiteral("zeta"), QJsonObject{{QStringLiteral("stopDelayMs"), 400}}}};
        QVERIFY(m.initialize(factoryFor(m, configs)));
        QVERIFY(m.startAll());
        takeJournal();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^zeta exceeded its stop deadline")));
        QElapsedTimer t;
        t.start();
        m.stopAll(std::chrono::milliseconds(150));
        // Everyone after zeta still got a live deadline (the minimum slice).
        QCOMPARE(takeJournal(), QStringList({"stop:zeta", "stop:gamma", "stop:beta", "stop:alpha"}));
        QVERIFY(t.elapsed() < 5000);
        for (const QString &id : ids(m.ordered()))
            QCOMPARE(stateOf(m, id), PluginState::Stopped);
    }

    void restartAfterStop()
    {
        PluginManager m;
        QVERIFY(m.discover({scenario(QStringLiteral("failstart"))}));
        QVERIFY(m.resolve({QStringLiteral("one"), QStringLiteral("two")}));
        QVERIFY(m.load());
        QVERIFY(m.initialize(factoryFor(m)));
        takeJournal();
        QVERIFY(m.startAll());
        m.stopAll(std::chrono::seconds(1));
        QVERIFY(m.startAll());
        QCOMPARE(takeJournal(), QStringList({"start:one", "start:two", "stop:two", "stop:one",
                                             "start:one", "start:two"}));
        m.stopAll(std::chrono::seconds(1));
    }

    void destructionStopsRunningPlugins()
    {
        {
            PluginManager m;
            QVERIFY(m.discover({scenario(QStringLiteral("failstart"))}));
            QVERIFY(m.resolve({QStringLiteral("one"), QStringLiteral("two")}));
            QVERIFY(m.load());
            QVERIFY(m.initialize(factoryFor(m)));
            QVERIFY(m.startAll());
            takeJournal();
            QTest::ignoreMessage(QtWarningMsg, "plugin manager destroyed with running plugins; stopping them");
        }
        QCOMPARE(takeJournal(), QStringList({"stop:two", "stop:one"}));
    }

    void stateNames()
    {
        QCOMPARE(pluginStateName(PluginState::Discovered), QStringLiteral("discovered"));
        QCOMPARE(pluginStateName(PluginState::Running), QStringLiteral("running"));
        QCOMPARE(pluginStateName(PluginState::Failed), QStringLiteral("failed"));
    }
};

QTEST_GUILESS_MAIN(tst_PluginManager)
#include "tst_pluginmanager.moc"
