// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
//
// The contexts file shared by communityctl and community-console: round trip, mode 0600,
// refusal of files others may read, bad entries, a dangling "current".
#include "community/client/contexts.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Community::Client;

namespace {

QString write(const QTemporaryDir &dir, const QByteArray &json, QFileDevice::Permissions mode = QFileDevice::ReadOwner | QFileDevice::WriteOwner)
{
    const QString path = dir.filePath(QStringLiteral("contexts.json"));
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(json);
    f.close();
    QFile::setPermissions(path, mode);
    return path;
}

} // namespace

class TestContextStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void roundTrip();
    void badInputRefused();
};

void TestContextStore::roundTrip()
{
    const QString path = m_dir.filePath(QStringLiteral("new/dir/contexts.json"));
    ContextStore store(path);
    QVERIFY(store.load().has_value());   // missing file: empty
    QVERIFY(store.contexts().isEmpty());
    const Context prod{QStringLiteral("prod"), QUrl(QStringLiteral("https://c.example:8443")), QStringLiteral("tok"), {}};
    const Context dev{QStringLiteral("dev"), QUrl(QStringLiteral("http://127.0.0.1:8080")), {}, QStringLiteral("/t")};
    QVERIFY(store.put(prod).has_value());
    QVERIFY(store.put(dev).has_value());
    QVERIFY(store.use(QStringLiteral("dev")).has_value());
    QVERIFY(store.save().has_value());
    QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteOther),
             QFileDevice::Permissions{});
    ContextStore again(path);
    QVERIFY(again.load().has_value());
    QCOMPARE(again.current(), QStringLiteral("dev"));
    QCOMPARE(again.find(QStringLiteral("prod"))->token, QStringLiteral("tok"));
    QCOMPARE(again.find(QStringLiteral("dev"))->credentialSummary(), QStringLiteral("token file /t"));
    QVERIFY(again.remove(QStringLiteral("dev")).has_value());
    QCOMPARE(again.current(), QString());
    QCOMPARE(again.remove(QStringLiteral("dev")).error().code, Community::ErrorCode::NotFound);
}

void TestContextStore::badInputRefused()
{
    ContextStore store(m_dir.filePath(QStringLiteral("unused.json")));
    const Context spaced{QStringLiteral("a b"), QUrl(QStringLiteral("http://h:1")), {}, {}};
    QCOMPARE(store.put(spaced).error().code, Community::ErrorCode::InvalidArgument);
    for (const char *url : {"ftp://h", "http://user:pw@h:1", "http://h:1/path", "h:1"}) {
        const Context bad{QStringLiteral("x"), QUrl(QString::fromLatin1(url)), {}, {}};
        QVERIFY2(!store.put(bad).has_value(), url);
    }
    QVERIFY(!ContextStore(write(m_dir, "[1,2]")).load().has_value());
    const QByteArray twice = R"({"contexts":[{"name":"a","server":"http://h:1"},{"name":"a","server":"http://h:2"}]})";
    QVERIFY(!ContextStore(write(m_dir, twice)).load().has_value());
    ContextStore dangling(write(m_dir, R"({"current":"gone","contexts":[{"name":"a","server":"http://h:1"}]})"));
    QVERIFY(dangling.load().has_value());
    QCOMPARE(dangling.current(), QString());
    const auto readable = ContextStore(write(m_dir, R"({"contexts":[]})", QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                                       | QFileDevice::ReadGroup)).load();
    QVERIFY(!readable.has_value());
    QVERIFY(readable.error().message.contains(QStringLiteral("chmod 600")));
}

QTEST_GUILESS_MAIN(TestContextStore)
#include "tst_contextstore.moc"
