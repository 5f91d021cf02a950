// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/http.h"

#include <QFile>
#include <QJsonObject>

#include <atomic>
#include <mutex>
#include <vector>

namespace Community::Http {

SpooledBody::~SpooledBody()
{
    if (!m_released && !m_path.isEmpty())
        QFile::remove(m_path);
}

QByteArray HttpRequest::header(QByteArrayView lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

void HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.emplaceBack(name, value);
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

HttpResponse HttpResponse::json(int status, const QJsonDocument &doc)
{
    HttpResponse r;
    r.status = status;
    r.headers.emplaceBack("Content-Type", "application/json");
    r.body = doc.toJson(QJsonDocument::Compact);
    return r;
}

HttpResponse HttpResponse::json(int status, const QJsonObject &obj)
{
    return json(status, QJsonDocument(obj));
}

HttpResponse HttpResponse::text(int status, const QByteArray &body, const QByteArray &contentType)
{
    HttpResponse r;
    r.status = status;
    r.headers.emplaceBack("Content-Type", contentType);
    r.body = body;
    return r;
}

HttpResponse HttpResponse::empty(int status)
{
    HttpResponse r;
    r.status = status;
    return r;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

struct Responder::State {
    Deliver deliver;
    std::atomic_bool answered{false};
    std::mutex mutex;
    std::vector<Finalizer> finalizers;
};

Responder::Responder(Deliver deliver)
    : d(std::make_shared<State>())
{
    d->deliver = std::move(deliver);
}

bool Responder::send(HttpResponse response) const
{
    if (!d || d->answered.exchange(true))
        return false;
    std::vector<Finalizer> finalizers;
    {
        std::lock_guard lock(d->mutex);
        finalizers.swap(d->finalizers);
    }
    for (auto it = finalizers.rbegin(); it != finalizers.rend(); ++it)
        (*it)(response);
    if (d->deliver)
        d->deliver(std::move(response));
    return true;
}

bool Responder::isAnswered() const
{
    return d && d->answered.load();
}

void Responder::addFinalizer(Finalizer f) const
{
    if (!d)
        return;
    std::lock_guard lock(d->mutex);
    d->finalizers.push_back(std::move(f));
}

} // namespace Community::Http
