// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chatroutes.h"

#include "chatjson.h"
#include "messageservice.h"
#include "roomservice.h"
#include "routesupport.h"

#include "community/database.h"
#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonArray>
#include <QUrl>

using namespace Community;
using namespace Community::Http;

namespace Chat {

namespace {

HttpResponse detailsJson(int status, const RoomDetails &d)
{
    QJsonObject o = roomJson(d.room);
    o.insert(QStringLiteral("role"), d.me ? QJsonValue(memberRoleName(d.me->role)) : QJsonValue());
    o.insert(QStringLiteral("lastReadSeq"), d.me ? QJsonValue(d.me->lastReadSeq) : QJsonValue());
    return HttpResponse::json(status, o);
}

} // namespace

QList<Route> ChatRoutes::routes()
{
    const RouteOptions read = RouteOptions::authenticated(Role::User, QStringLiteral("chat:read"));
    const RouteOptions write = RouteOptions::authenticated(Role::User, QStringLiteral("chat:write"))
                                   .withRateClass(QStringLiteral("write")).withBodyLimit(64 * 1024);
    auto h = [this](auto method) { return memberHandler(this, method); };
    auto reaction = [this](bool add) -> Handler {
        return [this, add](HttpRequest &req, const Responder &res) { react(req, res, add); };
    };
    const QString room = QStringLiteral("/v1/chat/rooms/{id}");
    const QString message = room + QStringLiteral("/messages/{messageId}");
    return {
        {"GET", QStringLiteral("/v1/chat/rooms"), read, h(&ChatRoutes::listRooms)},
        {"POST", QStringLiteral("/v1/chat/rooms"), write, h(&ChatRoutes::createRoom)},
        {"GET", room, read, h(&ChatRoutes::getRoom)},
        {"PATCH", room, write, h(&ChatRoutes::updateRoom)},
        {"GET", room + QStringLiteral("/members"), read, h(&ChatRoutes::listMembers)},
        {"POST", room + QStringLiteral("/members"), write, h(&ChatRoutes::invite)},
        {"PATCH", room + QStringLiteral("/members/{userId}"), write, h(&ChatRoutes::setRole)},
        {"DELETE", room + QStringLiteral("/members/{userId}"), write, h(&ChatRoutes::removeMember)},
        {"POST", room + QStringLiteral("/join"), write, h(&ChatRoutes::join)},
        {"GET", room + QStringLiteral("/messages"), read, h(&ChatRoutes::history)},
        {"GET", room + QStringLiteral("/search"), read, h(&ChatRoutes::search)},
        {"POST", room + QStringLiteral("/messages"), write, h(&ChatRoutes::send)},
        {"POST", QStringLiteral("/v1/chat/dms/{userId}/messages"), write, h(&ChatRoutes::sendDm)},
        {"PATCH", message, write, h(&ChatRoutes::edit)},
        {"DELETE", message, write, h(&ChatRoutes::remove)},
        {"GET", message + QStringLiteral("/edits"), read, h(&ChatRoutes::edits)},
        {"GET", message + QStringLiteral("/receipts"), read, h(&ChatRoutes::receipts)},
        {"GET", message + QStringLiteral("/attachments/{fileId}"), read, h(&ChatRoutes::attachment)},
        {"PUT", message + QStringLiteral("/reactions/{emoji}"), write, reaction(true)},
        {"DELETE", message + QStringLiteral("/reactions/{emoji}"), write, reaction(false)},
        {"POST", room + QStringLiteral("/read"), write, h(&ChatRoutes::markRead)},
        {"POST", room + QStringLiteral("/typing"), write, h(&ChatRoutes::typing)},
        {"GET", QStringLiteral("/v1/chat/settings"), read, h(&ChatRoutes::settings)},
        {"PUT", QStringLiteral("/v1/chat/settings"), write, h(&ChatRoutes::updateSettings)},
    };
}

void ChatRoutes::listRooms(HttpRequest &req, const Responder &res)
{
    if (auto q = checkQuery(req, {}); !q)
        return sendError(req, res, q.error());
    run(m_db, req, res, [svc = &m_rooms, uid = req.principal.userId]() -> Result<HttpResponse> {
        auto rooms = svc->roomsOf(uid);
        if (!rooms)
            return tl::unexpected(rooms.error());
        QJsonArray items;
        for (const RoomView &v : *rooms)
            items.append(roomViewJson(v));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void ChatRoutes::createRoom(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    NewRoom spec;
    const auto kind = body->string(QStringLiteral("kind"), Presence::Required, 16);
    if (kind && (*kind == QLatin1String("group") || *kind == QLatin1String("channel")))
        spec.kind = *parseKind(*kind);
    else if (kind)
        body->addError(QStringLiteral("kind"), QStringLiteral("group or channel"), QStringLiteral("invalid"));
    spec.name = body->text(QStringLiteral("name"), {80, Presence::Required}).value_or(QString());
    spec.topic = body->text(QStringLiteral("topic"), {250, Presence::Optional, false, true}).value_or(QString());
    spec.communityId = body->id(QStringLiteral("communityId"),
                                spec.kind == RoomKind::Channel ? Presence::Required : Presence::Optional).value_or(0);
    if (spec.communityId && spec.kind != RoomKind::Channel)
        body->addError(QStringLiteral("communityId"), QStringLiteral("only channels belong to a community"),
                       QStringLiteral("invalid"));
    spec.memberLimit = int(body->integer(QStringLiteral("memberLimit"), Presence::Optional, 2, 10'000'000).value_or(0));
    for (const QString &m : body->stringList(QStringLiteral("members"), Presence::Optional, 1000, 20).value_or(QStringList())) {
        if (auto id = parseId(m))
            spec.members.append(*id);
        else
            body->addError(QStringLiteral("members"), QStringLiteral("account ids"), QStringLiteral("type"));
    }
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_rooms, p = req.principal, spec]() -> Result<HttpResponse> {
        auto d = svc->create(p, spec);
        if (!d)
            return tl::unexpected(d.error());
        return detailsJson(201, *d);
    });
}

void ChatRoutes::getRoom(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    if (!roomAndBody(req, res, &roomId, nullptr))
        return;
    run(m_db, req, res, [svc = &m_rooms, p = req.principal, roomId]() -> Result<HttpResponse> {
        auto d = svc->room(p, roomId);
        if (!d)
            return tl::unexpected(d.error());
        return detailsJson(200, *d);
    });
}

void ChatRoutes::updateRoom(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    std::optional<BodyReader> body;
    if (!roomAndBody(req, res, &roomId, &body))
        return;
    const auto name = body->text(QStringLiteral("name"), {80});
    const auto topic = body->text(QStringLiteral("topic"), {250, Presence::Optional, false, true});
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_rooms, p = req.principal, roomId, name, topic]() -> Result<HttpResponse> {
        auto d = svc->update(p, roomId, name, topic);
        if (!d)
            return tl::unexpected(d.error());
        return detailsJson(200, *d);
    });
}

void ChatRoutes::listMembers(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    if (!roomAndBody(req, res, &roomId, nullptr))
        return;
    run(m_db, req, res, [svc = &m_rooms, p = req.principal, roomId]() -> Result<HttpResponse> {
        auto members = svc->members(p, roomId);
        if (!members)
            return tl::unexpected(members.error());
        QJsonArray items;
        for (const Member &m : *members)
            items.append(memberJson(m));
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void ChatRoutes::invite(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    std::optional<BodyReader> body;
    if (!roomAndBody(req, res, &roomId, &body))
        return;
    const auto userId = body->id(QStringLiteral("userId"), Presence::Required);
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_rooms, p = req.principal, roomId, userId = *userId]() -> Result<HttpResponse> {
        auto added = svc->invite(p, roomId, userId);
        if (!added)
            return tl::unexpected(added.error());
        return HttpResponse::empty(*added ? 201 : 204);
    });
}

void ChatRoutes::setRole(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    std::optional<BodyReader> body;
    if (!roomAndBody(req, res, &roomId, &body))
        return;
    auto userId = idParam(req, "userId", "member");
    if (!userId)
        return sendError(req, res, userId.error());
    const auto roleName = body->string(QStringLiteral("role"), Presence::Required, 16);
    const auto role = roleName ? parseMemberRole(*roleName) : std::nullopt;
    if (roleName && !role)
        body->addError(QStringLiteral("role"), QStringLiteral("member, admin or owner"), QStringLiteral("invalid"));
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_rooms, p = req.principal, roomId, userId = *userId, role = *role]() -> Result<HttpResponse> {
        if (auto r = svc->setRole(p, roomId, userId, role); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

void ChatRoutes::removeMember(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    if (!roomAndBody(req, res, &roomId, nullptr))
        return;
    auto userId = idParam(req, "userId", "member");
    if (!userId)
        return sendError(req, res, userId.error());
    run(m_db, req, res, [svc = &m_rooms, p = req.principal, roomId, userId = *userId]() -> Result<HttpResponse> {
        if (auto r = svc->remove(p, roomId, userId); !r)
            return tl::unexpected(r.error());
        return HttpResponse::empty(204);
    });
}

void ChatRoutes::join(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    if (!roomAndBody(req, res, &roomId, nullptr))
        return;
    run(m_db, req, res, [svc = &m_rooms, p = req.principal, roomId]() -> Result<HttpResponse> {
        auto joined = svc->join(p, roomId);
        if (!joined)
            return tl::unexpected(joined.error());
        return HttpResponse::empty(*joined ? 201 : 204);
    });
}

void ChatRoutes::history(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    if (!roomAndBody(req, res, &roomId, nullptr))
        return;
    const QStringList anchors{QStringLiteral("before"), QStringLiteral("after"), QStringLiteral("around")};
    if (auto q = checkQuery(req, anchors + QStringList{QStringLiteral("limit"), QStringLiteral("thread")}); !q)
        return sendError(req, res, q.error());
    HistoryQuery q;
    auto limit = queryLimit(req, m_config.defaultPageSize, m_config.maxPageSize);
    if (!limit)
        return sendError(req, res, limit.error());
    q.limit = *limit;
    QList<FieldError> errors;
    for (int i = 0; i < anchors.size(); ++i) {
        const QString v = queryValue(req, anchors[i]);
        if (v.isEmpty())
            continue;
        bool ok = false;
        q.seq = v.toLongLong(&ok);
        if (!ok || q.seq < 0 || q.anchor != HistoryQuery::Anchor::Latest)
            errors.append({anchors[i], QStringLiteral("one sequence number, and only one of before/after/around"),
                           QStringLiteral("invalid")});
        q.anchor = HistoryQuery::Anchor(i + 1);
    }
    if (const QString t = queryValue(req, QStringLiteral("thread")); !t.isEmpty()) {
        q.threadRootId = parseId(t).value_or(0);
        if (!q.threadRootId)
            errors.append({QStringLiteral("thread"), QStringLiteral("a message id"), QStringLiteral("invalid")});
    }
    if (!errors.isEmpty())
        return sendError(req, res, invalidFields(errors));
    run(m_db, req, res, [svc = &m_messages, p = req.principal, roomId, q]() -> Result<HttpResponse> {
        auto page = svc->history(p, roomId, q);
        if (!page)
            return tl::unexpected(page.error());
        return messagesJson(*page, p.hasRole(Role::Admin));
    });
}

void ChatRoutes::send(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    if (!roomAndBody(req, res, &roomId, nullptr))
        return;
    sendTo(req, res, roomId, 0);
}

void ChatRoutes::sendDm(HttpRequest &req, const Responder &res)
{
    auto userId = idParam(req, "userId", "account");
    if (!userId)
        return sendError(req, res, userId.error());
    sendTo(req, res, 0, *userId);
}

void ChatRoutes::sendTo(HttpRequest &req, const Responder &res, qint64 roomId, qint64 dmUserId)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    SendInput in{roomId, dmUserId};
    in.clientId = body->string(QStringLiteral("clientId"), Presence::Required, 64).value_or(QString());
    if (!body->hasError(QStringLiteral("clientId")) && in.clientId.trimmed().isEmpty())
        body->addError(QStringLiteral("clientId"), QStringLiteral("must not be empty"), QStringLiteral("required"));
    in.body = body->text(QStringLiteral("body"), {m_config.maxMessageLength, Presence::Required, true}).value_or(QString());
    in.threadRootId = body->id(QStringLiteral("threadRootId"), Presence::Optional).value_or(0);
    if (in.threadRootId && dmUserId)
        body->addError(QStringLiteral("threadRootId"), QStringLiteral("reply in the room"), QStringLiteral("invalid"));
    if (const auto files = body->array(QStringLiteral("attachments"), Presence::Optional)) {
        if (files->size() > m_config.maxAttachments)
            body->addError(QStringLiteral("attachments"), QStringLiteral("at most %1 files").arg(m_config.maxAttachments),
                           QStringLiteral("too_many"));
        for (int i = 0; i < files->size() && i < m_config.maxAttachments; ++i) {
            const QJsonValue v = files->at(i);
            qint64 id = v.isString() ? parseId(v.toString()).value_or(0) : 0;
            if (v.isDouble() && v.toDouble() >= 1 && v.toDouble() < 9e15 && v.toDouble() == double(qint64(v.toDouble())))
                id = qint64(v.toDouble());
            if (!id) {
                body->addError(QStringLiteral("attachments[%1]").arg(i), QStringLiteral("a file id"),
                               QStringLiteral("type"));
                continue;
            }
            in.attachments.append(id);
        }
    }
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_messages, p = req.principal, in]() -> Result<HttpResponse> {
        auto sent = svc->send(p, in);
        if (!sent)
            return tl::unexpected(sent.error());
        return HttpResponse::json(sent->created ? 201 : 200, messageJson(sent->message));
    });
}

void ChatRoutes::edit(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    std::optional<BodyReader> body;
    if (!roomAndBody(req, res, &roomId, &body))
        return;
    auto messageId = idParam(req, "messageId", "message");
    if (!messageId)
        return sendError(req, res, messageId.error());
    const auto text = body->text(QStringLiteral("body"), {m_config.maxMessageLength, Presence::Required, true});
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_messages, p = req.principal, roomId, id = *messageId, text = *text]() -> Result<HttpResponse> {
        auto m = svc->edit(p, roomId, id, text);
        if (!m)
            return tl::unexpected(m.error());
        return HttpResponse::json(200, messageJson(*m));
    });
}

void ChatRoutes::remove(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    qint64 messageId = 0;
    if (!roomAndMessage(req, res, &roomId, &messageId))
        return;
    run(m_db, req, res, [svc = &m_messages, p = req.principal, roomId, id = messageId]() -> Result<HttpResponse> {
        if (auto m = svc->remove(p, roomId, id); !m)
            return tl::unexpected(m.error());
        return HttpResponse::empty(204);
    });
}

void ChatRoutes::edits(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    qint64 messageId = 0;
    if (!roomAndMessage(req, res, &roomId, &messageId))
        return;
    run(m_db, req, res, [svc = &m_messages, p = req.principal, roomId, id = messageId]() -> Result<HttpResponse> {
        auto edits = svc->edits(p, roomId, id);
        if (!edits)
            return tl::unexpected(edits.error());
        QJsonArray items;
        for (const MessageEdit &e : *edits)
            items.append(QJsonObject{{QStringLiteral("body"), e.body},
                                     {QStringLiteral("replacedAt"), e.editedAt.toString(Qt::ISODateWithMs)}});
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items}});
    });
}

void ChatRoutes::receipts(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    qint64 messageId = 0;
    if (!roomAndMessage(req, res, &roomId, &messageId))
        return;
    run(m_db, req, res, [svc = &m_messages, p = req.principal, roomId, id = messageId]() -> Result<HttpResponse> {
        auto r = svc->receipts(p, roomId, id);
        if (!r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("seenBy"), idArray(r->seenBy)}});
    });
}

void ChatRoutes::react(HttpRequest &req, const Responder &res, bool add)
{
    qint64 roomId = 0;
    qint64 messageId = 0;
    if (!roomAndMessage(req, res, &roomId, &messageId))
        return;
    // The router hands path parameters over still percent-encoded (ids never are).
    const QString emoji = QUrl::fromPercentEncoding(req.pathParams.value(QStringLiteral("emoji")).toUtf8());
    run(m_db, req, res, [svc = &m_messages, p = req.principal, roomId, id = messageId, emoji, add]() -> Result<HttpResponse> {
        auto changed = svc->react(p, roomId, id, emoji, add);
        if (!changed)
            return tl::unexpected(changed.error());
        return HttpResponse::empty(add && *changed ? 201 : 204);
    });
}

void ChatRoutes::markRead(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    std::optional<BodyReader> body;
    if (!roomAndBody(req, res, &roomId, &body))
        return;
    const auto seq = body->integer(QStringLiteral("seq"), Presence::Required, 0, std::numeric_limits<qint64>::max());
    const qint64 thread = body->id(QStringLiteral("threadRootId"), Presence::Optional).value_or(0);
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_messages, p = req.principal, roomId, seq = *seq, thread]() -> Result<HttpResponse> {
        auto marker = svc->markRead(p, roomId, seq, thread);
        if (!marker)
            return tl::unexpected(marker.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("lastReadSeq"), *marker}});
    });
}

void ChatRoutes::typing(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    if (!roomAndBody(req, res, &roomId, nullptr))
        return;
    // Memory only: answered on this thread, no worker.
    auto sent = m_messages.typing(req.principal, roomId);
    if (!sent)
        return sendError(req, res, sent.error());
    res.send(HttpResponse::empty(*sent ? 202 : 204));
}

void ChatRoutes::settings(HttpRequest &req, const Responder &res)
{
    run(m_db, req, res, [svc = &m_messages, uid = req.principal.userId]() -> Result<HttpResponse> {
        auto hide = svc->hidesReceipts(uid);
        if (!hide)
            return tl::unexpected(hide.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("hideReceipts"), *hide}});
    });
}

void ChatRoutes::updateSettings(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    const auto hide = body->boolean(QStringLiteral("hideReceipts"), Presence::Required);
    if (!finished(req, res, *body))
        return;
    run(m_db, req, res, [svc = &m_messages, uid = req.principal.userId, hide = *hide]() -> Result<HttpResponse> {
        if (auto r = svc->setHideReceipts(uid, hide); !r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("hideReceipts"), hide}});
    });
}

void ChatRoutes::attachment(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0, messageId = 0;
    if (!roomAndMessage(req, res, &roomId, &messageId))
        return;
    auto fileId = idParam(req, "fileId", "attachment");
    if (!fileId)
        return sendError(req, res, fileId.error());
    if (auto q = checkQuery(req, {}); !q)
        return sendError(req, res, q.error());
    run(m_db, req, res, [svc = &m_messages, p = req.principal, roomId, messageId, id = *fileId]() -> Result<HttpResponse> {
        auto link = svc->attachmentLink(p, roomId, messageId, id);
        if (!link)
            return tl::unexpected(link.error());
        // Membership is checked here, at every download; files serves the short-lived
        // signed link (Range, ETag, safe headers) without knowing about rooms.
        HttpResponse r = HttpResponse::empty(302);
        r.setHeader("Location", link->toUtf8());
        r.setHeader("Cache-Control", "private, no-store");
        return r;
    });
}

void ChatRoutes::search(HttpRequest &req, const Responder &res)
{
    qint64 roomId = 0;
    if (!roomAndBody(req, res, &roomId, nullptr))
        return;
    if (auto q = checkQuery(req, {QStringLiteral("q"), QStringLiteral("limit"), QStringLiteral("before")}); !q)
        return sendError(req, res, q.error());
    auto limit = queryLimit(req, 20, 50);
    if (!limit)
        return sendError(req, res, limit.error());
    QList<FieldError> errors;
    const QString q = queryValue(req, QStringLiteral("q"));
    if (q.trimmed().isEmpty())
        errors.append({QStringLiteral("q"), QStringLiteral("what to search for"), QStringLiteral("required")});
    qint64 before = 0;
    if (const QString b = queryValue(req, QStringLiteral("before")); !b.isEmpty()) {
        before = parseId(b).value_or(0);
        if (!before)
            errors.append({QStringLiteral("before"), QStringLiteral("a message id"), QStringLiteral("invalid")});
    }
    if (!errors.isEmpty())
        return sendError(req, res, invalidFields(errors));
    run(m_db, req, res, [svc = &m_messages, p = req.principal, roomId, q, n = *limit, before]() -> Result<HttpResponse> {
        auto page = svc->search(p, roomId, q, n, before);
        if (!page)
            return tl::unexpected(page.error());
        QJsonArray items;
        for (qsizetype i = 0; i < page->items.size(); ++i) {
            QJsonObject o = messageJson(page->items[i]);
            o.insert(QStringLiteral("snippet"), page->snippets[i]);
            items.append(o);
        }
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("items"), items},
                                                   {QStringLiteral("before"), page->nextBefore ? QJsonValue(Json::idString(page->nextBefore))
                                                                                               : QJsonValue()}});
    });
}

} // namespace Chat
