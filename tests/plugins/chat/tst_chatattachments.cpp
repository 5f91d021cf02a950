// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Chat attachments over real HTTP: communityd with the real auth, users, files and chat
// plugins and the test PostgreSQL. A sender attaches files it uploaded (files plugin, its
// IFileAccess contract); a foreign or unknown file id is refused and writes nothing; room
// members download through the chat route (membership checked, then a short signed files
// link), non-members do not; deletion and purge give the references back so the owner can
// delete the file; a node without the files plugin refuses attachments (503).

#include "chathttp.h"

#include <QBuffer>
#include <QColor>
#include <QImage>

#include <QDateTime>
#include <QUrl>

using namespace Chat::Test;

namespace {

/// A small PNG (an avatar: a purpose chat does not accept).
QByteArray png()
{
    QImage img(8, 8, QImage::Format_RGB32);
    img.fill(QColor(30, 120, 200));
    QByteArray out;
    QBuffer buf(&out);
    buf.open(QIODevice::WriteOnly);
    img.save(&buf, "PNG");
    return out;
}

} // namespace

class TstChatAttachments : public QObject {
    Q_OBJECT

    ChatHttp m_http;
    Member m_ann, m_bob, m_cat;   // ann and bob share a room; cat is not in it
    QString m_room;

    qint64 scalar(const QString &sql)
    {
        pqxx::connection c(m_http.daemon.database()->conninfo());
        pqxx::nontransaction tx(c);
        return tx.exec(sql.toStdString())[0][0].as<qint64>();
    }
    /// Uploads `data` as `purpose`; the file id.
    QString upload(const Member &who, const QByteArray &data, const QString &name,
                   const QString &purpose = QStringLiteral("attachment"))
    {
        auto r = m_http.call("POST", QStringLiteral("/v1/files?purpose=%1&name=%2").arg(purpose, name), who.account.token, data,
                             {{"Content-Type", "application/octet-stream"}});
        if (r.status != 201)
            qWarning() << "upload" << r.status << r.body;
        return r.json().value("id").toString();
    }
    HttpResult sendWith(const Member &who, const QString &clientId, const QJsonArray &files, const QString &room = {})
    {
        return m_http.post(who, QStringLiteral("/v1/chat/rooms/%1/messages").arg(room.isEmpty() ? m_room : room),
                           {{"clientId", clientId}, {"body", QStringLiteral("see attached")}, {"attachments", files}});
    }
    qint64 refs(const QString &fileId)
    {
        return scalar(QStringLiteral("SELECT count(*) FROM files.file_refs WHERE file_id = %1").arg(fileId.toLongLong()));
    }
    /// Waits until the file has no references (releases drain after commit; the sweep retries).
    bool released(const QString &fileId)
    {
        QDeadlineTimer deadline(10'000);
        while (!deadline.hasExpired()) {
            if (refs(fileId) == 0)
                return true;
            QTest::qWait(50);
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        m_http.extraSets << QStringLiteral("plugins.chat.sweepIntervalMs=500") << QStringLiteral("plugins.chat.maxAttachments=3")
                         << QStringLiteral("plugins.chat.orphanReferenceSeconds=600")
                         << QStringLiteral("plugins.chat.orphanSweepMinutes=0");
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_ann = m_http.member(QStringLiteral("ann"));
        m_bob = m_http.member(QStringLiteral("bob"));
        m_cat = m_http.member(QStringLiteral("cat"));
        m_room = m_http.group(m_ann, QStringLiteral("Files"), {m_bob});
        QVERIFY(!m_room.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void attachOwnFile()
    {
        const QByteArray text = "meeting notes\nline two\n";
        const QString file = upload(m_ann, text, QStringLiteral("notes.txt"));
        QVERIFY(!file.isEmpty());
        auto r = sendWith(m_ann, QStringLiteral("a1"), {file});
        QCOMPARE(r.status, 201);
        const QJsonArray atts = r.json().value("attachments").toArray();
        QCOMPARE(atts.size(), 1);
        const QJsonObject a = atts[0].toObject();
        QCOMPARE(a.value("id").toString(), file);
        QCOMPARE(a.value("name").toString(), QStringLiteral("notes.txt"));
        QCOMPARE(a.value("type").toString(), QStringLiteral("text/plain"));
        QCOMPARE(a.value("size").toInteger(), text.size());
        const QString id = r.json().value("id").toString();
        QCOMPARE(a.value("url").toString(), QStringLiteral("/v1/chat/rooms/%1/messages/%2/attachments/%3").arg(m_room, id, file));
        QCOMPARE(refs(file), 1);

        // History shows it to the other member; a retry of the same client id returns the
        // original and holds no second reference.
        const QJsonArray items = m_http.history(m_bob, m_room).value("items").toArray();
        QCOMPARE(items.last().toObject().value("attachments").toArray().size(), 1);
        auto again = sendWith(m_ann, QStringLiteral("a1"), {file});
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().value("id").toString(), id);
        QCOMPARE(refs(file), 1);

        // The owner cannot delete a file a message still points at.
        QVERIFY(isProblem(m_http.call("DELETE", QStringLiteral("/v1/files/") + file, m_ann.account.token), 409, "file-in-use"));
    }

    // A daemon that dies between taking a file reference and committing the message leaves
    // a reference no message uses. The sweep releases it once it is older than
    // orphanReferenceSeconds; references of stored messages, and young ones (a send in
    // flight), stay.
    void orphanedReferencesReleased()
    {
        const QString used = upload(m_ann, "kept by a message\n", QStringLiteral("used.txt"));
        const QString orphan = upload(m_ann, "the send never committed\n", QStringLiteral("orphan.txt"));
        const QString young = upload(m_ann, "a send still in flight\n", QStringLiteral("young.txt"));
        QVERIFY(!used.isEmpty() && !orphan.isEmpty() && !young.isEmpty());
        QCOMPARE(sendWith(m_ann, QStringLiteral("kept1"), {used}).status, 201);
        const QString holder = QStringLiteral("chat:%1:ghost:1").arg(m_ann.id);   // a client id with ':' in it
        scalar(QStringLiteral("WITH i AS (INSERT INTO files.file_refs (file_id, holder, created_at) VALUES "
                              "(%1, '%2', now() - interval '2 hours'), (%3, '%2', now()) RETURNING 1) SELECT count(*) FROM i")
                   .arg(orphan, holder, young));
        scalar(QStringLiteral("WITH u AS (UPDATE files.file_refs SET created_at = now() - interval '2 hours' "
                              "WHERE file_id = %1 RETURNING 1) SELECT count(*) FROM u").arg(used));
        QVERIFY(isProblem(m_http.call("DELETE", QStringLiteral("/v1/files/") + orphan, m_ann.account.token), 409, "file-in-use"));
        QVERIFY(released(orphan));
        QTest::qWait(1200);   // two more sweeps: nothing else goes
        QCOMPARE(refs(used), 1);
        QCOMPARE(refs(young), 1);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/files/") + orphan, m_ann.account.token).status, 204);
    }

    void foreignFileIdWritesNothing_data()
    {
        QTest::addColumn<QString>("whose");
        QTest::addColumn<QString>("code");
        QTest::newRow("someone else's") << QStringLiteral("bob") << QStringLiteral("foreign_file");
        QTest::newRow("unknown") << QStringLiteral("none") << QStringLiteral("foreign_file");
        QTest::newRow("avatar") << QStringLiteral("avatar") << QStringLiteral("purpose");
        QTest::newRow("too many") << QStringLiteral("many") << QStringLiteral("too_many");
        QTest::newRow("twice") << QStringLiteral("twice") << QStringLiteral("duplicate");
        QTest::newRow("not an id") << QStringLiteral("junk") << QStringLiteral("type");
    }

    void foreignFileIdWritesNothing()
    {
        QFETCH(QString, whose);
        QFETCH(QString, code);
        const QString own = upload(m_ann, "my own text " + whose.toUtf8(), QStringLiteral("own.txt"));
        QJsonArray files;
        QString field = QStringLiteral("attachments");
        if (whose == QLatin1String("bob"))
            files = {upload(m_bob, "bob's private text", QStringLiteral("bob.txt"))};
        else if (whose == QLatin1String("none"))
            files = {QStringLiteral("987654321")};
        else if (whose == QLatin1String("avatar"))
            files = {upload(m_ann, png(), QStringLiteral("me.png"), QStringLiteral("avatar"))};
        else if (whose == QLatin1String("many"))
            files = {own, own, own, own};
        else if (whose == QLatin1String("twice"))
            files = {own, own};
        else if (whose == QLatin1String("junk")) {
            files = {own, QStringLiteral("x")};
            field = QStringLiteral("attachments[1]");
        }
        const qint64 messages = m_http.rows(QStringLiteral("messages"));
        const qint64 attachments = m_http.rows(QStringLiteral("attachments"));
        const qint64 allRefs = scalar(QStringLiteral("SELECT count(*) FROM files.file_refs"));
        auto r = sendWith(m_ann, QStringLiteral("f-") + whose, files);
        QVERIFY2(isProblem(r, 400, "validation"), r.body.constData());
        bool named = false;
        for (const QJsonValue &e : r.json().value("errors").toArray())
            named |= e.toObject().value("field").toString() == field && e.toObject().value("code").toString() == code;
        QVERIFY2(named, r.body.constData());
        QCOMPARE(m_http.rows(QStringLiteral("messages")), messages);
        QCOMPARE(m_http.rows(QStringLiteral("attachments")), attachments);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM files.file_refs")), allRefs);
    }

    void membersDownloadNonMembersDoNot()
    {
        const QByteArray text = "quarterly figures, members only\n";
        const QString file = upload(m_ann, text, QStringLiteral("figures.txt"));
        auto sent = sendWith(m_ann, QStringLiteral("d1"), {file});
        QCOMPARE(sent.status, 201);
        const QString url = sent.json().value("attachments").toArray()[0].toObject().value("url").toString();

        // A member: 302 to a short-lived signed files link, which files serves with its
        // download headers (a browser follows the redirect).
        auto redirect = Community::Test::httpRequest(m_http.url(url), "GET", {},
                                                     {{"Authorization", "Bearer " + m_bob.account.token}}, 10'000, false);
        QCOMPARE(redirect.status, 302);
        const QByteArray location = redirect.header("Location");
        QVERIFY2(location.startsWith("/v1/files/"), location.constData());
        auto content = m_http.call("GET", QString::fromLatin1(location), m_bob.account.token);
        QCOMPARE(content.status, 200);
        QCOMPARE(content.body, text);
        QVERIFY(content.header("Content-Disposition").contains("figures.txt"));
        QCOMPARE(content.header("Cache-Control"), QByteArray("private, max-age=31536000, immutable"));

        // Not a member: refused by chat, and the file itself stays private.
        QVERIFY(isProblem(m_http.call("GET", url, m_cat.account.token), 403, "not-a-member"));
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/files/%1/content").arg(file), m_cat.account.token).status, 404);
        QCOMPARE(m_http.call("GET", QStringLiteral("/v1/files/%1/content").arg(file), m_bob.account.token).status, 404);
        // A file the message does not carry is not reachable through it.
        const QString other = upload(m_ann, "not attached\n", QStringLiteral("other.txt"));
        QCOMPARE(m_http.call("GET", url.left(url.lastIndexOf('/') + 1) + other, m_bob.account.token).status, 404);
    }

    void deleteAndPurgeReleaseReferences()
    {
        // Soft delete: the reference goes, the link answers 404, the owner may delete the file.
        const QString file = upload(m_ann, "to be deleted\n", QStringLiteral("gone.txt"));
        auto sent = sendWith(m_ann, QStringLiteral("r1"), {file});
        QCOMPARE(sent.status, 201);
        const QString id = sent.json().value("id").toString();
        const QString url = sent.json().value("attachments").toArray()[0].toObject().value("url").toString();
        QCOMPARE(refs(file), 1);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/chat/rooms/%1/messages/%2").arg(m_room, id), m_ann.account.token).status,
                 204);
        QVERIFY(released(file));
        QCOMPARE(m_http.call("GET", url, m_bob.account.token).status, 404);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/files/") + file, m_ann.account.token).status / 100, 2);

        // Purge (operators): a room of its own, its messages aged, purged.
        const QString room = m_http.group(m_ann, QStringLiteral("Old"), {m_bob});
        const QString kept = upload(m_ann, "purged with its message\n", QStringLiteral("old.txt"));
        QCOMPARE(sendWith(m_ann, QStringLiteral("r2"), {kept}, room).status, 201);
        QCOMPARE(refs(kept), 1);
        scalar(QStringLiteral("UPDATE chat.messages SET created_at = now() - interval '3 days' WHERE room_id = %1 RETURNING 1")
                   .arg(room));
        const QString before = QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODateWithMs);
        auto purged = m_http.daemon.operatorRequest("POST", QStringLiteral("/v1/chat/admin/rooms/%1/purge").arg(room),
                                                    ChatHttp::json({{"before", before}}));
        QCOMPARE(purged.status, 200);
        QCOMPARE(purged.json().value("messages").toInteger(), 1);
        QVERIFY(released(kept));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM chat.attachment_releases")), 0);
        QCOMPARE(m_http.call("DELETE", QStringLiteral("/v1/files/") + kept, m_ann.account.token).status / 100, 2);
    }

    void nodeWithoutFilesRefusesAttachments()
    {
        Community::Test::DaemonProcess peer;
        QString error;
        QVERIFY2(m_http.startPeer(peer, {QStringLiteral("services=auth,users,content,chat")}, &error), qPrintable(error));
        const QString file = upload(m_ann, "only on the files node\n", QStringLiteral("n.txt"));
        auto call = [&](const QString &clientId, const QJsonArray &files) {
            QJsonObject body{{"clientId", clientId}, {"body", QStringLiteral("from the other node")}};
            if (!files.isEmpty())
                body.insert("attachments", files);
            return Community::Test::httpRequest(peer.url(QStringLiteral("/v1/chat/rooms/%1/messages").arg(m_room)), "POST",
                                                ChatHttp::json(body),
                                                {{"Authorization", "Bearer " + m_ann.account.token},
                                                 {"Content-Type", "application/json"}});
        };
        const qint64 messages = m_http.rows(QStringLiteral("messages"));
        QVERIFY(isProblem(call(QStringLiteral("n1"), {file}), 503, "attachments-unavailable"));
        QCOMPARE(m_http.rows(QStringLiteral("messages")), messages);
        QCOMPARE(refs(file), 0);
        QCOMPARE(call(QStringLiteral("n2"), {}).status, 201);   // chat itself works
        QCOMPARE(peer.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TstChatAttachments)
#include "tst_chatattachments.moc"
