// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chatjson.h"

#include "attachments.h"

#include "community/json.h"

using Community::Json::idString;
using Community::Json::iso;
using Community::Json::isoOrNull;

namespace Chat {

QJsonArray idArray(const QList<qint64> &ids)
{
    QJsonArray out;
    for (qint64 id : ids)
        out.append(idString(id));
    return out;
}

QJsonObject roomJson(const Room &room)
{
    return QJsonObject{
        {QStringLiteral("id"), idString(room.id)},
        {QStringLiteral("kind"), kindName(room.kind)},
        {QStringLiteral("name"), room.name},
        {QStringLiteral("topic"), room.topic},
        {QStringLiteral("communityId"), room.communityId ? QJsonValue(idString(room.communityId)) : QJsonValue()},
        {QStringLiteral("dmMembers"), room.kind == RoomKind::Dm ? QJsonValue(idArray(room.dmPair)) : QJsonValue()},
        {QStringLiteral("memberLimit"), room.memberLimit},
        {QStringLiteral("memberCount"), room.memberCount},
        {QStringLiteral("lastSeq"), room.lastSeq},
        {QStringLiteral("createdBy"), idString(room.createdBy)},
        {QStringLiteral("createdAt"), iso(room.createdAt)},
    };
}

QJsonObject roomViewJson(const RoomView &view)
{
    QJsonObject o = roomJson(view.room);
    o.insert(QStringLiteral("role"), memberRoleName(view.role));
    o.insert(QStringLiteral("lastReadSeq"), view.lastReadSeq);
    o.insert(QStringLiteral("unread"), view.unread);
    o.insert(QStringLiteral("mentions"), view.mentions);
    return o;
}

QJsonObject memberJson(const Member &member)
{
    return QJsonObject{
        {QStringLiteral("userId"), idString(member.userId)},
        {QStringLiteral("role"), memberRoleName(member.role)},
        {QStringLiteral("lastReadSeq"), member.lastReadSeq},
        {QStringLiteral("joinedAt"), iso(member.joinedAt)},
    };
}

QJsonObject messageJson(const Message &m, bool showDeleted)
{
    const bool hide = m.deleted() && !showDeleted;
    QJsonArray reactions;
    for (const Reaction &r : m.reactions)
        reactions.append(QJsonObject{{QStringLiteral("emoji"), r.emoji}, {QStringLiteral("count"), r.count},
                                     {QStringLiteral("mine"), r.mine}});
    QJsonArray attachments;
    if (!hide) {
        for (const Attachment &a : m.attachments)
            attachments.append(QJsonObject{{QStringLiteral("id"), idString(a.fileId)}, {QStringLiteral("name"), a.name},
                                           {QStringLiteral("type"), a.mediaType}, {QStringLiteral("size"), a.size},
                                           {QStringLiteral("url"), attachmentPath(m.roomId, m.id, a.fileId)}});
    }
    return QJsonObject{
        {QStringLiteral("id"), idString(m.id)},
        {QStringLiteral("roomId"), idString(m.roomId)},
        {QStringLiteral("seq"), m.seq},
        {QStringLiteral("senderId"), idString(m.senderId)},
        {QStringLiteral("clientId"), m.clientId},
        {QStringLiteral("body"), hide ? QString() : m.body},
        {QStringLiteral("html"), hide ? QString() : m.html},
        {QStringLiteral("mentions"), idArray(hide ? QList<qint64>{} : m.mentions)},
        {QStringLiteral("threadRootId"), m.threadRootId ? QJsonValue(idString(m.threadRootId)) : QJsonValue()},
        {QStringLiteral("replyCount"), m.replyCount},
        {QStringLiteral("createdAt"), iso(m.createdAt)},
        {QStringLiteral("editedAt"), isoOrNull(m.editedAt)},
        {QStringLiteral("deleted"), m.deleted()},
        {QStringLiteral("deletedAt"), isoOrNull(m.deletedAt)},
        {QStringLiteral("reactions"), reactions},
        {QStringLiteral("attachments"), attachments},
    };
}

} // namespace Chat
