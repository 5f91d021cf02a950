// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// search_seed: fills the search schema with generated communities, users and posts
// (mixed Korean and English, Zipf-distributed vocabulary, a few rare marker words)
// through the real indexer: each item is a content/users event payload that goes
// through Indexer::prepare() (the shared text analysis) and Indexer::apply() (the
// projection's SQL), exactly as the search.index consumer would apply it, only batched
// into larger transactions and spread over --jobs connections. For tests/bench/search_bench.sh.
//
//   search_seed --conninfo "host=... dbname=community" --posts 100000 [--jobs 2] [--seed 42]

#include "indexer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>

#include <pqxx/pqxx>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>
#include <vector>

using Community::Events::Event;
using namespace Search;

namespace {

constexpr qint64 kIdBase = 10'000'000;   // far above ids the daemon hands out in a bench run

const QStringList kEnglish = QStringLiteral(
    "community search post user server data forum thread question answer help update release performance design "
    "code test database index query network error issue feature guide tips news event review the a of and to in is "
    "for with on new how best free open source project team support build deploy cloud security privacy mobile app "
    "web page link video music game photo travel food recipe movie book school work home city weather sport health "
    "money market price sale job career student teacher library language learning korean english history science "
    "space energy climate water garden animal cat dog bird fish tree flower river mountain ocean island bridge road")
                                 .split(QLatin1Char(' '));

const QStringList kKorean = QStringLiteral(
    "커뮤니티 회원 가입 공지 게시판 검색 질문 답변 서버 데이터 개발 운영 정보 이벤트 후기 추천 문제 해결 업데이트 기능 "
    "디자인 성능 보안 설정 사용자 프로그램 한국어 학교 회사 여행 음식 영화 음악 게임 사진 날씨 운동 건강 시장 가격 "
    "직업 학생 선생님 도서관 언어 공부 역사 과학 우주 에너지 기후 물 정원 동물 고양이 강아지 나무 꽃 강 산 바다 섬 "
    "다리 도로 친구 가족 주말 아침 저녁 시간 생각 마음 이야기 사람 세상 나라 도시 마을 집 방 책 편지 선물")
                                .split(QLatin1Char(' '));

// Particles by batchim (after a final consonant / after a vowel) and verb endings.
const QStringList kJosaConsonant{QStringLiteral("은"), QStringLiteral("이"), QStringLiteral("을"), QStringLiteral("과"),
                                 QStringLiteral("으로"), QStringLiteral("의"), QStringLiteral("에서"), QStringLiteral("에게"),
                                 QStringLiteral("도")};
const QStringList kJosaVowel{QStringLiteral("는"), QStringLiteral("가"), QStringLiteral("를"), QStringLiteral("와"),
                             QStringLiteral("로"), QStringLiteral("의"), QStringLiteral("에서"), QStringLiteral("에게"),
                             QStringLiteral("도")};
const QStringList kEndings{QStringLiteral("했습니다"), QStringLiteral("합니다"), QStringLiteral("하는"), QStringLiteral("입니다")};

bool hasBatchim(const QString &word)
{
    const char16_t c = word.isEmpty() ? 0 : word.back().unicode();
    return c >= 0xAC00 && c <= 0xD7A3 && (c - 0xAC00) % 28 != 0;
}

/// Zipf-like pick: index ~ n * u^3 (small indexes common).
const QString &pick(const QStringList &list, QRandomGenerator &rng)
{
    const double u = rng.generateDouble();
    return list.at(qMin(list.size() - 1, int(list.size() * u * u * u)));
}

QString koreanWord(QRandomGenerator &rng)
{
    QString w = pick(kKorean, rng);
    const int r = int(rng.bounded(10));
    if (r < 5)
        w += (hasBatchim(w) ? kJosaConsonant : kJosaVowel).at(int(rng.bounded(kJosaVowel.size())));
    else if (r == 5)
        w += kEndings.at(int(rng.bounded(kEndings.size())));
    return w;
}

QString sentence(QRandomGenerator &rng, int words, double korean)
{
    QStringList out;
    for (int i = 0; i < words; ++i)
        out << (rng.generateDouble() < korean ? koreanWord(rng) : pick(kEnglish, rng));
    return out.join(QLatin1Char(' '));
}

Event event(qint64 id, const char *type, QJsonObject payload)
{
    Event e;
    e.id = id;
    e.type = QString::fromLatin1(type);
    e.payload = std::move(payload);
    e.createdAt = QDateTime::currentDateTimeUtc();
    return e;
}

QString iso(const QDateTime &t) { return t.toUTC().toString(Qt::ISODateWithMs); }

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Seed the search index through the real indexer."));
    cli.addHelpOption();
    cli.addOption({QStringLiteral("conninfo"), QStringLiteral("libpq connection string"), QStringLiteral("conninfo")});
    cli.addOption({QStringLiteral("posts"), QStringLiteral("posts (default 100000)"), QStringLiteral("n"), QStringLiteral("100000")});
    cli.addOption({QStringLiteral("communities"), QStringLiteral("communities (default 20)"), QStringLiteral("n"), QStringLiteral("20")});
    cli.addOption({QStringLiteral("users"), QStringLiteral("users (default 2000)"), QStringLiteral("n"), QStringLiteral("2000")});
    cli.addOption({QStringLiteral("jobs"), QStringLiteral("connections (default 1: jobs contend on shared tag rows)"), QStringLiteral("n"), QStringLiteral("1")});
    cli.addOption({QStringLiteral("batch"), QStringLiteral("events per transaction (default 500)"), QStringLiteral("n"), QStringLiteral("500")});
    cli.addOption({QStringLiteral("seed"), QStringLiteral("random seed (default 42)"), QStringLiteral("n"), QStringLiteral("42")});
    cli.process(app);
    const std::string conninfo = cli.value(QStringLiteral("conninfo")).toStdString();
    const int posts = cli.value(QStringLiteral("posts")).toInt();
    const int communities = qMax(1, cli.value(QStringLiteral("communities")).toInt());
    const int users = qMax(1, cli.value(QStringLiteral("users")).toInt());
    const int jobs = qBound(1, cli.value(QStringLiteral("jobs")).toInt(), 16);
    const int batch = qMax(1, cli.value(QStringLiteral("batch")).toInt());
    const quint32 seed = cli.value(QStringLiteral("seed")).toUInt();
    if (conninfo.empty()) {
        std::fprintf(stderr, "search_seed: --conninfo is required\n");
        return 2;
    }

    QElapsedTimer timer;
    timer.start();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::atomic<int> done{0};
    std::atomic<bool> failed{false};

    auto runRange = [&](int job) {
        try {
            pqxx::connection conn(conninfo);
            QRandomGenerator rng(seed + quint32(job) * 7919u);
            qint64 eventId = kIdBase * 10 + job;   // unique per job, increasing
            auto applyAll = [&](const std::vector<Event> &events) {
                std::vector<PreparedEvent> prepared;
                prepared.reserve(events.size());
                for (const Event &e : events)
                    prepared.push_back(Indexer::prepare(e));
                // Jobs meet on shared tag rows: a deadlock rolls one batch back; apply()
                // is idempotent, so the batch simply runs again.
                for (int attempt = 1;; ++attempt) {
                    try {
                        pqxx::work tx(conn);
                        tx.exec("SET LOCAL synchronous_commit = off");
                        for (const PreparedEvent &p : prepared)
                            Indexer::apply(tx, p);
                        tx.commit();
                        return;
                    } catch (const pqxx::transaction_rollback &) {
                        if (attempt >= 10)
                            throw;
                    }
                }
            };
            std::vector<Event> pending;
            auto flush = [&] {
                if (!pending.empty())
                    applyAll(pending);
                pending.clear();
            };
            // Job 0: communities and users first.
            if (job == 0) {
                for (int c = 1; c <= communities; ++c) {
                    const bool ko = c % 2 == 0;
                    pending.push_back(event(eventId += jobs, "content.community.created", QJsonObject{
                        {QStringLiteral("id"), QString::number(kIdBase + c)},
                        {QStringLiteral("slug"), QStringLiteral("bench-%1").arg(c)},
                        {QStringLiteral("title"), ko ? QStringLiteral("%1 커뮤니티 %2").arg(pick(kKorean, rng)).arg(c)
                                                     : QStringLiteral("%1 community %2").arg(pick(kEnglish, rng)).arg(c)},
                        {QStringLiteral("description"), sentence(rng, 20, ko ? 0.7 : 0.2)},
                        {QStringLiteral("memberCount"), int(rng.bounded(5000))},
                        {QStringLiteral("createdAt"), iso(now.addDays(-400))},
                        {QStringLiteral("createdBy"), QJsonObject{{QStringLiteral("id"), QString::number(kIdBase + 1)},
                                                                  {QStringLiteral("username"), QStringLiteral("seeduser1")}}}}));
                }
                for (int u = 1; u <= users; ++u) {
                    pending.push_back(event(eventId += jobs, "users.profile.created", QJsonObject{
                        {QStringLiteral("userId"), QString::number(kIdBase + u)},
                        {QStringLiteral("username"), QStringLiteral("seeduser%1").arg(u)},
                        {QStringLiteral("displayName"), u % 3 == 0 ? pick(kKorean, rng) + QStringLiteral(" 님") : QStringLiteral("Seed User %1").arg(u)},
                        {QStringLiteral("bio"), sentence(rng, 8, 0.5)},
                        {QStringLiteral("state"), QStringLiteral("active")},
                        {QStringLiteral("createdAt"), iso(now.addDays(-300))}}));
                    if (int(pending.size()) >= batch)
                        flush();
                }
                flush();
            }
            for (int i = job; i < posts; i += jobs) {
                const bool ko = rng.generateDouble() < 0.5;
                const double share = ko ? 0.75 : 0.15;   // mixed text either way
                QString title = sentence(rng, 4 + int(rng.bounded(6)), share);
                QString body = sentence(rng, 30 + int(rng.bounded(60)), share);
                // Rare markers: about ten posts each.
                if (i % 10'000 == 7)
                    body += QStringLiteral(" zephyrine");
                if (i % 10'000 == 3)
                    title += QStringLiteral(" 무지개송어");
                QJsonArray tags;
                for (int t = int(rng.bounded(3)); t > 0; --t)
                    tags.append(ko ? pick(kKorean, rng) : pick(kEnglish, rng));
                const int community = 1 + int(communities * std::pow(rng.generateDouble(), 2));
                const int author = 1 + int(rng.bounded(users));
                const int score = int(std::floor(std::pow(rng.generateDouble(), 6) * 500)) - 2;
                const qint64 id = kIdBase + i + 1;
                pending.push_back(event(eventId += jobs, "content.post.created", QJsonObject{
                    {QStringLiteral("postId"), QString::number(id)},
                    {QStringLiteral("communityId"), QString::number(kIdBase + community)},
                    {QStringLiteral("communitySlug"), QStringLiteral("bench-%1").arg(community)},
                    {QStringLiteral("authorId"), QString::number(kIdBase + author)},
                    {QStringLiteral("authorName"), QStringLiteral("seeduser%1").arg(author)},
                    {QStringLiteral("title"), title},
                    {QStringLiteral("body"), body},
                    {QStringLiteral("tags"), tags},
                    {QStringLiteral("state"), QStringLiteral("visible")},
                    {QStringLiteral("score"), score},
                    {QStringLiteral("revision"), 1},
                    {QStringLiteral("createdAt"), iso(now.addSecs(-qint64(rng.bounded(365 * 86400))))}}));
                if (int(pending.size()) >= batch) {
                    flush();
                    const int n = done.fetch_add(batch) + batch;
                    if (n / 10'000 != (n - batch) / 10'000)
                        std::fprintf(stderr, "search_seed: %d posts (%.0f s)\n", n, double(timer.elapsed()) / 1000.0);
                }
            }
            flush();
        } catch (const std::exception &e) {
            std::fprintf(stderr, "search_seed: job %d: %s\n", job, e.what());
            failed = true;
        }
    };
    std::vector<std::thread> threads;
    for (int j = 0; j < jobs; ++j)
        threads.emplace_back(runRange, j);
    for (auto &t : threads)
        t.join();
    if (failed)
        return 1;
    try {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        // What autovacuum would do after a bulk load: flush the GIN pending lists, statistics.
        tx.exec("VACUUM ANALYZE search.documents");
        tx.exec("VACUUM ANALYZE search.suggestions");
        tx.exec("VACUUM ANALYZE search.vocabulary");
    } catch (const std::exception &e) {
        std::fprintf(stderr, "search_seed: analyze: %s\n", e.what());
        return 1;
    }
    std::printf("seeded %d communities, %d users, %d posts in %.1f s\n", communities, users, posts,
                double(timer.elapsed()) / 1000.0);
    return 0;
}
