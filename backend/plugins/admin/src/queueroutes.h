// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// HTTP for the review queue, decisions (one item, a selection of up to 100, undo) and penalties: moderators and admins (API keys:
/// admin:moderate; the operator token acts as an administrator). Handlers run on I/O
/// threads; the services on workers.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Admin {

class QueueService;
class DecisionService;

inline constexpr const char *kModerateScope = "admin:moderate";

class QueueRoutes {
public:
    QueueRoutes(Community::Db::Database &db, QueueService &queue, DecisionService &decisions)
        : m_db(db), m_queue(queue), m_decisions(decisions) {}
    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;
    void list(Request &req, const Responder &res);
    void show(Request &req, const Responder &res);
    void claim(Request &req, const Responder &res);
    void release(Request &req, const Responder &res);
    void note(Request &req, const Responder &res);
    void assign(Request &req, const Responder &res);
    void decide(Request &req, const Responder &res);
    void decideMany(Request &req, const Responder &res);
    void undo(Request &req, const Responder &res);
    void penalties(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    QueueService &m_queue;
    DecisionService &m_decisions;
};

} // namespace Admin
