// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The runtime settings registry and API (docs/adr/0032) through a real communityd with the
// real plugins: every key with its source (default, file, environment, flag, runtime); a
// live key applied without restart (the admin plugin's claim length, seen on a claim); a
// restart-required key pending until a restart, then in force; an environment-set key
// refused with its variable named; bad values and imports refused with the startup's field
// errors and nothing written; every change audited; authorization per caller.

#include "accessmatrix.h"
#include "adminhttp.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

using namespace Admin::Test;

namespace {

const QString kSettings = QStringLiteral("/v1/admin/settings");
const QString kClaim = QStringLiteral("plugins.admin.claimMinutes");
const QString kPageSize = QStringLiteral("plugins.admin.defaultPageSize");
const QString kSweep = QStringLiteral("plugins.admin.penaltySweepMs");
const QString kIdle = QStringLiteral("http.idleTimeoutMs");
const char *const kSweepVariable = "COMMUNITY_PLUGINS__ADMIN__PENALTYSWEEPMS";

QString keyPath(const QString &key)
{
    return kSettings + QLatin1Char('/') + key;
}

QByteArray jsonBody(const QJsonObject &o)
{
    return AdminHttp::json(o);
}

/// The first field error of a problem answer.
QJsonObject firstFieldError(const HttpResult &r)
{
    return r.json().value(QStringLiteral("errors")).toArray().first().toObject();
}

enum Caller { Anonymous, User, Moderator, Administrator, KeyWithScope, KeyWithoutScope, Operator, CallerCount };
const char *const callerNames[] = {"anonymous", "user", "moderator", "admin", "key+scope", "key-scope", "operator"};

using Row = Community::Test::AccessRow<CallerCount>;

// Changes are dry runs (or aim at a key that does not exist): the matrix writes nothing.
const Row rows[] = {
    {"GET", "/v1/admin/settings", "", {401, 403, 403, 200, 200, 403, 200}},
    {"GET", "/v1/admin/settings/diff", "", {401, 403, 403, 200, 200, 403, 200}},
    {"GET", "/v1/admin/settings/export", "", {401, 403, 403, 200, 200, 403, 200}},
    {"POST", "/v1/admin/settings/import", "{\"settings\":{\"plugins.admin.maxPageSize\":60},\"dryRun\":true}",
     {401, 403, 403, 200, 200, 403, 200}},
    {"GET", "/v1/admin/settings/plugins.admin.maxPageSize", "", {401, 403, 403, 200, 200, 403, 200}},
    {"PUT", "/v1/admin/settings/plugins.admin.maxPageSize", "{\"value\":60,\"dryRun\":true}", {401, 403, 403, 200, 200, 403, 200}},
    {"DELETE", "/v1/admin/settings/no.such.key", "", {401, 403, 403, 404, 404, 403, 404}},
};

} // namespace

class TstSettings : public QObject {
    Q_OBJECT

    AdminHttp m_http;
    QTemporaryDir m_dir;
    QByteArray m_tokens[CallerCount];

    QJsonObject setting(const QString &key)
    {
        const auto r = m_http.op("GET", keyPath(key));
        if (r.status != 200)
            qWarning() << "GET" << key << r.status << r.body;
        return r.json();
    }

    /// The stored runtime value of `key` (compact JSON), or "" when there is none.
    QString storedValue(const QString &key)
    {
        try {
            pqxx::connection c(m_http.daemon.database()->conninfo());
            pqxx::nontransaction tx(c);
            const auto r = tx.exec_params("SELECT value FROM settings.runtime WHERE key = $1", key.toStdString());
            return r.empty() ? QString() : QString::fromStdString(r[0][0].as<std::string>());
        } catch (const std::exception &e) {
            qWarning() << "storedValue" << e.what();
            return QStringLiteral("error");
        }
    }

    qint64 storedRows() { return m_http.scalar("SELECT count(*) FROM settings.runtime"); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // A file layer, an environment layer (the harness adds --set flags and
        // COMMUNITY_DATABASE__URL of its own).
        const QString file = m_dir.filePath(QStringLiteral("communityd.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"http": {"idleTimeoutMs": 60000}, "plugins": {"admin": {"defaultPageSize": 20}}})");
        f.close();
        m_http.extraArgs << QStringLiteral("--config") << file;
        m_http.extraEnv.insert(QString::fromLatin1(kSweepVariable), QStringLiteral("20000"));
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));

        Account user = m_http.registerUser(QStringLiteral("plainuser"));
        Account mod = m_http.registerUser(QStringLiteral("moddy"));
        QVERIFY(m_http.setRole(mod, QStringLiteral("moderator")));
        m_tokens[User] = user.token;
        m_tokens[Moderator] = mod.token;
        m_tokens[Administrator] = m_http.admin.token;
        m_tokens[KeyWithScope] = m_http.createKey(QJsonArray{QStringLiteral("admin"), QStringLiteral("admin:settings")});
        m_tokens[KeyWithoutScope] = m_http.createKey(QJsonArray{QStringLiteral("admin"), QStringLiteral("admin:audit")});
        for (int i = User; i < Operator; ++i)
            QVERIFY2(!m_tokens[i].isEmpty(), callerNames[i]);
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void registryShowsEveryKeyWithItsSource()
    {
        const auto r = m_http.op("GET", kSettings);
        QCOMPARE(r.status, 200);
        QHash<QString, QJsonObject> byKey;
        for (const QJsonValue &v : r.json().value(QStringLiteral("settings")).toArray())
            byKey.insert(v.toObject().value(QStringLiteral("key")).toString(), v.toObject());
        // The core's sections and every plugin's, declared by their readers.
        for (const char *key : {"http.maxBodyBytes", "realtime.maxSubscriptions", "gateway.rateLimits.default.perIp.rate",
                                "plugins.auth.passwordHash.opsLimit", "plugins.content.anonymousCacheMs", "plugins.admin.maxPageSize"})
            QVERIFY2(byKey.contains(QString::fromLatin1(key)), key);

        const QJsonObject claim = byKey.value(kClaim);
        QCOMPARE(claim.value("type").toString(), QStringLiteral("integer"));
        QCOMPARE(claim.value("default").toInt(), 10);
        QCOMPARE(claim.value("min").toInt(), 1);
        QCOMPARE(claim.value("max").toInt(), 1440);
        QCOMPARE(claim.value("value").toInt(), 10);
        QCOMPARE(claim.value("source").toString(), QStringLiteral("default"));
        QVERIFY(claim.value("live").toBool());
        QVERIFY(!claim.value("restartRequired").toBool());
        QVERIFY(!claim.value("description").toString().isEmpty());

        QCOMPARE(byKey.value(kPageSize).value("source").toString(), QStringLiteral("file"));
        QCOMPARE(byKey.value(kPageSize).value("value").toInt(), 20);
        QCOMPARE(byKey.value(kIdle).value("source").toString(), QStringLiteral("file"));
        QVERIFY(byKey.value(kIdle).value("restartRequired").toBool());

        const QJsonObject sweep = byKey.value(kSweep);
        QCOMPARE(sweep.value("source").toString(), QStringLiteral("environment"));
        QCOMPARE(sweep.value("value").toInt(), 20000);
        QVERIFY(sweep.value("readOnly").toBool());
        QVERIFY2(sweep.value("readOnlyReason").toString().contains(QLatin1String(kSweepVariable)), qPrintable(sweep.value("readOnlyReason").toString()));

        QCOMPARE(byKey.value(QStringLiteral("plugins.auth.passwordHash.opsLimit")).value("source").toString(), QStringLiteral("flag"));

        // Secrets: set or unset, never the value.
        const QJsonObject url = byKey.value(QStringLiteral("database.url"));
        QCOMPARE(url.value("type").toString(), QStringLiteral("secret"));
        QCOMPARE(url.value("value"), QJsonValue(true));
        QVERIFY(url.value("readOnly").toBool());
        QVERIFY(!url.contains("default"));
        const QByteArray conninfo = QByteArray::fromStdString(m_http.daemon.database()->conninfo());
        QVERIFY(!r.body.contains(conninfo));
        QVERIFY(!r.body.contains(m_http.daemon.operatorToken().toLatin1()));

        // One key, by name (case-insensitive), or 404.
        QCOMPARE(setting(kClaim.toLower()).value("key").toString(), kClaim);
        const auto missing = m_http.op("GET", keyPath(QStringLiteral("plugins.admin.noSuchKey")));
        QCOMPARE(missing.status, 404);
        QVERIFY(missing.header("content-type").startsWith("application/problem+json"));
    }

    void authorizationPerCaller_data() { Community::Test::addAccessRows(rows, callerNames); }

    void authorizationPerCaller()
    {
        Community::Test::checkAccess([this](const QByteArray &method, const QString &path, const QByteArray &body, int caller) {
            return caller == Operator ? m_http.op(method, path, body) : m_http.call(method, path, m_tokens[caller], body);
        });
        QCOMPARE(storedRows(), 0);   // dry runs and missing keys: nothing written
    }

    void everyRouteIsInTheMatrix()
    {
        const auto routes = m_http.op("GET", QStringLiteral("/v1/system/routes"));
        QCOMPARE(routes.status, 200);
        QSet<QString> inTable;
        for (const Row &r : rows) {
            QString path = QString::fromLatin1(r.path);
            if (path.count(QLatin1Char('.')) >= 2)
                path = kSettings + QStringLiteral("/{key}");
            inTable.insert(QString::fromLatin1(r.method) + QLatin1Char(' ') + path);
        }
        int mine = 0;
        for (const QJsonValue &v : routes.json().value(QStringLiteral("routes")).toArray()) {
            const QString path = v.toObject().value(QStringLiteral("path")).toString();
            if (!path.startsWith(kSettings))
                continue;
            ++mine;
            const QString key = v.toObject().value(QStringLiteral("method")).toString() + QLatin1Char(' ') + path;
            QVERIFY2(inTable.contains(key), qPrintable(key + QStringLiteral(" is not in the matrix")));
        }
        QCOMPARE(mine, int(std::size(rows)));
    }

    void liveKeyAppliesWithoutRestart()
    {
        const auto r = m_http.op("PUT", keyPath(kClaim), jsonBody({{"value", 3}, {"reason", "busy weekend"}}));
        QCOMPARE(r.status, 200);
        const QJsonObject s = r.json();
        QCOMPARE(s.value("value").toInt(), 3);
        QCOMPARE(s.value("effective").toInt(), 3);
        QCOMPARE(s.value("source").toString(), QStringLiteral("runtime"));
        QVERIFY(!s.value("pending").toBool());
        QCOMPARE(storedValue(kClaim), QStringLiteral("3"));

        // The admin plugin claims for 3 minutes now, not 10: no restart happened.
        Account author = m_http.registerUser(QStringLiteral("author"));
        Account reporter = m_http.registerUser(QStringLiteral("reporter"));
        QVERIFY(!m_http.createCommunity(author, QStringLiteral("settled")).isEmpty());
        const QString postId = m_http.createPost(author, QStringLiteral("settled"), QStringLiteral("Buy now")).value("id").toString();
        QVERIFY(!postId.isEmpty());
        QCOMPARE(m_http.call("POST", QStringLiteral("/v1/reports"), reporter.token,
                             jsonBody({{"targetType", "post"}, {"targetId", postId}, {"reason", "spam"}})).status, 201);
        const QJsonObject item = m_http.waitForQueueItem(postId, 1);
        QVERIFY(!item.isEmpty());
        const auto claimed = m_http.call("POST", QStringLiteral("/v1/admin/queue/%1/claim").arg(item.value("id").toString()),
                                         m_http.admin.token, "{}");
        QCOMPARE(claimed.status, 200);
        const QDateTime expires = QDateTime::fromString(claimed.json().value("claim").toObject().value("expiresAt").toString(), Qt::ISODateWithMs);
        QVERIFY(expires.isValid());
        const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(expires);
        QVERIFY2(seconds > 150 && seconds <= 185, qPrintable(QString::number(seconds)));

        // Audited with before and after, the reason and the caller.
        const QJsonArray audit = m_http.waitForAudit(QStringLiteral("action=setting.change&targetId=") + kClaim);
        QCOMPARE(audit.size(), 1);
        const QJsonObject row = audit.first().toObject();
        QCOMPARE(row.value("reason").toString(), QStringLiteral("busy weekend"));
        QCOMPARE(row.value("before").toObject().value("value").toInt(), 10);
        QCOMPARE(row.value("after").toObject().value("value").toInt(), 3);
    }

    void restartRequiredKeyIsPending()
    {
        const auto r = m_http.op("PUT", keyPath(kIdle), jsonBody({{"value", 45000}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("value").toInt(), 45000);
        QCOMPARE(r.json().value("effective").toInt(), 60000);
        QVERIFY(r.json().value("pending").toBool());
        QVERIFY(r.json().value("restartRequired").toBool());
        // The diff shows it, with what is in force.
        bool seen = false;
        for (const QJsonValue &v : m_http.op("GET", kSettings + QStringLiteral("/diff")).json().value("changes").toArray()) {
            const QJsonObject c = v.toObject();
            if (c.value("key").toString() != kIdle)
                continue;
            seen = true;
            QCOMPARE(c.value("default").toInt(), 60000);
            QVERIFY(c.value("pending").toBool());
        }
        QVERIFY(seen);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=setting.change&targetId=") + kIdle).size(), 1);
    }

    void badValuesAreRefusedWithTheStartupErrors_data()
    {
        QTest::addColumn<QByteArray>("requestBody");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("below range") << jsonBody({{"value", 0}}) << QStringLiteral("range") << QStringLiteral("must be between 1 and 1440, got 0");
        QTest::newRow("above range") << jsonBody({{"value", 5000}}) << QStringLiteral("range") << QStringLiteral("must be between 1 and 1440, got 5000");
        QTest::newRow("not an integer") << jsonBody({{"value", "ten"}}) << QStringLiteral("type") << QStringLiteral("must be an integer");
        QTest::newRow("fraction") << jsonBody({{"value", 2.5}}) << QStringLiteral("type") << QStringLiteral("must be an integer");
        QTest::newRow("no value") << jsonBody({{"reason", "x"}}) << QStringLiteral("required") << QStringLiteral("");
    }

    void badValuesAreRefusedWithTheStartupErrors()
    {
        QFETCH(QByteArray, requestBody);
        QFETCH(QString, code);
        QFETCH(QString, message);
        const qint64 auditBefore = m_http.scalar("SELECT count(*) FROM admin.audit_log");
        const auto r = m_http.op("PUT", keyPath(kClaim), requestBody);
        QCOMPARE(r.status, 400);
        QVERIFY(r.header("content-type").startsWith("application/problem+json"));
        const QJsonObject e = firstFieldError(r);
        QCOMPARE(e.value("field").toString(), kClaim);
        QCOMPARE(e.value("code").toString(), code);
        if (!message.isEmpty())
            QCOMPARE(e.value("message").toString(), message);
        QCOMPARE(storedValue(kClaim), QStringLiteral("3"));
        QCOMPARE(setting(kClaim).value("effective").toInt(), 3);
        QThread::msleep(300);   // an audit event would have been consumed by now
        QCOMPARE(m_http.scalar("SELECT count(*) FROM admin.audit_log"), auditBefore);

        // A key nobody reads is not a setting.
        QCOMPARE(m_http.op("PUT", keyPath(QStringLiteral("plugins.admin.claimMinutez")), jsonBody({{"value", 3}})).status, 404);
    }

    void environmentKeyIsReadOnlyWithTheReason()
    {
        for (const QByteArray method : {QByteArrayLiteral("PUT"), QByteArrayLiteral("DELETE")}) {
            const auto r = m_http.op(method, keyPath(kSweep), method == "PUT" ? jsonBody({{"value", 500}}) : QByteArray());
            QCOMPARE(r.status, 409);
            QCOMPARE(r.json().value("type").toString(), QStringLiteral("https://community.example/problems/setting-read-only"));
            QVERIFY2(r.json().value("detail").toString().contains(QLatin1String(kSweepVariable)), r.body.constData());
            QCOMPARE(firstFieldError(r).value("code").toString(), QStringLiteral("read_only"));
        }
        QCOMPARE(storedValue(kSweep), QString());
        // Secrets cannot be stored at all.
        QCOMPARE(m_http.op("PUT", keyPath(QStringLiteral("database.url")), jsonBody({{"value", "postgres://x"}})).status, 409);
    }

    void importIsAllOrNothing()
    {
        const qint64 rows = storedRows();
        // One unknown key: nothing is written, the unknown key is named.
        auto r = m_http.op("POST", kSettings + QStringLiteral("/import"),
                           jsonBody({{"settings", QJsonObject{{kClaim, 4}, {"plugins.admin.noSuchKey", 1}}}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(firstFieldError(r).value("field").toString(), QStringLiteral("plugins.admin.noSuchKey"));
        QCOMPARE(firstFieldError(r).value("code").toString(), QStringLiteral("unknown"));
        // One bad value, one read-only key: the same.
        r = m_http.op("POST", kSettings + QStringLiteral("/import"),
                      jsonBody({{"settings", QJsonObject{{kClaim, 4}, {"plugins.admin.maxPageSize", 0}, {kSweep, 100}}}}));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value("errors").toArray().size(), 2);
        // A dry run checks and writes nothing.
        r = m_http.op("POST", kSettings + QStringLiteral("/import"),
                      jsonBody({{"settings", QJsonObject{{kClaim, 4}, {"plugins.admin.maxPageSize", 50}}}, {"dryRun", true}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("changed").toArray().size(), 2);
        QCOMPARE(storedRows(), rows);
        QCOMPARE(storedValue(kClaim), QStringLiteral("3"));

        r = m_http.op("POST", kSettings + QStringLiteral("/import"),
                      jsonBody({{"settings", QJsonObject{{kClaim, 4}, {"plugins.admin.maxPageSize", 50}}}, {"reason", "from staging"}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(storedValue(kClaim), QStringLiteral("4"));
        QCOMPARE(storedValue(QStringLiteral("plugins.admin.maxPageSize")), QStringLiteral("50"));
        QCOMPARE(setting(kClaim).value("effective").toInt(), 4);

        // Export gives the runtime layer back, ready for another import.
        const QJsonObject exported = m_http.op("GET", kSettings + QStringLiteral("/export")).json();
        QCOMPARE(exported.value("version").toInt(), 1);
        const QJsonObject layer = exported.value("settings").toObject();
        QCOMPARE(layer.value(kClaim).toInt(), 4);
        QCOMPARE(layer.value(kIdle).toInt(), 45000);
        QCOMPARE(layer.size(), 3);
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=setting.change&targetId=plugins.admin.maxPageSize")).size(), 1);
    }

    void restartKeepsTheRuntimeLayer()
    {
        QCOMPARE(m_http.daemon.stop(), 0);
        QVERIFY2(m_http.daemon.restart(), qPrintable(m_http.daemon.errorString() + QString::fromUtf8(m_http.daemon.output().right(3000))));
        const QJsonObject claim = setting(kClaim);
        QCOMPARE(claim.value("value").toInt(), 4);
        QCOMPARE(claim.value("effective").toInt(), 4);
        QCOMPARE(claim.value("source").toString(), QStringLiteral("runtime"));
        // The pending value is in force after the restart.
        const QJsonObject idle = setting(kIdle);
        QCOMPARE(idle.value("effective").toInt(), 45000);
        QVERIFY(!idle.value("pending").toBool());
        QCOMPARE(idle.value("source").toString(), QStringLiteral("runtime"));
        // The environment still wins over nothing stored, and still says why.
        QCOMPARE(setting(kSweep).value("source").toString(), QStringLiteral("environment"));
    }

    void resetReturnsToTheFileOrTheDefault()
    {
        // No runtime value: nothing to remove, nothing written.
        auto r = m_http.op("DELETE", keyPath(kPageSize));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("source").toString(), QStringLiteral("file"));

        r = m_http.op("DELETE", keyPath(kClaim));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("value").toInt(), 10);
        QCOMPARE(r.json().value("effective").toInt(), 10);   // live: at once
        QCOMPARE(r.json().value("source").toString(), QStringLiteral("default"));
        QCOMPARE(storedValue(kClaim), QString());

        r = m_http.op("DELETE", keyPath(kIdle));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("value").toInt(), 60000);   // the file's
        QCOMPARE(r.json().value("effective").toInt(), 45000);
        QVERIFY(r.json().value("pending").toBool());
        QCOMPARE(m_http.waitForAudit(QStringLiteral("action=setting.reset&targetId=") + kClaim).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TstSettings)
#include "tst_settings.moc"
