// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "commentjson.h"

#include "jsonwriter.h"

#include <QJsonDocument>

namespace Content {

using namespace JsonWriter;

void appendCommentFields(QByteArray &out, const CommentRow &c, bool privileged)
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
    const std::pair<const char *, int> numbers[] = {{",\"depth\":", c.depth},         {",\"score\":", c.score},
                                                    {",\"upvotes\":", c.upvotes},     {",\"downvotes\":", c.downvotes},
                                                    {",\"replyCount\":", c.replyCount}, {",\"revision\":", c.revision},
                                                    {",\"myVote\":", c.myVote}};
    for (const auto &[key, value] : numbers) {
        out += key;
        appendNumber(out, value);
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
