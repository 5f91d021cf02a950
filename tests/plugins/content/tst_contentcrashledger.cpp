// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// kill -9 of communityd under comment-write load, with a ledger: every comment request
// carries its own Idempotency-Key and is written down before it is sent. After the
// daemon is started again on the same database, every request that got no answer is
// retried with its key (as a client would). Then: no acknowledged comment lost, no request
// applied twice, a retried request that had committed returns the original comment, and
// the post's and author's counters equal the rows.

#include "contenthttp.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUuid>

using namespace Content::Test;

namespace {

struct Entry {
    QByteArray key;
    QByteArray body;
    QString commentId;   // empty until acknowledged
};

// Keeps `parallel` comment requests in flight until stopped; all answers land in `ledger`.
class CommentLoad : public QObject {
public:
    CommentLoad(QUrl url, QByteArray token, int parallel)
        : m_url(std::move(url)), m_token(std::move(token)), m_parallel(parallel) {}

    QList<Entry> ledger;

    void start()
    {
        m_running = true;
        for (int i = 0; i < m_parallel; ++i)
            send();
    }
    void stop() { m_running = false; }
    int acknowledged() const
    {
        return int(std::count_if(ledger.begin(), ledger.end(), [](const Entry &e) { return !e.commentId.isEmpty(); }));
    }

private:
    void send()
    {
        const qsizetype index = ledger.size();
        const QByteArray key = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        ledger.append({key, "{\"body\":\"ledger " + key + "\"}", {}});  // written down before it is sent
        QNetworkRequest req(m_url);
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        req.setRawHeader("Authorization", "Bearer " + m_token);
        req.setRawHeader("Idempotency-Key", key);
        req.setTransferTimeout(10'000);
        QNetworkReply *reply = m_nam.post(req, ledger[index].body);
        connect(reply, &QNetworkReply::finished, this, [this, reply, index] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 201)
                ledger[index].commentId = QJsonDocument::fromJson(reply->readAll()).object().value("id").toString();
            if (m_running && status != 0)
                send();
        });
    }

    QNetworkAccessManager m_nam;
    QUrl m_url;
    QByteArray m_token;
    int m_parallel;
    bool m_running = false;
};

} // namespace

class TstContentCrashLedger : public QObject {
    Q_OBJECT
    ContentHttp h;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(&error), qPrintable(error));
    }

    void killNineUnderCommentLoad()
    {
        const Account owner = h.registerUser(QStringLiteral("ledger_owner"));
        const Account writer = h.registerUser(QStringLiteral("ledger_writer"));
        QVERIFY(!writer.token.isEmpty());
        h.createCommunity(owner, QStringLiteral("ledger"));
        QVERIFY(h.call("POST", QStringLiteral("/v1/communities/ledger/join"), writer.token).status / 100 == 2);
        const QString postId = h.createPost(owner, QStringLiteral("ledger"), QStringLiteral("Crash target"))
                                   .value("id").toString();
        QVERIFY(!postId.isEmpty());

        CommentLoad load(h.url(QStringLiteral("/v1/posts/%1/comments").arg(postId)), writer.token, 16);
        load.start();
        QTest::qWait(1500);
        h.daemon.kill();  // SIGKILL, mid-load
        load.stop();
        QTest::qWait(300);  // the in-flight replies fail
        const int acknowledgedBefore = load.acknowledged();
        QVERIFY2(acknowledgedBefore > 20, "too few writes before the kill to mean anything");

        QVERIFY2(h.daemon.restart(), qPrintable(h.daemon.errorString()));
        // The client retries everything that got no answer, with the same key and body.
        QList<Entry> ledger = load.ledger;
        int retried = 0;
        int replayed = 0;
        for (Entry &e : ledger) {
            const auto r = h.call("POST", QStringLiteral("/v1/posts/%1/comments").arg(postId), writer.token, e.body,
                                  {{"Idempotency-Key", e.key}});
            QVERIFY2(r.status == 201, r.body.constData());
            const QString id = r.json().value("id").toString();
            if (!e.commentId.isEmpty()) {
                QCOMPARE(id, e.commentId);  // acknowledged: the original comes back, not a second one
            } else {
                ++retried;
                e.commentId = id;
            }
            if (r.header("Idempotent-Replayed") == "true")
                ++replayed;
        }
        qInfo("%d requests: %d acknowledged before the kill, %d without an answer retried after the restart, "
              "%d answered from the idempotency store", int(ledger.size()), acknowledgedBefore, retried, replayed);

        // Exactly one comment per ledger entry, and the counters agree with the rows.
        QSet<QString> ids;
        for (const Entry &e : std::as_const(ledger))
            ids.insert(e.commentId);
        QCOMPARE(ids.size(), ledger.size());
        QCOMPARE(h.scalar("SELECT count(*) FROM content.comments WHERE body LIKE 'ledger %'"), qint64(ledger.size()));
        QCOMPARE(h.scalar("SELECT count(DISTINCT body) FROM content.comments WHERE body LIKE 'ledger %'"),
                 qint64(ledger.size()));
        const auto post = h.call("GET", QStringLiteral("/v1/posts/%1").arg(postId), writer.token);
        QCOMPARE(post.status, 200);
        QCOMPARE(qint64(post.json().value("post").toObject().value("commentCount").toInteger()), qint64(ledger.size()));
        QCOMPARE(h.scalar("SELECT comment_count FROM content.posts WHERE id = " + postId.toStdString()),
                 qint64(ledger.size()));
        QCOMPARE(h.scalar("SELECT count(*) FROM content.comments WHERE post_id = " + postId.toStdString()),
                 qint64(ledger.size()));
        // One content.comment.created event per comment: none lost with a rolled-back write,
        // none doubled by a retry.
        QCOMPARE(h.scalar("SELECT count(*) FROM events.outbox WHERE type = 'content.comment.created'"),
                 qint64(ledger.size()));
    }
};

QTEST_MAIN(TstContentCrashLedger)
#include "tst_contentcrashledger.moc"
