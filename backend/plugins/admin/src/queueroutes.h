// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// HTTP for the review queue, decisions (one item, a selection of up to 100, undo) and penalties: moderators and admins (API keys:
/// admin:moderate; the operator token acts as an administrator). Handlers run on I/O
/// threads; the services on workers.

#include "community/router.h"

#include <QJsonObject>

#include <functional>

namespace Community::Db { class Database; }

namespace Admin {

class QueueService;
struct ItemDetail;
class DecisionService;

inline constexpr const char *kModerateScope = "admin:moderate";

class QueueRoutes {
public:
    QueueRoutes(Community::Db::Database &db, QueueService &queue, DecisionService &decisions)
        : m_db(db), m_queue(queue), m_decisions(decisions) {}
    QList<Community::Http::Route> routes();
    /// Called on the worker after a claim, a takeover or a release committed, with
    /// {"kind": "queue.claimed" | "queue.released", itemId, claim (null when released),
    /// takeover}: the plugin publishes it on `admin:queue` so consoles show who holds what.
    void onClaimChanged(std::function<void(const QJsonObject &frame)> notify) { m_claimChanged = std::move(notify); }

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
    /// The answer to a claim or release, announced first when it succeeded.
    Community::Result<Community::Http::HttpResponse> claimAnswer(const Community::Result<ItemDetail> &d, bool takeover) const;

    Community::Db::Database &m_db;
    QueueService &m_queue;
    DecisionService &m_decisions;
    std::function<void(const QJsonObject &)> m_claimChanged;
};

} // namespace Admin
