// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "itemcontext.h"

#include "requestprogress.h"

#include "community/client/apiclient.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <utility>

using namespace Community::Client;

namespace Console {

namespace {

QString esc(const QJsonValue &v)
{
    return v.toVariant().toString().toHtmlEscaped();
}

QString reportsHtml(const QJsonArray &reports)
{
    QString html = QStringLiteral("<h4>%1</h4><ul>").arg(ItemContext::tr("Reports (%1)").arg(reports.size()));
    for (const QJsonValue &v : reports) {
        const QJsonObject r = v.toObject();
        html += QStringLiteral("<li>%1 · %2 #%3 (%4) · %5 %6</li>")
                    .arg(esc(r.value(QStringLiteral("reason"))), ItemContext::tr("reporter"), esc(r.value(QStringLiteral("reporterId"))),
                         esc(r.value(QStringLiteral("reporterRole"))), esc(r.value(QStringLiteral("createdAt"))),
                         r.value(QStringLiteral("outcome")).isString() ? QStringLiteral("→ ") + esc(r.value(QStringLiteral("outcome"))) : QString());
    }
    return html + QStringLiteral("</ul>");
}

QString notesHtml(const QJsonArray &notes)
{
    if (notes.isEmpty())
        return {};
    QString html = QStringLiteral("<h4>%1</h4>").arg(ItemContext::tr("Notes"));
    for (const QJsonValue &v : notes) {
        const QJsonObject n = v.toObject();
        html += QStringLiteral("<p><b>%1</b>: %2</p>")
                    .arg(esc(n.value(QStringLiteral("author")).toObject().value(QStringLiteral("username"))), esc(n.value(QStringLiteral("body"))));
    }
    return html;
}

QString targetHtml(const QJsonObject &t)
{
    const QString author = t.value(QStringLiteral("author")).toObject().value(QStringLiteral("username")).toString();
    QString html = QStringLiteral("<h3>%1</h3>").arg(esc(t.value(QStringLiteral("title"))));
    html += QStringLiteral("<p><b>%1</b> %2 · %3 <b>%4</b> · %5 %6</p>")
                .arg(ItemContext::tr("Author:"), author.toHtmlEscaped(), ItemContext::tr("state"),
                     esc(t.value(QStringLiteral("state"))), ItemContext::tr("in"),
                     esc(t.value(QStringLiteral("community")).toObject().value(QStringLiteral("slug"))));
    html += QStringLiteral("<blockquote>%1</blockquote>").arg(esc(t.value(QStringLiteral("body"))).left(4000));
    return html;
}

QString postsHtml(const QString &title, const QJsonArray &items, const QString &field)
{
    QString html = QStringLiteral("<h4>%1</h4><ul>").arg(title);
    for (const QJsonValue &v : items) {
        const QJsonObject o = v.toObject();
        html += QStringLiteral("<li>%1 <i>%2</i></li>").arg(esc(o.value(field)).left(200), esc(o.value(QStringLiteral("state"))));
    }
    return items.isEmpty() ? QString() : html + QStringLiteral("</ul>");
}

} // namespace

void ItemContext::send(const QString &path, std::function<void(const ApiReply &)> onFinished)
{
    if (m_progress)
        m_inflight.append(m_progress->send(ApiRequest{"GET", path}, std::move(onFinished)));
}

QStringList ItemContext::imageUrls() const
{
    // The server's sanitiser leaves only http(s) images in bodyHtml (docs/adr/0006).
    static const QRegularExpression img(QStringLiteral(R"re(<img\b[^>]*\bsrc="([^"]+)")re"),
                                        QRegularExpression::CaseInsensitiveOption);
    QStringList urls;
    auto it = img.globalMatch(m_target.value(QStringLiteral("bodyHtml")).toString());
    while (it.hasNext() && urls.size() < 8) {
        QString url = it.next().captured(1);
        url.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
        if ((url.startsWith(QLatin1String("https://")) || url.startsWith(QLatin1String("http://"))) && !urls.contains(url))
            urls << url;
    }
    return urls;
}

void ItemContext::clear()
{
    ++m_generation;   // first: the cancelled answers below are then stale
    const auto inflight = std::exchange(m_inflight, {});
    for (const QPointer<PendingReply> &p : inflight) {
        if (p)
            p->cancel();
    }
    m_item = m_detail = m_target = {};
    m_thread.clear();
    m_history.clear();
    m_author.clear();
    m_error.clear();
    Q_EMIT changed();
}

void ItemContext::load(RequestProgress *progress, const QJsonObject &item)
{
    clear();
    m_progress = progress;
    m_item = item;
    const quint64 generation = m_generation;
    const QString id = item.value(QStringLiteral("id")).toString();
    send(QStringLiteral("/v1/admin/queue/%1").arg(ApiClient::pathSegment(id)), [this, generation](const ApiReply &reply) {
        if (stale(generation))
            return;
        if (!reply.ok())
            m_error = replyMessage(reply);
        else
            m_detail = reply.jsonObject().value_or(QJsonObject());
        Q_EMIT changed();
    });
    const QJsonObject target = item.value(QStringLiteral("target")).toObject();
    loadTarget(target.value(QStringLiteral("type")).toString(), target.value(QStringLiteral("id")).toString());
    Q_EMIT changed();
}

void ItemContext::loadTarget(const QString &type, const QString &id)
{
    const quint64 generation = m_generation;
    const bool post = type == QLatin1String("post");
    const QString path = post ? QStringLiteral("/v1/posts/%1?limit=10") : QStringLiteral("/v1/comments/%1");
    send(path.arg(ApiClient::pathSegment(id)), [this, generation](const ApiReply &reply) {
        if (stale(generation))
            return;
        if (!reply.ok()) {
            m_error = replyMessage(reply);
            return Q_EMIT changed();
        }
        const QJsonObject o = reply.jsonObject().value_or(QJsonObject());
        // A comment's permalink answers its post with the thread around the comment.
        m_target = o.value(QStringLiteral("post")).toObject();
        const QJsonArray around = o.value(QStringLiteral("comments")).toArray();
        m_thread = postsHtml(tr("The thread around it"), around, QStringLiteral("body"));
        m_author = m_target.value(QStringLiteral("author")).toObject().value(QStringLiteral("username")).toString();
        if (!m_author.isEmpty())
            loadHistory(m_author);
        Q_EMIT changed();
    });
}

void ItemContext::loadHistory(const QString &username)
{
    const quint64 generation = m_generation;
    send(QStringLiteral("/v1/users/%1/posts?limit=5").arg(ApiClient::pathSegment(username)),
                [this, generation](const ApiReply &reply) {
        if (stale(generation) || !reply.ok())
            return;
        const QJsonArray items = reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("items")).toArray();
        m_history = postsHtml(tr("The author's recent posts"), items, QStringLiteral("title"));
        Q_EMIT changed();
    });
}

QString ItemContext::html() const
{
    if (m_item.isEmpty())
        return {};
    const QJsonObject claim = m_item.value(QStringLiteral("claim")).toObject();
    QString html;
    if (!claim.isEmpty())
        html += QStringLiteral("<p style='color:#8a5300'><b>%1</b></p>")
                    .arg(tr("Claimed by %1 until %2").arg(esc(claim.value(QStringLiteral("holder"))), esc(claim.value(QStringLiteral("expiresAt")))));
    html += m_target.isEmpty() ? QStringLiteral("<p>%1</p>").arg(tr("Loading the reported text…")) : targetHtml(m_target);
    html += m_thread;
    html += reportsHtml(m_detail.value(QStringLiteral("reports")).toArray());
    html += notesHtml(m_detail.value(QStringLiteral("notes")).toArray());
    html += m_history;
    if (!m_error.isEmpty())
        html += QStringLiteral("<p style='color:#b00020'>%1</p>").arg(m_error.toHtmlEscaped());
    return html;
}

} // namespace Console
