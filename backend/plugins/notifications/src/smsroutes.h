// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The caller's SMS number: set (a code is texted), verify, read, remove; and the
/// provider's signed status callbacks (public, form POST). HTTP only.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Notifications {

class SmsService;

class SmsRoutes {
public:
    SmsRoutes(Community::Db::Database &db, SmsService &service) : m_db(db), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;

    void get(Request &req, const Responder &res);
    void set(Request &req, const Responder &res);
    void verify(Request &req, const Responder &res);
    void remove(Request &req, const Responder &res);
    void status(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    SmsService &m_service;
};

} // namespace Notifications
