// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "postjson.h"

#include "jsonwriter.h"

#include "community/json.h"

#include <QJsonArray>
#include <QJsonDocument>

using Community::Json::idString;
using Community::Json::iso;
using Community::Json::isoOrNull;

namespace Content {

using namespace JsonWriter;

QJsonObject postJson(const PostRow &p, bool full, bool privileged)
{
    const bool hidden = p.state != QLatin1String("visible") && !privileged;
    QJsonObject o{
        {QStringLiteral("id"), idString(p.id)},
        {QStringLiteral("community"), QJsonObject{{QStringLiteral("id"), idString(p.communityId)},
                                                  {QStringLiteral("slug"), p.communitySlug}}},
        {QStringLiteral("author"), hidden ? QJsonValue(QJsonValue::Null)
                                          : QJsonValue(QJsonObject{{QStringLiteral("id"), idString(p.authorId)},
                                                                   {QStringLiteral("username"), p.authorName}})},
        {QStringLiteral("title"), hidden ? QString() : p.title},
        {QStringLiteral("tags"), QJsonArray::fromStringList(hidden ? QStringList() : p.tags)},
        {QStringLiteral("state"), p.state},
        {QStringLiteral("pinned"), p.pinned},
        {QStringLiteral("locked"), p.locked},
        {QStringLiteral("score"), p.score},
        {QStringLiteral("upvotes"), p.upvotes},
        {QStringLiteral("downvotes"), p.downvotes},
        {QStringLiteral("commentCount"), p.commentCount},
        {QStringLiteral("revision"), p.revision},
        {QStringLiteral("createdAt"), iso(p.createdAt)},
        {QStringLiteral("editedAt"), isoOrNull(p.editedAt)},
        {QStringLiteral("myVote"), p.myVote},
        {QStringLiteral("bookmarked"), p.bookmarked},
    };
    if (p.state == QLatin1String("removed") && privileged)
        o.insert(QStringLiteral("removedReason"), p.removedReason);
    if (full) {
        o.insert(QStringLiteral("body"), hidden ? QString() : p.body);
        o.insert(QStringLiteral("bodyHtml"), hidden ? QString() : p.bodyHtml);
    } else {
        QString excerpt = hidden ? QString() : p.body.left(280);
        if (!hidden && p.body.size() > 280)
            excerpt += QChar(0x2026);
        o.insert(QStringLiteral("excerpt"), excerpt);
    }
    return o;
}

namespace {

/// ,"key":<integer>
void appendField(QByteArray &out, const char *key, qint64 v)
{
    out += key;
    appendNumber(out, v);
}

} // namespace

void appendPostExcerpt(QByteArray &out, const PostRow &p, QList<PageSlot> *places)
{
    // Writes `value` after `key`, noting its place for the shared page's overlay.
    const auto placed = [&](const char *key, PageSlot::Kind kind, qint64 value) {
        out += key;
        const qsizetype at = out.size();
        appendNumber(out, value);
        if (places)
            places->append(PageSlot{p.id, at, out.size() - at, kind});
    };
    if (p.state != QLatin1String("visible")) {   // feeds list none, but stay exact if one slips in
        out += QJsonDocument(postJson(p, false, false)).toJson(QJsonDocument::Compact);
        return;
    }
    QString excerpt = p.body.left(280);
    if (p.body.size() > 280)
        excerpt += QChar(0x2026);
    const auto flag = [](bool b) { return b ? "true" : "false"; };
    out += "{\"author\":{\"id\":";
    appendId(out, p.authorId);
    out += ",\"username\":";
    appendText(out, p.authorName);
    out += "},\"bookmarked\":";
    if (places)
        places->append(PageSlot{p.id, out.size(), p.bookmarked ? 4 : 5, PageSlot::PostBookmark});
    out += flag(p.bookmarked);
    placed(",\"commentCount\":", PageSlot::PostComments, p.commentCount);
    out += ",\"community\":{\"id\":";
    appendId(out, p.communityId);
    out += ",\"slug\":";
    appendText(out, p.communitySlug);
    out += "},\"createdAt\":";
    appendTime(out, p.createdAt);
    placed(",\"downvotes\":", PageSlot::PostDownvotes, p.downvotes);
    out += ",\"editedAt\":";
    appendTime(out, p.editedAt);
    out += ",\"excerpt\":";
    appendText(out, excerpt);
    out += ",\"id\":";
    appendId(out, p.id);
    out += ",\"locked\":";
    out += flag(p.locked);
    placed(",\"myVote\":", PageSlot::PostVote, p.myVote);
    out += ",\"pinned\":";
    out += flag(p.pinned);
    appendField(out, ",\"revision\":", p.revision);
    placed(",\"score\":", PageSlot::PostScore, p.score);
    out += ",\"state\":\"visible\",\"tags\":[";
    for (qsizetype i = 0; i < p.tags.size(); ++i) {
        if (i)
            out += ',';
        appendText(out, p.tags[i]);
    }
    out += "],\"title\":";
    appendText(out, p.title);
    placed(",\"upvotes\":", PageSlot::PostUpvotes, p.upvotes);
    out += '}';
}

namespace {

QJsonObject revisionJson(const RevisionRow &r, bool current, bool withTitle)
{
    QJsonObject o{{QStringLiteral("revision"), r.revision},
                  {QStringLiteral("body"), r.body},
                  {QStringLiteral("current"), current},
                  {QStringLiteral("createdAt"), iso(r.createdAt)}};
    if (withTitle) {
        o.insert(QStringLiteral("title"), r.title);
        o.insert(QStringLiteral("tags"), QJsonArray::fromStringList(r.tags));
    }
    return o;
}

} // namespace

QJsonObject revisionsJson(const QString &idKey, qint64 id, const RevisionRow &current, const QList<RevisionRow> &earlier,
                          bool withTitle)
{
    QJsonArray items{revisionJson(current, true, withTitle)};
    for (const RevisionRow &r : earlier)
        items.append(revisionJson(r, false, withTitle));
    return QJsonObject{{idKey, idString(id)}, {QStringLiteral("items"), items}};
}

} // namespace Content
