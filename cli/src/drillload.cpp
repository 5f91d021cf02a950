// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "drillload.h"

#include "community/client/blockingclient.h"
#include "community/client/realtimeclient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTimer>

#include <utility>

namespace Community::Ctl::Drills {

using Client::ApiReply;
using Client::BlockingClient;

namespace {

QString password() { return QStringLiteral("drill-password-4f1c"); }

QString problemText(const ApiReply &r)
{
    if (r.status == 0)
        return r.timedOut ? QStringLiteral("no answer (timeout)") : QStringLiteral("no answer: ") + r.transportError;
    return QStringLiteral("%1 %2").arg(r.status).arg(QString::fromUtf8(r.body.left(200)));
}

} // namespace

LoadGenerator::LoadGenerator(QUrl baseUrl, std::chrono::milliseconds timeout)
    : m_base(std::move(baseUrl)), m_timeout(timeout)
{
}

LoadGenerator::~LoadGenerator()
{
    stop();
    stopListeners();
}

QString LoadGenerator::prepare(const QString &runId)
{
    m_runId = runId;
    m_username = QStringLiteral("drill_%1").arg(runId.right(10));
    BlockingClient anon(m_base, {}, m_timeout);
    const ApiReply made = anon.post(QStringLiteral("/v1/auth/register"),
                                    {{QStringLiteral("username"), m_username},
                                     {QStringLiteral("email"), m_username + QStringLiteral("@drills.invalid")},
                                     {QStringLiteral("password"), password()}});
    if (!made.ok() && made.status != 409)
        return QStringLiteral("register %1: %2").arg(m_username, problemText(made));
    const ApiReply in = anon.post(QStringLiteral("/v1/auth/login"), {{QStringLiteral("login"), m_username},
                                                                     {QStringLiteral("password"), password()}});
    m_token = in.jsonObject().value_or(QJsonObject()).value(QStringLiteral("accessToken")).toString().toUtf8();
    if (m_token.isEmpty())
        return QStringLiteral("login %1: %2").arg(m_username, problemText(in));
    BlockingClient me(m_base, QString::fromUtf8(m_token), m_timeout);
    const ApiReply lab = me.post(QStringLiteral("/v1/communities"), {{QStringLiteral("slug"), QStringLiteral("drills")},
                                                                   {QStringLiteral("title"), QStringLiteral("Chaos drills")},
                                                                   {QStringLiteral("description"), QStringLiteral("Where drills write.")}});
    if (!lab.ok() && lab.status != 409)
        return QStringLiteral("community: %1").arg(problemText(lab));
    const ApiReply post = me.post(QStringLiteral("/v1/communities/drills/posts"),
                                  {{QStringLiteral("title"), QStringLiteral("Drill %1").arg(runId)},
                                   {QStringLiteral("body"), QStringLiteral("Target of drill %1.").arg(runId)}});
    m_postId = post.jsonObject().value_or(QJsonObject()).value(QStringLiteral("id")).toString();
    return m_postId.isEmpty() ? QStringLiteral("post: %1").arg(problemText(post)) : QString();
}

void LoadGenerator::start(const Load &load)
{
    stop();
    m_kind = load.kind == QLatin1String("posts") ? QStringLiteral("posts") : QStringLiteral("comments");
    if (load.kind == QLatin1String("websocket") && !m_listenerThread)
        listen(load.clients);
    m_running = true;
    for (int i = 0; i < load.concurrency; ++i) {
        m_workers.emplace_back(QThread::create([this, load, i] { work(load, i); }));
        m_workers.back()->start();
    }
}

void LoadGenerator::stop()
{
    m_running = false;
    for (auto &t : m_workers)
        t->wait();
    m_workers.clear();
}

LoadCounts LoadGenerator::counts() const
{
    std::lock_guard lock(m_ledgerMutex);
    return LoadCounts{m_requests.load(), m_errors.load(), m_hung.load(), qint64(m_ledger.size())};
}

// One worker: its own client (and event loop for it), requests back to back.
void LoadGenerator::work(const Load &load, int worker)
{
    BlockingClient client(m_base, QString::fromUtf8(m_token), m_timeout);
    QRandomGenerator rng(quint32(worker) * 7919u + QRandomGenerator::global()->generate());
    const QString postPath = QStringLiteral("/v1/posts/") + m_postId;
    // Paced: each worker takes its share of the rate, one request per slot.
    const qint64 slotMs = load.ratePerSecond > 0 ? qint64(1000.0 * load.concurrency / load.ratePerSecond) : 0;
    QElapsedTimer clock;
    clock.start();
    for (qint64 n = 0; m_running; ++n) {
        while (slotMs > 0 && m_running && clock.elapsed() < n * slotMs)
            QThread::msleep(quint64(std::min<qint64>(50, n * slotMs - clock.elapsed())));
        if (!m_running)
            break;
        const QString key = QStringLiteral("drill-%1-w%2-n%3").arg(m_runId).arg(worker).arg(n);
        const bool write = load.kind == QLatin1String("posts") || load.kind == QLatin1String("websocket")
                           || (load.kind == QLatin1String("comments") && rng.generateDouble() < load.writeShare);
        ApiReply r;
        if (write && load.kind == QLatin1String("posts")) {
            r = client.post(QStringLiteral("/v1/communities/drills/posts"),
                            {{QStringLiteral("title"), key}, {QStringLiteral("body"), QStringLiteral("Ledger entry ") + key}});
        } else if (write) {
            r = client.post(postPath + QStringLiteral("/comments"), {{QStringLiteral("body"), key}});
        } else {
            r = client.get(n % 2 ? postPath : postPath + QStringLiteral("/comments"));
        }
        ++m_requests;
        if (r.status == 0)
            ++m_hung;
        else if (r.status >= 500)
            ++m_errors;
        if (write && r.status == 201) {
            std::lock_guard lock(m_ledgerMutex);
            m_ledger.insert(key, r.jsonObject().value_or(QJsonObject()).value(QStringLiteral("id")).toString());
        }
    }
}

// Every acknowledged write must read back, once.
Reconciliation LoadGenerator::reconcile()
{
    QHash<QString, QString> ledger;
    {
        std::lock_guard lock(m_ledgerMutex);
        ledger = m_ledger;
    }
    Reconciliation out;
    // Reading back is not under test: a generous timeout, so a busy node is not "lost".
    BlockingClient client(m_base, QString::fromUtf8(m_token), m_timeout * 3);
    const QString one = m_kind == QLatin1String("posts") ? QStringLiteral("/v1/posts/") : QStringLiteral("/v1/comments/");
    for (auto it = ledger.cbegin(); it != ledger.cend(); ++it) {
        ++out.checked;
        const ApiReply r = client.get(one + it.value());
        if (r.status == 404 || it.value().isEmpty())
            ++out.lost;
        else if (!r.ok())
            return out.error = QStringLiteral("reading %1 back: %2").arg(it.value(), problemText(r)), out;
    }
    // Duplicates: a key stored under more than one id.
    QHash<QString, int> seen;
    const QString list = m_kind == QLatin1String("posts") ? QStringLiteral("/v1/users/%1/posts") : QStringLiteral("/v1/users/%1/comments");
    QString cursor;
    do {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
        if (!cursor.isEmpty())
            q.addQueryItem(QStringLiteral("cursor"), cursor);
        const ApiReply page = client.get(list.arg(m_username), q);
        if (!page.ok())
            return out.error = QStringLiteral("listing the drill's writes: %1").arg(problemText(page)), out;
        const QJsonObject o = page.jsonObject().value_or(QJsonObject());
        for (const QJsonValue &v : o.value(QStringLiteral("items")).toArray()) {
            const QJsonObject item = v.toObject();
            const QString key = m_kind == QLatin1String("posts") ? item.value(QStringLiteral("title")).toString()
                                                                 : item.value(QStringLiteral("body")).toString().trimmed();
            if (key.startsWith(QLatin1String("drill-")) && ++seen[key] == 2)
                ++out.duplicates;
        }
        cursor = o.value(QStringLiteral("nextCursor")).toString();
    } while (!cursor.isEmpty());
    if (m_kind == QLatin1String("posts"))
        checkProjection(ledger, out);
    if (m_listenerThread)
        checkDelivery(ledger, out);
    out.lost += out.projectionMissing;
    out.duplicates += out.projectionDuplicates;
    return out;
}

// The search projection of the acknowledged posts: each found exactly once (a sample of
// up to 40, one query each).
void LoadGenerator::checkProjection(const QHash<QString, QString> &ledger, Reconciliation &out)
{
    BlockingClient client(m_base, QString::fromUtf8(m_token), m_timeout * 3);
    int n = 0;
    for (auto it = ledger.cbegin(); it != ledger.cend() && n < 40; ++it, ++n) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("q"), it.key());
        q.addQueryItem(QStringLiteral("limit"), QStringLiteral("50"));
        const ApiReply r = client.get(QStringLiteral("/v1/search"), q);
        if (!r.ok()) {
            out.error = QStringLiteral("searching %1: %2").arg(it.key(), problemText(r));
            return;
        }
        int found = 0;
        for (const QJsonValue &v : r.jsonObject().value_or(QJsonObject()).value(QStringLiteral("items")).toArray())
            found += v.toObject().value(QStringLiteral("id")).toString() == it.value() ? 1 : 0;
        if (found == 0)
            ++out.projectionMissing;
        else if (found > 1)
            ++out.projectionDuplicates;
    }
}

void LoadGenerator::listen(int clients)
{
    {
        std::lock_guard lock(m_ledgerMutex);
        m_received = QList<QSet<QString>>(clients);
    }
    m_listening = true;
    m_subscribed = 0;
    m_listenerThread.reset(QThread::create([this, clients] {
        std::vector<std::unique_ptr<Client::RealtimeClient>> subscribers;
        for (int i = 0; i < clients; ++i) {
            auto c = std::make_unique<Client::RealtimeClient>(m_base, QString::fromUtf8(m_token));
            c->setReconnectDelay(200, 2000);
            QObject::connect(c.get(), &Client::RealtimeClient::subscribed, c.get(), [this, first = true]() mutable {
                if (std::exchange(first, false))
                    ++m_subscribed;
            });
            QObject::connect(c.get(), &Client::RealtimeClient::event, c.get(),
                             [this, i](const QString &, const QJsonObject &data, qint64, bool) {
                                 std::lock_guard lock(m_ledgerMutex);
                                 m_received[i].insert(data.value(QStringLiteral("commentId")).toString());
                             });
            c->subscribe(QStringLiteral("post:") + m_postId);
            c->open();
            subscribers.push_back(std::move(c));
        }
        QEventLoop loop;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (!m_listening)
                loop.quit();
        });
        poll.start(100);
        loop.exec();
    }));
    m_listenerThread->start();
    // Every subscription is confirmed before the first write: a client that subscribes
    // later starts at the topic's head and would miss the first comments (a loaded CI
    // machine took over a second to connect six sockets).
    QElapsedTimer waited;
    waited.start();
    while (m_subscribed.load() < clients && waited.elapsed() < 20'000)
        QThread::msleep(20);
}

void LoadGenerator::stopListeners()
{
    m_listening = false;
    if (m_listenerThread)
        m_listenerThread->wait();
    m_listenerThread.reset();
}

// Every acknowledged comment reaches every subscriber, through resume after a cut (waits
// up to 15 s for the stragglers).
void LoadGenerator::checkDelivery(const QHash<QString, QString> &ledger, Reconciliation &out)
{
    QElapsedTimer t;
    t.start();
    for (;;) {
        qint64 missing = 0;
        {
            std::lock_guard lock(m_ledgerMutex);
            for (const QSet<QString> &got : std::as_const(m_received)) {
                for (const QString &id : ledger)
                    missing += got.contains(id) ? 0 : 1;
            }
        }
        out.undelivered = missing;
        if (missing == 0 || t.elapsed() > 15'000)
            break;
        QThread::msleep(200);
    }
    stopListeners();
}

} // namespace Community::Ctl::Drills
