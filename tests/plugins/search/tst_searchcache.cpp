// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The result cache of search answers (docs/search.md, "Result cache") on a real database:
// a repeated search or suggestion is a hit; any index write by the indexer (edit, vote,
// removal, new post), applied through another node's connection, makes the next read
// recompute and reflect it; entries expire; the memory bound evicts; hidden authors are
// part of the key; a service with the cache off answers the same.

#include "indexer.h"
#include "resultcache.h"
#include "searchservice.h"
#include "testdb.h"

#include "community/contracts/events/content.h"
#include "community/database.h"
#include "community/host/migrator.h"

#include <pqxx/pqxx>

#include <QtTest>

using namespace Community;
using namespace Search;
namespace ContentEvents = Community::Contracts::Events::Content;

namespace {

struct Fixture {
    Test::TestDb tdb;
    Db::Database db{tdb.config(2)};
    qint64 nextEvent = 1;

    bool open()
    {
        if (!db.open())
            return false;
        auto set = loadMigrations(QStringLiteral("search"), QStringLiteral(SEARCH_MIGRATIONS_DIR));
        return set && Migrator(db).migrate({*set});
    }

    /// Applies one event through the real indexer on a connection of its own (another
    /// node's indexer, as far as the services under test know).
    void index(const QString &type, const QJsonObject &payload)
    {
        Events::Event e;
        e.id = nextEvent++;
        e.type = type;
        e.payload = payload;
        e.createdAt = QDateTime::currentDateTimeUtc();
        pqxx::connection c(tdb.conninfo());
        pqxx::work tx(c);
        Indexer::apply(tx, Indexer::prepare(e));
        tx.commit();
    }

    void post(qint64 id, const QString &title, const QString &body, int revision = 0, qint64 author = 7,
              const QString &state = QStringLiteral("visible"))
    {
        ContentEvents::PostChanged p;
        p.type = state != QLatin1String("visible") ? ContentEvents::Type::PostRemoved
                 : revision                          ? ContentEvents::Type::PostEdited
                                                     : ContentEvents::Type::PostCreated;
        p.state = state;
        p.postId = id;
        p.communityId = 1;
        p.communitySlug = QStringLiteral("food");
        p.authorId = author;
        p.authorName = QStringLiteral("cook%1").arg(author);
        p.title = title;
        p.body = body;
        p.revision = revision;
        p.createdAt = QDateTime::currentDateTimeUtc().addSecs(-id);
        index(p.typeName(), p.toJson());
    }

    void vote(qint64 post, int score)
    {
        ContentEvents::VoteChanged v;
        v.targetType = QStringLiteral("post");
        v.targetId = post;
        v.postId = post;
        v.userId = 99;
        v.value = 1;
        v.score = score;
        index(v.typeName(), v.toJson());
    }
};

SearchRequest request(const QString &q, int offset = 0, int limit = 20)
{
    SearchRequest r;
    r.query = *parseQuery(q, SearchConfig());
    r.offset = offset;
    r.limit = limit;
    return r;
}

QList<qint64> ids(const SearchPage &page)
{
    QList<qint64> out;
    for (const SearchHit &h : page.items)
        out.append(h.id);
    return out;
}

} // namespace

class TstSearchCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void repeatedSearchIsAHitAndIndexWritesInvalidate()
    {
        Fixture f;
        QVERIFY(f.open());
        for (qint64 id = 1; id <= 3; ++id)
            f.post(id, QStringLiteral("Pasta recipe %1").arg(id), QStringLiteral("Boil the pasta in salted water."));
        // One node answers; the index is written through other connections.
        SearchService node(f.db, nullptr, SearchConfig());

        auto first = node.search(request(u"pasta"_qs));
        QVERIFY(first);
        QCOMPARE(first->total, 3);
        QCOMPARE(node.pageCacheCounts().misses, 1);
        auto again = node.search(request(u"pasta"_qs));
        QVERIFY(again);
        QCOMPARE(node.pageCacheCounts().hits, 1);
        QCOMPARE(ids(*again), ids(*first));
        QVERIFY(again->queryId && first->queryId && *again->queryId != *first->queryId);   // analytics per request

        // Edit: post 2 no longer mentions pasta.
        f.post(2, u"Risotto"_qs, u"Stir the rice."_qs, 1);
        auto edited = node.search(request(u"pasta"_qs));
        QVERIFY(edited);
        QCOMPARE(edited->total, 2);
        QVERIFY(!ids(*edited).contains(2));
        QCOMPARE(node.pageCacheCounts().misses, 2);

        // Vote: the score shown and the ranking move on the next read.
        f.vote(3, 40);
        auto voted = node.search(request(u"pasta"_qs));
        QVERIFY(voted);
        QCOMPARE(voted->items.first().id, 3);
        QCOMPARE(voted->items.first().score, 40);

        // A new post is found at once.
        f.post(4, u"Pasta al forno"_qs, u"Bake it."_qs);
        auto added = node.search(request(u"pasta"_qs));
        QVERIFY(added);
        QCOMPARE(added->total, 3);
        QVERIFY(ids(*added).contains(4));

        // Removal (state removed) hides it on the next read.
        f.post(4, u"Pasta al forno"_qs, u"Bake it."_qs, 2, 7, u"removed"_qs);
        auto gone = node.search(request(u"pasta"_qs));
        QVERIFY(gone);
        QVERIFY(!ids(*gone).contains(4));
        QCOMPARE(node.pageCacheCounts().hits, 1);   // every read after a write recomputed
        f.db.close();
    }

    void twoNodesEachSeeTheOthersIndexWrites()
    {
        Fixture f;
        QVERIFY(f.open());
        f.post(1, u"Kimchi stew"_qs, u"Kimchi, pork and tofu."_qs);
        Db::Database other(f.tdb.config(2));
        QVERIFY(other.open());
        SearchService a(f.db, nullptr, SearchConfig());
        SearchService b(other, nullptr, SearchConfig());
        QCOMPARE(a.search(request(u"kimchi"_qs))->total, 1);
        QCOMPARE(b.search(request(u"kimchi"_qs))->total, 1);
        QCOMPARE(b.search(request(u"kimchi"_qs))->total, 1);
        QCOMPARE(b.pageCacheCounts().hits, 1);
        f.post(2, u"Kimchi pancake"_qs, u"Flour and kimchi."_qs);
        QCOMPARE(a.search(request(u"kimchi"_qs))->total, 2);
        QCOMPARE(b.search(request(u"kimchi"_qs))->total, 2);
        other.close();
        f.db.close();
    }

    void suggestionsAreCachedAndInvalidated()
    {
        Fixture f;
        QVERIFY(f.open());
        f.post(1, u"Pastel colours"_qs, u"Soft."_qs);
        SearchService node(f.db, nullptr, SearchConfig());
        auto texts = [&] {
            QStringList out;
            for (const Suggestion &s : *node.suggest(u"past"_qs, 10))
                out.append(s.text);
            return out;
        };
        QCOMPARE(texts(), QStringList{u"Pastel colours"_qs});
        QCOMPARE(texts(), QStringList{u"Pastel colours"_qs});
        QCOMPARE(node.suggestCacheCounts().hits, 1);
        f.post(2, u"Pastry cream"_qs, u"Eggs."_qs);
        QVERIFY(texts().contains(u"Pastry cream"_qs));
        QCOMPARE(node.suggestCacheCounts().misses, 2);
        f.db.close();
    }

    void entriesExpire()
    {
        Fixture f;
        QVERIFY(f.open());
        f.post(1, u"Bibimbap"_qs, u"Rice and vegetables."_qs);
        SearchConfig cfg;
        cfg.resultCacheSeconds = 1;
        SearchService node(f.db, nullptr, cfg);
        QVERIFY(node.search(request(u"bibimbap"_qs)));
        QVERIFY(node.search(request(u"bibimbap"_qs)));
        QCOMPARE(node.pageCacheCounts().hits, 1);
        QTest::qWait(1100);
        QVERIFY(node.search(request(u"bibimbap"_qs)));
        QCOMPARE(node.pageCacheCounts().hits, 1);
        QCOMPARE(node.pageCacheCounts().misses, 2);
        f.db.close();
    }

    void memoryBoundEvictsLeastRecentlyUsed()
    {
        Fixture f;
        QVERIFY(f.open());
        const QString body = QStringLiteral("Noodles with broth. ").repeated(40);
        for (qint64 id = 1; id <= 100; ++id)
            f.post(id, QStringLiteral("Noodle soup number %1").arg(id), body);
        SearchConfig cfg;
        cfg.resultCacheMb = 1;   // pages get 768 KiB
        SearchService node(f.db, nullptr, cfg);
        // 40 distinct pages of 50 hits with 200-character snippets: about twice the bound.
        for (int offset = 0; offset < 40; ++offset)
            QVERIFY(node.search(request(u"noodle"_qs, offset, 50)));
        QVERIFY(node.pageCacheCounts().evictions > 0);
        const qint64 misses = node.pageCacheCounts().misses;
        QVERIFY(node.search(request(u"noodle"_qs, 0, 50)));   // the oldest went first
        QCOMPARE(node.pageCacheCounts().misses, misses + 1);
        QVERIFY(node.search(request(u"noodle"_qs, 39, 50)));   // the newest is still there
        QCOMPARE(node.pageCacheCounts().hits, 1);
        f.db.close();
    }

    void hiddenAuthorsArePartOfTheKey()
    {
        Fixture f;
        QVERIFY(f.open());
        f.post(1, u"Tteokbokki"_qs, u"Spicy rice cakes."_qs, 0, 7);
        f.post(2, u"Tteokbokki again"_qs, u"Less spicy."_qs, 0, 8);
        SearchService node(f.db, nullptr, SearchConfig());
        QCOMPARE(node.search(request(u"tteokbokki"_qs))->total, 2);
        SearchRequest hiding = request(u"tteokbokki"_qs);
        hiding.hiddenAuthors = {7};
        auto page = node.search(hiding);
        QVERIFY(page);
        QCOMPARE(ids(*page), QList<qint64>{2});
        QCOMPARE(node.pageCacheCounts().hits, 0);
        f.db.close();
    }

    void cacheOffAnswersTheSame()
    {
        Fixture f;
        QVERIFY(f.open());
        for (qint64 id = 1; id <= 5; ++id)
            f.post(id, QStringLiteral("Dumpling %1").arg(id), QStringLiteral("Mandu."));
        f.vote(4, 10);
        SearchConfig off;
        off.resultCacheMb = 0;
        SearchService cached(f.db, nullptr, SearchConfig());
        SearchService uncached(f.db, nullptr, off);
        for (int i = 0; i < 2; ++i) {
            auto a = cached.search(request(u"dumpling"_qs));
            auto b = uncached.search(request(u"dumpling"_qs));
            QVERIFY(a && b);
            QCOMPARE(ids(*a), ids(*b));
        }
        QCOMPARE(uncached.pageCacheCounts().hits + uncached.pageCacheCounts().misses, 0);
        QCOMPARE(cached.pageCacheCounts().hits, 1);
        f.db.close();
    }
};

QTEST_GUILESS_MAIN(TstSearchCache)
#include "tst_searchcache.moc"
