// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// HTTP for watched-word rules: administrators only (API keys: admin:rules; the operator
/// token acts as an administrator).

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Admin {

class RulesService;

inline constexpr const char *kRulesScope = "admin:rules";

class RulesRoutes {
public:
    RulesRoutes(Community::Db::Database &db, RulesService &rules) : m_db(db), m_rules(rules) {}
    QList<Community::Http::Route> routes();

private:
    using Request = Community::Http::HttpRequest;
    using Responder = Community::Http::Responder;
    void list(Request &req, const Responder &res);
    void add(Request &req, const Responder &res);
    void remove(Request &req, const Responder &res);
    void test(Request &req, const Responder &res);

    Community::Db::Database &m_db;
    RulesService &m_rules;
};

} // namespace Admin
