// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The delivery routes: the one-click unsubscribe link (public, signed token, RFC 8058)
/// and the operators' views of the delivery outbox (/v1/admin/notifications/…: list,
/// retry, test send). HTTP only; handlers never block.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Notifications {

class DeliveryService;
class PushService;
class SmsService;

class DeliveryRoutes {
public:
    DeliveryRoutes(Community::Db::Database &db, DeliveryService &service) : m_db(db), m_service(service) {}

    QList<Community::Http::Route> routes();
    /// For test sends on the push and SMS channels.
    void setChannels(PushService *push, SmsService *sms) { m_push = push; m_sms = sms; }

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void unsubscribe(Request &req, const Responder &res, bool apply);
    void list(Request &req, const Responder &res);
    void retry(Request &req, const Responder &res);
    void testSend(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    DeliveryService &m_service;
    PushService *m_push = nullptr;
    SmsService *m_sms = nullptr;
};

} // namespace Notifications
