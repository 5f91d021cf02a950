// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "sharedpage.h"

#include <algorithm>

namespace Content {

Community::Http::HttpResponse personalised(const SharedPage &page, const PageOverlay &overlay)
{
    Community::Http::HttpResponse out;
    out.status = page.response.status;
    out.headers = page.response.headers;
    const QByteArray &in = page.response.body;
    out.body.reserve(in.size() + page.places.size() * 2);
    qsizetype from = 0;
    for (const PageSlot &s : page.places) {
        const auto it = overlay.constFind({int(s.kind), s.id});
        if (it == overlay.cend())
            continue;   // the anonymous value stays
        out.body.append(in.constData() + from, s.offset - from);
        if (s.kind == PageSlot::PostBookmark)
            out.body += *it ? "true" : "false";
        else
            out.body += QByteArray::number(*it);
        from = s.offset + s.length;
    }
    out.body.append(in.constData() + from, in.size() - from);
    return out;
}

bool hidesAnyone(const SharedPage &page, const QList<qint64> &hidden)
{
    for (qint64 author : page.authors)
        if (hidden.contains(author))
            return true;
    return false;
}

void notePostPlaces(const QByteArray &body, qsizetype from, qint64 postId, QList<PageSlot> &places)
{
    static const std::pair<QByteArray, PageSlot::Kind> keys[] = {
        {R"(,"bookmarked":)", PageSlot::PostBookmark}, {R"(,"commentCount":)", PageSlot::PostComments},
        {R"(,"downvotes":)", PageSlot::PostDownvotes}, {R"(,"myVote":)", PageSlot::PostVote},
        {R"(,"score":)", PageSlot::PostScore},         {R"(,"upvotes":)", PageSlot::PostUpvotes}};
    QList<PageSlot> found;
    for (const auto &[key, kind] : keys) {
        const qsizetype at = body.indexOf(key, from);
        if (at < 0)
            continue;
        const qsizetype value = at + key.size();
        qsizetype end = value;
        while (end < body.size() && (QChar::isLetterOrNumber(uchar(body[end])) || body[end] == '-'))
            ++end;
        found.append(PageSlot{postId, value, end - value, kind});
    }
    std::sort(found.begin(), found.end(), [](const PageSlot &a, const PageSlot &b) { return a.offset < b.offset; });
    places = found + places;
}

} // namespace Content
