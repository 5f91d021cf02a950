// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chatindexer.h"

#include "highlighter.h"
#include "plaintext.h"
#include "querybuilder.h"
#include "searchconfig.h"
#include "textanalysis.h"

#include "community/contracts/events/chat.h"
#include "community/database.h"

#include <QDebug>

using namespace Community;
namespace ChatEvents = Community::Contracts::Events::Chat;

namespace Search {

namespace {

std::string s(const QString &q) { return q.toStdString(); }

/// Upserts the message's text unless the index already applied a newer event to it.
void upsert(pqxx::transaction_base &tx, qint64 eventId, qint64 messageId, qint64 roomId, qint64 senderId,
            const QString &markdown, const QDateTime &createdAt)
{
    const QString plain = markdownToPlain(markdown, 20'000);
    const Analyzed a = analyze(plain);
    // Prepared once per connection (libpqxx keeps the definition; registering it again is a
    // string compare): it runs for every chat message.
    tx.conn().prepare(
        "search_chat_upsert",
        "INSERT INTO search.chat_messages AS c (message_id, room_id, sender_id, body, visible, event_id, created_at, tsv) "
        "VALUES ($1, $2, $3, $4, true, $5, coalesce($6::timestamptz, now()), "
        "        search.doc_vector('', '', '', '', '', $7, $8, $9)) "
        "ON CONFLICT (message_id) DO UPDATE SET body = EXCLUDED.body, visible = true, event_id = EXCLUDED.event_id, "
        "    tsv = EXCLUDED.tsv WHERE c.event_id < EXCLUDED.event_id");
    tx.exec_prepared(
        "search_chat_upsert", messageId, roomId, senderId ? std::optional<qint64>(senderId) : std::nullopt, s(plain), eventId,
        createdAt.isValid() ? std::optional<std::string>(s(createdAt.toUTC().toString(Qt::ISODateWithMs))) : std::nullopt,
        s(a.latin), s(a.stems().join(QLatin1Char(' '))), s(a.grams().join(QLatin1Char(' '))));
}

std::string idArray(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    return "{" + parts.join(QLatin1Char(',')).toStdString() + "}";
}

} // namespace

QStringList ChatIndexer::eventTypes()
{
    return {ChatEvents::MessageCreated::type, ChatEvents::MessageRevised::editedType,
            ChatEvents::MessageRevised::restoredType, ChatEvents::MessagesDeleted::type};
}

Result<void> ChatIndexer::handleBatch(const QList<Events::Event> &events)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        // A projection (rebuilt by replay); the bus's synchronous offset commit flushes this one.
        tx.exec("SET LOCAL synchronous_commit = off");
        for (const Events::Event &e : events)
            apply(tx, e);
        return {};
    });
}

void ChatIndexer::apply(pqxx::transaction_base &tx, const Events::Event &e)
{
    if (e.type == ChatEvents::MessageCreated::type) {
        const auto m = ChatEvents::MessageCreated::fromJson(e.payload);
        if (!m || !m->roomId) {
            qWarning().noquote() << "search: chat event" << e.id << "has no message; skipped";
            return;
        }
        upsert(tx, e.id, m->messageId, m->roomId, m->senderId, m->body, m->createdAt.isValid() ? m->createdAt : e.createdAt);
    } else if (e.type == ChatEvents::MessagesDeleted::type) {
        const auto d = ChatEvents::MessagesDeleted::fromJson(e.payload);
        if (!d)
            return;
        tx.exec_params(
            "INSERT INTO search.chat_messages AS c (message_id, room_id, visible, event_id, created_at) "
            "SELECT id, $2, false, $3, now() FROM unnest($1::bigint[]) id "
            "ON CONFLICT (message_id) DO UPDATE SET body = '', tsv = ''::tsvector, visible = false, "
            "    event_id = EXCLUDED.event_id WHERE c.event_id < EXCLUDED.event_id",
            idArray(d->messageIds), d->roomId, e.id);
    } else {
        const auto m = ChatEvents::MessageRevised::fromJson(e.payload);
        if (!m)
            return;
        upsert(tx, e.id, m->messageId, m->roomId, m->senderId, m->body, m->createdAt.isValid() ? m->createdAt : e.createdAt);
    }
}

Result<QList<Contracts::RoomSearchHit>> RoomSearch::searchRoom(qint64 roomId, const QString &query, int limit,
                                                               qint64 beforeMessageId) const
{
    auto parsed = parseQuery(query, m_config);
    if (!parsed)
        return tl::unexpected(parsed.error());
    QList<Contracts::RoomSearchHit> out;
    if (parsed->isEmpty())
        return out;
    const HighlightTerms terms{parsed->latinWords, parsed->cjkTerms};
    const std::string groups = groupsJson(*parsed).toStdString();
    const int n = qBound(1, limit, 100);
    auto rows = m_db.read<pqxx::result>([&](pqxx::nontransaction &tx) -> Result<pqxx::result> {
        const pqxx::row q = tx.exec_params1("SELECT q::text, numnode(q), querytree(q) FROM search.make_query($1, $2::jsonb) q",
                                            s(parsed->latin), groups);
        if (q[1].as<int>() == 0)
            return pqxx::result();   // stop words only
        if (std::string(q[2].c_str()) == "T") {
            Error e = invalidField(QStringLiteral("q"), QStringLiteral("needs at least one word that is not excluded"),
                                   QStringLiteral("only_excluded"));
            e.message = QStringLiteral("The search query is not acceptable.");
            return tl::unexpected(e);
        }
        return tx.exec_params("SELECT message_id, body FROM search.chat_messages "
                              "WHERE room_id = $1 AND visible AND tsv @@ $2::tsquery AND ($3 = 0 OR message_id < $3) "
                              "ORDER BY message_id DESC LIMIT $4",
                              roomId, std::string(q[0].c_str()), beforeMessageId, n);
    });
    if (!rows)
        return tl::unexpected(rows.error());
    for (const auto &row : *rows)
        out.append({row[0].as<qint64>(), snippet(QString::fromUtf8(row[1].c_str()), terms, 200)});
    return out;
}

void ChatIndexer::truncate(pqxx::transaction_base &tx)
{
    tx.exec("TRUNCATE search.chat_messages");
}

} // namespace Search
