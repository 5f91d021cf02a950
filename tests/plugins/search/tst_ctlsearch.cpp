// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The built communityctl's search commands (search status|stats|reindex) against a live
// communityd with the auth, users, content and search plugins. stdin of the binary is a
// pipe, never a terminal: reindex without --yes must refuse.

#include "searchhttp.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>

using namespace Search::Test;

namespace {

struct CtlRun {
    int exitCode = -1;
    QString out;
    QString err;
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

} // namespace

class TstCtlSearch : public QObject {
    Q_OBJECT

    SearchHttp m_http;
    Account m_author;

    CtlRun ctl(QStringList args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &key : env.keys()) {
            if (key.startsWith(QLatin1String("COMMUNITY_")))
                env.remove(key);
        }
        p.setProcessEnvironment(env);
        args.prepend(m_http.daemon.operatorToken());
        args.prepend(QStringLiteral("--token"));
        args.prepend(m_http.daemon.baseUrl().toString());
        args.prepend(QStringLiteral("--server"));
        p.start(QStringLiteral(COMMUNITY_BIN_DIR "/communityctl"), args);
        p.closeWriteChannel();
        p.waitForFinished(60'000);
        return CtlRun{p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(QStringLiteral(COMMUNITY_BIN_DIR "/communityctl")), "communityctl is not built");
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_author = m_http.registerUser(QStringLiteral("writer"));
        QVERIFY(!m_http.createCommunity(m_author, QStringLiteral("ctl"), QStringLiteral("커뮤니티 도구")).isEmpty());
        QVERIFY(!m_http.createPost(m_author, QStringLiteral("ctl"), QStringLiteral("회원 가입 안내"), QStringLiteral("body")).isEmpty());
        QVERIFY(!m_http.createPost(m_author, QStringLiteral("ctl"), QStringLiteral("Operator guide"), QStringLiteral("reindex it")).isEmpty());
        QVERIFY(m_http.waitIndexed());
        m_http.search(QStringLiteral("회원"));
        m_http.search(QStringLiteral("회원"));
        m_http.search(QStringLiteral("nothinghere"));
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void status()
    {
        const CtlRun table = ctl({QStringLiteral("search"), QStringLiteral("status")});
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QVERIFY2(table.out.contains(QStringLiteral("consumer:")) && table.out.contains(QStringLiteral("search.index")),
                 qPrintable(table.out));
        QVERIFY2(table.out.contains(QStringLiteral("post:")), qPrintable(table.out));
        const CtlRun json = ctl({QStringLiteral("search"), QStringLiteral("status"), QStringLiteral("-o"), QStringLiteral("json")});
        QCOMPARE(json.exitCode, 0);
        QCOMPARE(json.json().value("documents").toObject().value("post").toObject().value("searchable").toInt(), 2);
    }

    void stats()
    {
        const CtlRun table = ctl({QStringLiteral("search"), QStringLiteral("stats"), QStringLiteral("--days"), QStringLiteral("1")});
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QVERIFY2(table.out.contains(QStringLiteral("top queries")) && table.out.contains(QStringLiteral("회원")),
                 qPrintable(table.out));
        QVERIFY2(table.out.contains(QStringLiteral("top zero-result queries")) && table.out.contains(QStringLiteral("nothinghere")),
                 qPrintable(table.out));
        const CtlRun json = ctl({QStringLiteral("search"), QStringLiteral("stats"), QStringLiteral("-o"), QStringLiteral("json")});
        QCOMPARE(json.exitCode, 0);
        QCOMPARE(json.json().value("topQueries").toArray().at(0).toObject().value("query").toString(), QStringLiteral("회원"));
        QCOMPARE(json.json().value("searches").toInt(), 3);
        QCOMPARE(ctl({QStringLiteral("search"), QStringLiteral("stats"), QStringLiteral("--days"), QStringLiteral("0")}).exitCode, 2);
    }

    void reindex()
    {
        const QStringList before = SearchHttp::keys(m_http.search(QStringLiteral("회원 OR guide")));
        // A pipe is not a terminal: no --yes, no reindex.
        const CtlRun refused = ctl({QStringLiteral("search"), QStringLiteral("reindex")});
        QCOMPARE(refused.exitCode, 2);
        const CtlRun dry = ctl({QStringLiteral("search"), QStringLiteral("reindex"), QStringLiteral("--dry-run")});
        QVERIFY2(dry.exitCode == 0 && dry.out.contains(QStringLiteral("empty the search index")), qPrintable(dry.out + dry.err));
        QCOMPARE(m_http.status().value("documents").toObject().value("post").toObject().value("total").toInt(), 2);

        const CtlRun done = ctl({QStringLiteral("search"), QStringLiteral("reindex"), QStringLiteral("--yes"), QStringLiteral("--wait")});
        QVERIFY2(done.exitCode == 0, qPrintable(done.out + done.err));
        QVERIFY2(done.out.contains(QStringLiteral("reindexed:")), qPrintable(done.out));
        QCOMPARE(SearchHttp::keys(m_http.search(QStringLiteral("회원 OR guide"))), before);

        const CtlRun json = ctl({QStringLiteral("search"), QStringLiteral("reindex"), QStringLiteral("--yes"), QStringLiteral("-o"),
                                 QStringLiteral("json")});
        QCOMPARE(json.exitCode, 0);
        QCOMPARE(json.json().value("consumer").toString(), QStringLiteral("search.index"));
        QVERIFY(m_http.waitIndexed(qint64(json.json().value("targetEventId").toDouble())));
    }
};

QTEST_GUILESS_MAIN(TstCtlSearch)
#include "tst_ctlsearch.moc"
