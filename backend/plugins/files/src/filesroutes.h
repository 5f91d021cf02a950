// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// HTTP for the files plugin: streamed raw uploads (POST /v1/files, PUT
/// /v1/files/uploads/{name}), metadata, downloads with conditional and range requests,
/// signed URLs, deletion, quota, and the operator's stats/gc/verify. No SQL, no rules:
/// those are FilesService's; every service call runs on the database's workers.

#include "community/router.h"

namespace Community::Db { class Database; }

namespace Files {

class FilesService;
struct FileRecord;

class FilesRoutes {
public:
    FilesRoutes(Community::Db::Database &db, FilesService &service) : m_db(db), m_service(service) {}

    QList<Community::Http::Route> routes();

private:
    void upload(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void metadata(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void content(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void variant(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void signedUrl(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void remove(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void quota(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void stats(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void gc(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void userQuota(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void quarantine(Community::Http::HttpRequest &req, const Community::Http::Responder &res);
    void verify(Community::Http::HttpRequest &req, const Community::Http::Responder &res);

    Community::Db::Database &m_db;
    FilesService &m_service;
};

} // namespace Files
