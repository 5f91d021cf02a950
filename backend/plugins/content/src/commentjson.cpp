// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "commentjson.h"

#include "jsonwriter.h"

#include <QJsonDocument>

#include <tuple>

namespace Content {

using namespace JsonWriter;

void appendCommentFields(QByteArray &out, const CommentRow &c, bool privileged, QList<PageSlot> *places)
{
    const bool hidden = c.state != QLatin1String("visible") && !privileged;
    out += "\"id\":";
    appendId(out, c.id);
    out += ",\"postId\":";
    appendId(out, c.postId);
    out += ",\"parentId\":";
    if (c.parentId)
        appendId(out, c.parentId);
    else
        out += "null";
    out += ",\"author\":";
    if (hidden) {
        out += "null";
    } else {
        out += "{\"id\":";
        appendId(out, c.authorId);
        out += ",\"username\":";
        appendText(out, c.authorName);
        out += '}';
    }
    out += ",\"body\":";
    appendText(out, hidden ? QString() : c.body);
    out += ",\"bodyHtml\":";
    appendText(out, hidden ? QString() : c.bodyHtml);
    out += ",\"state\":";
    appendText(out, c.state);
    if (c.state == QLatin1String("removed") && privileged) {
        out += ",\"removedReason\":";
        appendText(out, c.removedReason);
    }
    constexpr int kNone = -1;   // not rewritten by an overlay
    const std::tuple<const char *, int, int> numbers[] = {
        {",\"depth\":", c.depth, kNone},
        {",\"score\":", c.score, PageSlot::CommentScore},
        {",\"upvotes\":", c.upvotes, PageSlot::CommentUpvotes},
        {",\"downvotes\":", c.downvotes, PageSlot::CommentDownvotes},
        {",\"replyCount\":", c.replyCount, kNone},
        {",\"revision\":", c.revision, kNone},
        {",\"myVote\":", c.myVote, PageSlot::CommentVote}};
    for (const auto &[key, value, kind] : numbers) {
        out += key;
        const qsizetype at = out.size();
        appendNumber(out, value);
        if (places && kind != kNone)
            places->append(PageSlot{c.id, at, out.size() - at, PageSlot::Kind(kind)});
    }
    out += ",\"createdAt\":";
    appendTime(out, c.createdAt);
    out += ",\"editedAt\":";
    appendTime(out, c.editedAt);
}

QJsonObject commentJson(const CommentRow &c, bool privileged)
{
    QByteArray out = "{";
    appendCommentFields(out, c, privileged);
    out += '}';
    return QJsonDocument::fromJson(out).object();
}

} // namespace Content
