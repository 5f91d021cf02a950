// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// HTTP for resumable uploads (tus 1.0, docs/adr/0029): OPTIONS/POST /v1/files/tus,
/// HEAD/PATCH/DELETE /v1/files/tus/{id}. Headers in and out, no rules (TusService's);
/// every answer, errors included, carries Tus-Resumable: 1.0.0.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Files {

class FilesService;
class TusService;

class TusRoutes {
public:
    TusRoutes(Community::Db::Database &db, FilesService &files, TusService &tus) : m_db(db), m_files(files), m_tus(tus) {}

    QList<Community::Http::Route> routes();

private:
    void options(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void create(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void head(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void patch(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void terminate(Community::Http::HttpRequest &req, const Community::Http::Responder &res);

    Community::Db::Database &m_db;
    FilesService &m_files;
    TusService &m_tus;
};

} // namespace Files
