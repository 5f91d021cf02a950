// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The chat routes (/v1/chat/...): HTTP only. Each handler reads the request with the SDK,
/// runs RoomService or MessageService on a database worker and formats the answer.
/// Threading: handlers run on I/O threads and never block.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Chat {

class RoomService;
class MessageService;
struct ChatConfig;

class ChatRoutes {
public:
    ChatRoutes(Community::Db::Database &db, RoomService &rooms, MessageService &messages, const ChatConfig &config)
        : m_db(db), m_rooms(rooms), m_messages(messages), m_config(config) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void listRooms(Request &req, const Responder &res);
    void createRoom(Request &req, const Responder &res);
    void getRoom(Request &req, const Responder &res);
    void updateRoom(Request &req, const Responder &res);
    void listMembers(Request &req, const Responder &res);
    void invite(Request &req, const Responder &res);
    void setRole(Request &req, const Responder &res);
    void removeMember(Request &req, const Responder &res);
    void join(Request &req, const Responder &res);
    void history(Request &req, const Responder &res);
    void send(Request &req, const Responder &res);
    void sendDm(Request &req, const Responder &res);
    void sendTo(Request &req, const Responder &res, qint64 roomId, qint64 dmUserId);
    void edit(Request &req, const Responder &res);
    void remove(Request &req, const Responder &res);
    void edits(Request &req, const Responder &res);
    void receipts(Request &req, const Responder &res);
    void attachment(Request &req, const Responder &res);
    void search(Request &req, const Responder &res);
    void react(Request &req, const Responder &res, bool add);
    void markRead(Request &req, const Responder &res);
    void typing(Request &req, const Responder &res);
    void settings(Request &req, const Responder &res);
    void updateSettings(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    RoomService &m_rooms;
    MessageService &m_messages;
    const ChatConfig &m_config;
};

} // namespace Chat
