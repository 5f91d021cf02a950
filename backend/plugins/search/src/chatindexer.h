// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The room search projection and its queries (IRoomSearch). ChatIndexer::handleBatch() is
/// the "search.chat" consumer (a batch of events per transaction): chat.message.created|edited|restored upsert a message's analysed
/// text (markdown stripped, the site search's analysis), chat.message.deleted leaves
/// tombstones. Idempotent and order-safe per message (event ids). RoomSearch answers
/// queries from search.chat_messages. Both block on the database: bus or worker threads.

#include "community/contracts/search.h"
#include "community/eventbus.h"

namespace Community::Db { class Database; }
namespace pqxx { class transaction_base; }

namespace Search {

struct SearchConfig;

inline constexpr const char *kChatIndexConsumer = "search.chat";

class ChatIndexer {
public:
    explicit ChatIndexer(Community::Db::Database &db) : m_db(db) {}
    static QStringList eventTypes();
    /// Several events in one transaction (the bus's batch consumer, ADR 0033 §1).
    Community::Result<void> handleBatch(const QList<Community::Events::Event> &events);
    /// Empties the projection (before its consumer replays: SearchService::reindex()).
    static void truncate(pqxx::transaction_base &tx);

private:
    static void apply(pqxx::transaction_base &tx, const Community::Events::Event &event);

    Community::Db::Database &m_db;
};

class RoomSearch : public Community::Contracts::IRoomSearch {
public:
    RoomSearch(Community::Db::Database &db, const SearchConfig &config) : m_db(db), m_config(config) {}
    Community::Result<QList<Community::Contracts::RoomSearchHit>> searchRoom(qint64 roomId, const QString &query, int limit,
                                                                             qint64 beforeMessageId) const override;

private:
    Community::Db::Database &m_db;
    const SearchConfig &m_config;
};

} // namespace Search
