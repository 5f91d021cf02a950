// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Pins, reports and the operators' chat routes (/v1/chat/admin/..., communityctl chat):
/// HTTP only, ModerationService and MessageService on workers.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Chat {

class ModerationService;
class MessageService;

class ModerationRoutes {
public:
    ModerationRoutes(Community::Db::Database &db, ModerationService &moderation, MessageService &messages)
        : m_db(db), m_moderation(moderation), m_messages(messages) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void pins(Request &req, const Responder &res);
    void pin(Request &req, const Responder &res, bool pinned);
    void report(Request &req, const Responder &res);
    void adminRooms(Request &req, const Responder &res);
    void adminMessages(Request &req, const Responder &res);
    void purge(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    ModerationService &m_moderation;
    MessageService &m_messages;
};

} // namespace Chat
