// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// UsersService + repository against the real test PostgreSQL, with an in-memory user
// directory standing in for auth: lazy profiles, patches, follow counts under
// concurrency, blocks, pagination, search ranking and hostile queries, account changes.

#include "fakedirectory.h"
#include "testdb.h"
#include "usersservice.h"

#include "community/database.h"
#include "community/host/migrator.h"

#include <QtTest>

#include <latch>
#include <set>
#include <thread>

using namespace Community;
using namespace Users;
using Users::Test::FakeDirectory;

class TstUsersRepository : public QObject {
    Q_OBJECT

    std::unique_ptr<Community::Test::TestDb> m_tdb;
    std::unique_ptr<Db::Database> m_db;
    std::unique_ptr<FakeDirectory> m_dir;
    std::unique_ptr<UsersService> m_svc;

    Profile profile(qint64 id)
    {
        auto v = m_svc->profileOf(id);
        if (!v)
            qWarning() << v.error().message << v.error().logDetail;
        return v ? v->profile : Profile{};
    }
    QString name(qint64 id) { return m_dir->get(id).username; }
    /// A new account announced like auth does (Registered), so search sees it at once.
    qint64 registered(const QString &username)
    {
        const qint64 id = m_dir->add(username);
        if (!m_svc->applyChange({Contracts::UserChange::Kind::Registered, m_dir->get(id)}))
            qWarning() << "applyChange failed";
        return id;
    }
    QStringList names(const QList<ListedUser> &list)
    {
        QStringList out;
        for (const auto &u : list)
            out << u.username;
        return out;
    }
    qint64 count(const char *sql)
    {
        auto r = m_db->transact<qint64>([&](pqxx::work &tx) -> Result<qint64> { return tx.exec(sql)[0][0].as<qint64>(); });
        return r ? *r : -1;
    }

private Q_SLOTS:
    void init()
    {
        m_tdb = std::make_unique<Community::Test::TestDb>();
        m_db = std::make_unique<Db::Database>(m_tdb->config(6));
        QVERIFY(m_db->open());
        auto set = loadMigrations(QStringLiteral("users"), QStringLiteral(USERS_MIGRATIONS_DIR));
        QVERIFY2(set, set ? "" : qPrintable(set.error().message));
        auto m = Migrator(*m_db).migrate({*set});
        QVERIFY2(m, m ? "" : qPrintable(m.error().message + m.error().logDetail));
        m_dir = std::make_unique<FakeDirectory>();
        m_svc = std::make_unique<UsersService>(*m_db, *m_dir, UsersConfig{});
    }

    void cleanup()
    {
        m_svc.reset();
        if (m_db)
            m_db->close();
        m_db.reset();
        m_tdb.reset();
    }

    void profileCreatedLazilyAndCaseInsensitive()
    {
        const qint64 id = m_dir->add(QStringLiteral("Alice"));
        auto v = m_svc->profileByUsername(QStringLiteral("aLiCe"), 0);
        QVERIFY(v);
        QCOMPARE(v->profile.userId, id);
        QCOMPARE(v->profile.displayName, QStringLiteral("Alice"));
        QCOMPARE(v->profile.state, QStringLiteral("active"));
        QVERIFY(!v->relationship);
        auto missing = m_svc->profileByUsername(QStringLiteral("nobody"), 0);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void patchAndSettingsMerge()
    {
        const qint64 id = m_dir->add(QStringLiteral("bob"));
        ProfilePatch p = *validateProfilePatch(QJsonDocument::fromJson(
            "{\"displayName\":\"Bob B\",\"bio\":\"hello\",\"avatarUrl\":\"https:\/\/x.example\/b.png\",\"locale\":\"ko-KR\",\"timeZone\":\"Asia\/Seoul\",\"settings\":{\"theme\":\"dark\",\"emailNotifications\":true}}").object());
        QVERIFY(m_svc->updateProfile(id, p));
        ProfilePatch p2 = *validateProfilePatch(QJsonDocument::fromJson(
            "{\"avatarUrl\":null,\"settings\":{\"theme\":null,\"language\":\"en\"}}").object());
        auto v = m_svc->updateProfile(id, p2);
        QVERIFY(v);
        QCOMPARE(v->profile.displayName, QStringLiteral("Bob B"));
        QCOMPARE(v->profile.bio, QStringLiteral("hello"));
        QCOMPARE(v->profile.avatarUrl, QString());
        QCOMPARE(v->profile.locale, QStringLiteral("ko-KR"));
        QCOMPARE(v->profile.timeZone, QStringLiteral("Asia/Seoul"));
        QCOMPARE(v->profile.settings, (QJsonObject{{"emailNotifications", true}, {"language", "en"}}));
    }

    void followIdempotentWithCounts()
    {
        const qint64 a = m_dir->add(QStringLiteral("a1")), b = m_dir->add(QStringLiteral("b1"));
        QCOMPARE(*m_svc->act(a, name(b), Action::Follow), Outcome::Changed);
        QCOMPARE(*m_svc->act(a, name(b), Action::Follow), Outcome::Unchanged);
        QCOMPARE(profile(b).followersCount, 1);
        QCOMPARE(profile(a).followingCount, 1);
        auto rel = m_svc->profileByUsername(name(b), a);
        QVERIFY(rel->relationship && rel->relationship->following && !rel->relationship->followedBy);
        QCOMPARE(*m_svc->act(a, name(b), Action::Unfollow), Outcome::Changed);
        QCOMPARE(*m_svc->act(a, name(b), Action::Unfollow), Outcome::Unchanged);
        QCOMPARE(profile(b).followersCount, 0);
        QCOMPARE(profile(a).followingCount, 0);
        QCOMPARE(*m_svc->act(a, name(a), Action::Follow), Outcome::Self);
        QCOMPARE(m_svc->act(a, QStringLiteral("ghost"), Action::Follow).error().code, ErrorCode::NotFound);
    }

    void concurrentFollowsExact()
    {
        const qint64 star = m_dir->add(QStringLiteral("star"));
        QList<qint64> fans;
        for (int i = 0; i < 50; ++i)
            fans << m_dir->add(QStringLiteral("fan%1").arg(i));
        std::latch go(50);
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (qint64 fan : fans) {
            threads.emplace_back([&, fan] {
                go.arrive_and_wait();
                // Follow twice and also follow back from the star's side: nothing may double count.
                auto r1 = m_svc->act(fan, QStringLiteral("star"), Action::Follow);
                auto r2 = m_svc->act(fan, QStringLiteral("star"), Action::Follow);
                if (!r1 || !r2)
                    ++failures;
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(profile(star).followersCount, 50);
        QCOMPARE(count("SELECT count(*) FROM users.follows"), 50);
    }

    void mutualFollowsDoNotDeadlock()
    {
        QList<qint64> ids;
        for (int i = 0; i < 8; ++i)
            ids << m_dir->add(QStringLiteral("m%1").arg(i));
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        for (qint64 a : ids) {
            threads.emplace_back([&, a] {
                for (qint64 b : ids) {
                    if (a != b && !m_svc->act(a, name(b), Action::Follow))
                        ++failures;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        for (qint64 a : ids) {
            QCOMPARE(profile(a).followersCount, 7);
            QCOMPARE(profile(a).followingCount, 7);
        }
    }

    void blockRemovesFollowsAndPreventsNew()
    {
        const qint64 a = m_dir->add(QStringLiteral("blocker")), b = m_dir->add(QStringLiteral("blockee"));
        QVERIFY(m_svc->act(a, name(b), Action::Follow));
        QVERIFY(m_svc->act(b, name(a), Action::Follow));
        QCOMPARE(profile(a).followersCount, 1);
        QCOMPARE(*m_svc->act(a, name(b), Action::Block), Outcome::Changed);
        QCOMPARE(*m_svc->act(a, name(b), Action::Block), Outcome::Unchanged);
        for (qint64 id : {a, b}) {
            QCOMPARE(profile(id).followersCount, 0);
            QCOMPARE(profile(id).followingCount, 0);
        }
        QCOMPARE(*m_svc->act(b, name(a), Action::Follow), Outcome::Blocked);
        QCOMPARE(*m_svc->act(a, name(b), Action::Follow), Outcome::Blocked);
        auto blocks = m_svc->ownList(Relation::Blocks, a, std::nullopt, 10);
        QCOMPARE(names(blocks->items), QStringList{QStringLiteral("blockee")});
        QCOMPARE(*m_svc->act(a, name(b), Action::Unblock), Outcome::Changed);
        QCOMPARE(*m_svc->act(b, name(a), Action::Follow), Outcome::Changed);
        QCOMPARE(profile(a).followersCount, 1);
    }

    void muteIdempotent()
    {
        const qint64 a = m_dir->add(QStringLiteral("muter")), b = m_dir->add(QStringLiteral("noisy"));
        QCOMPARE(*m_svc->act(a, name(b), Action::Mute), Outcome::Changed);
        QCOMPARE(*m_svc->act(a, name(b), Action::Mute), Outcome::Unchanged);
        QCOMPARE(names(m_svc->ownList(Relation::Mutes, a, std::nullopt, 10)->items), QStringList{QStringLiteral("noisy")});
        QVERIFY(m_svc->profileByUsername(name(b), a)->relationship->muting);
        QCOMPARE(*m_svc->act(a, name(b), Action::Unmute), Outcome::Changed);
        QVERIFY(m_svc->ownList(Relation::Mutes, a, std::nullopt, 10)->items.isEmpty());
    }

    void paginationStableWhileFollowsArrive()
    {
        const qint64 target = m_dir->add(QStringLiteral("popular"));
        QList<qint64> early;
        for (int i = 0; i < 25; ++i) {
            early << m_dir->add(QStringLiteral("early%1").arg(i));
            QVERIFY(m_svc->act(early.last(), QStringLiteral("popular"), Action::Follow));
        }
        std::set<QString> seen;
        std::optional<KeysetCursor> cursor;
        int pages = 0;
        int late = 0;
        do {
            auto page = m_svc->relationList(Relation::Followers, QStringLiteral("popular"), Community::Principal{}, cursor, 10);
            QVERIFY(page);
            for (const auto &u : page->items)
                QVERIFY2(seen.insert(u.username).second, qPrintable(u.username));
            cursor = page->next;
            ++pages;
            // New follows arrive between pages: they are newer, so they never show up later.
            const qint64 id = m_dir->add(QStringLiteral("late%1").arg(late++));
            QVERIFY(m_svc->act(id, QStringLiteral("popular"), Action::Follow));
        } while (cursor);
        QCOMPARE(pages, 3);
        QCOMPARE(int(seen.size()), 25);
        QVERIFY(seen.count(QStringLiteral("early0")) && seen.count(QStringLiteral("early24")));
        auto first = m_svc->relationList(Relation::Followers, QStringLiteral("popular"), Community::Principal{}, std::nullopt, 1);
        QCOMPARE(first->items.value(0).username, QStringLiteral("late%1").arg(late - 1));   // newest first
        auto following = m_svc->relationList(Relation::Following, QStringLiteral("early3"), Community::Principal{}, std::nullopt, 10);
        QCOMPARE(names(following->items), QStringList{QStringLiteral("popular")});
    }

    void searchPrefixFuzzyKorean()
    {
        const qint64 kim = registered(QStringLiteral("minsu"));
        const qint64 lee = registered(QStringLiteral("leeminsu"));
        registered(QStringLiteral("alice"));
        registered(QStringLiteral("alicia"));
        registered(QStringLiteral("malice"));
        const qint64 susp = registered(QStringLiteral("alice_suspended"));
        auto setName = [&](qint64 id, const QString &dn) {
            ProfilePatch p;
            p.displayName = OptionalText{true, false, dn};
            QVERIFY(m_svc->updateProfile(id, p));
        };
        setName(kim, QStringLiteral("김민수"));
        setName(lee, QStringLiteral("이민수"));
        auto s = m_dir->get(susp);
        QVERIFY(m_svc->profileOf(susp));
        s.state = Contracts::AccountState::Suspended;
        m_dir->set(s);
        QVERIFY(m_svc->applyChange({Contracts::UserChange::Kind::Suspended, s}));

        auto korean = m_svc->search(QStringLiteral("김민"), 0, 10);
        QVERIFY(korean);
        QVERIFY(!korean->items.isEmpty());
        QCOMPARE(korean->items.first().displayName, QStringLiteral("김민수"));
        QVERIFY(m_svc->search(QStringLiteral("김민수"), 0, 10)->items.first().userId == kim);

        auto prefix = m_svc->search(QStringLiteral("ali"), 0, 10);
        QStringList got = names(prefix->items);
        QVERIFY2(got.contains(QStringLiteral("alice")) && got.contains(QStringLiteral("alicia")), qPrintable(got.join(',')));
        QVERIFY2(!got.contains(QStringLiteral("alice_suspended")), qPrintable(got.join(',')));

        auto exact = m_svc->search(QStringLiteral("alice"), 0, 10);
        QCOMPARE(exact->items.first().username, QStringLiteral("alice"));   // exact before prefix/fuzzy

        auto typo = m_svc->search(QStringLiteral("alcie"), 0, 10);
        QVERIFY2(names(typo->items).contains(QStringLiteral("alice")), qPrintable(names(typo->items).join(',')));

        for (const char *hostile : {"%", "_", "a%", "\\", "'; drop table users.profiles; --", "a_c"}) {
            auto r = m_svc->search(QString::fromUtf8(hostile), 0, 10);
            QVERIFY2(r, hostile);
            if (QByteArray(hostile) == "%" || QByteArray(hostile) == "_")
                QVERIFY2(r->items.size() < 5, hostile);   // escaped: not "match everything"
        }
    }

    void searchRankingAndPaging()
    {
        // Prefix matches rank by followers; the exact match still comes first.
        QList<qint64> ids;
        for (int i = 0; i < 5; ++i)
            ids << registered(QStringLiteral("jo%1").arg(i));
        const qint64 jo = registered(QStringLiteral("jo"));
        const qint64 f = registered(QStringLiteral("fanx"));
        const qint64 g = registered(QStringLiteral("fany"));
        QVERIFY(m_svc->act(f, QStringLiteral("jo3"), Action::Follow));
        QVERIFY(m_svc->act(g, QStringLiteral("jo3"), Action::Follow));
        QVERIFY(m_svc->act(f, QStringLiteral("jo1"), Action::Follow));
        Q_UNUSED(jo);
        auto all = m_svc->search(QStringLiteral("jo"), 0, 10);
        QCOMPARE(names(all->items).mid(0, 3), (QStringList{"jo", "jo3", "jo1"}));
        auto p1 = m_svc->search(QStringLiteral("jo"), 0, 4);
        QVERIFY(p1->nextOffset);
        auto p2 = m_svc->search(QStringLiteral("jo"), *p1->nextOffset, 4);
        QCOMPARE(names(p1->items) + names(p2->items), names(all->items));
        QVERIFY(!p2->nextOffset);
    }

    void accountChangesApplied()
    {
        const qint64 a = m_dir->add(QStringLiteral("renamer")), b = m_dir->add(QStringLiteral("friend"));
        auto rec = m_dir->get(a);
        QVERIFY(m_svc->applyChange({Contracts::UserChange::Kind::Registered, rec}));
        QCOMPARE(profile(a).displayName, QStringLiteral("renamer"));
        QVERIFY(m_svc->act(a, name(b), Action::Follow));
        QVERIFY(m_svc->act(b, name(a), Action::Follow));
        rec.username = QStringLiteral("renamed");
        m_dir->set(rec);
        QVERIFY(m_svc->applyChange({Contracts::UserChange::Kind::Updated, rec}));
        QCOMPARE(names(m_svc->search(QStringLiteral("renamed"), 0, 5)->items).value(0), QStringLiteral("renamed"));
        QVERIFY(m_svc->applyChange({Contracts::UserChange::Kind::Deleted, rec}));
        m_dir->remove(a);
        QCOMPARE(profile(b).followersCount, 0);
        QCOMPARE(profile(b).followingCount, 0);
    }
};

QTEST_GUILESS_MAIN(TstUsersRepository)
#include "tst_usersrepository.moc"
