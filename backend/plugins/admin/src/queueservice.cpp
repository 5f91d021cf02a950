// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "queueservice.h"

#include "auditglossary.h"
#include "auditservice.h"

#include "community/contracts/auth.h"
#include "community/contracts/chat.h"
#include "community/contracts/events/chat.h"
#include "community/contracts/events/content.h"
#include "community/database.h"

using namespace Community;
namespace ContentEvents = Community::Contracts::Events::Content;
namespace ChatEvents = Community::Contracts::Events::Chat;

namespace Admin {

namespace {

QString itemTarget(qint64 id)
{
    return QString::number(id);
}

StaffAction itemAction(QLatin1StringView action, qint64 itemId, const QJsonValue &before, const QJsonValue &after,
                       const QString &reason = {})
{
    return StaffAction{QString(action), QStringLiteral("queue_item"), itemTarget(itemId), reason, before, after};
}

QJsonValue claimJson(const QueueItem &i)
{
    if (!i.claimActive())
        return QJsonValue();
    return QJsonObject{{QStringLiteral("holderId"), QString::number(i.claimHolderId)},
                       {QStringLiteral("holder"), i.claimHolderName}};
}

} // namespace

Error claimedError(const QueueItem &item)
{
    Error e = Error::make(ErrorCode::Conflict,
                          QStringLiteral("%1 is working on this item until %2; take it over explicitly to act on it.")
                              .arg(item.claimHolderName, item.claimExpiresAt.toString(Qt::ISODate)));
    e.type = QStringLiteral("claimed");
    return e;
}

Error resolvedError()
{
    Error e = Error::make(ErrorCode::Conflict, QStringLiteral("This item was already decided."));
    e.type = QStringLiteral("item-resolved");
    return e;
}

Result<ItemDetail> loadDetail(pqxx::transaction_base &tx, qint64 itemId)
{
    QueueRepository repo(tx);
    auto item = repo.load(itemId);
    if (!item)
        return tl::unexpected(notFound(QStringLiteral("No such queue item.")));
    return ItemDetail{*item, repo.reports(itemId), repo.notes(itemId)};
}

Result<void> QueueService::ingest(const Events::Event &event)
{
    if (event.type == ContentEvents::Type::ReportCreated)
        return ingestCreated(event);
    if (event.type == ContentEvents::Type::ReportResolved)
        return ingestResolved(event);
    if (event.type == ChatEvents::Type::MessageReported)
        return ingestChat(event);
    return {};
}

Result<void> QueueService::ingestCreated(const Events::Event &event)
{
    const auto report = ContentEvents::ReportChanged::fromJson(event.payload);
    if (!report || report->reporterId == 0)
        return {};
    return addReport({report->reportId, report->reporterId, report->targetId, report->communityId, QStringLiteral("user"),
                      report->reason.value_or(QStringLiteral("other")), report->targetType});
}

Result<void> QueueService::ingestChat(const Events::Event &event)
{
    const auto report = ChatEvents::MessageReported::fromJson(event.payload);
    if (!report || report->reporterId == 0)
        return {};
    return addReport({report->reportId, report->reporterId, report->messageId, report->communityId, QStringLiteral("user"),
                      report->reason, QString::fromLatin1(Contracts::kChatMessageTarget), QStringLiteral("chat")});
}

Result<void> QueueService::addReport(IncomingReport in)
{
    // Outside the transaction: the directory uses its own connection.
    if (auto reporter = m_directory.findById(in.reporterId))
        in.reporterRole = roleName(reporter->role);
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        QueueRepository repo(tx);
        qint64 itemId = 0;
        if (repo.addReport(in, &itemId))
            repo.setPriority(itemId, priorityScore(repo.reportSignals(itemId)));
        return {};
    });
}

Result<void> QueueService::ingestResolved(const Events::Event &event)
{
    const auto report = ContentEvents::ReportChanged::fromJson(event.payload);
    if (!report)
        return {};
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        // Resolved through content's own route: the queue forgets the report, and an item
        // left without open reports is closed (a decision in flight overwrites this).
        QueueRepository repo(tx);
        const qint64 itemId = repo.closeReport(report->reportId);
        if (itemId == 0)
            return {};
        if (repo.openReportCount(itemId) == 0)
            repo.resolveItem(itemId, 0, QStringLiteral("closed"));
        else
            repo.setPriority(itemId, priorityScore(repo.reportSignals(itemId)));
        return {};
    });
}

Result<QList<QueueItem>> QueueService::list(const QueueFilter &filter, int limit)
{
    return m_db.read<QList<QueueItem>>([&](pqxx::nontransaction &tx) -> Result<QList<QueueItem>> {
        return QueueRepository(tx).page(filter, limit);
    });
}

Result<ItemDetail> QueueService::show(qint64 itemId)
{
    return m_db.read<ItemDetail>([&](pqxx::nontransaction &tx) { return loadDetail(tx, itemId); });
}

Result<ItemDetail> QueueService::change(qint64 itemId,
                                        const std::function<Result<void>(QueueRepository &, const QueueItem &)> &step)
{
    return m_db.transact<ItemDetail>([&](pqxx::work &tx) -> Result<ItemDetail> {
        QueueRepository repo(tx);
        const auto item = repo.load(itemId, true);
        if (!item)
            return tl::unexpected(notFound(QStringLiteral("No such queue item.")));
        if (auto r = step(repo, *item); !r)
            return tl::unexpected(r.error());
        return loadDetail(tx, itemId);
    });
}

Result<ItemDetail> QueueService::claim(const Principal &who, qint64 itemId, bool takeover)
{
    return change(itemId, [&](QueueRepository &repo, const QueueItem &item) -> Result<void> {
        if (item.status != QLatin1String("open"))
            return tl::unexpected(resolvedError());
        const bool other = item.claimActive() && item.claimHolderId != who.userId;
        if (other && !takeover)
            return tl::unexpected(claimedError(item));
        const int minutes = m_claimMinutes.load();
        repo.setClaim(itemId, who.userId, who.username, minutes);
        const QJsonObject after{{QStringLiteral("holderId"), QString::number(who.userId)},
                                {QStringLiteral("holder"), who.username},
                                {QStringLiteral("minutes"), minutes}};
        auto r = m_audit.record(repo.transaction(), itemAction(other ? Action::QueueTakeover : Action::QueueClaim, itemId,
                                                               claimJson(item), after));
        return r ? Result<void>() : tl::unexpected(r.error());
    });
}

Result<ItemDetail> QueueService::release(const Principal &who, qint64 itemId)
{
    return change(itemId, [&](QueueRepository &repo, const QueueItem &item) -> Result<void> {
        if (!item.claimActive())
            return {};
        if (item.claimHolderId != who.userId && !who.hasRole(Role::Admin))
            return tl::unexpected(forbidden(QStringLiteral("Only the holder or an admin can release a claim.")));
        repo.clearClaim(itemId);
        auto r = m_audit.record(repo.transaction(), itemAction(Action::QueueRelease, itemId, claimJson(item), QJsonValue()));
        return r ? Result<void>() : tl::unexpected(r.error());
    });
}

Result<ItemDetail> QueueService::addNote(const Principal &who, qint64 itemId, const QString &body)
{
    return change(itemId, [&](QueueRepository &repo, const QueueItem &) -> Result<void> {
        const qint64 id = repo.addNote(itemId, who.userId, who.username, body);
        auto r = m_audit.record(repo.transaction(),
                                itemAction(Action::QueueNote, itemId, QJsonValue(),
                                           QJsonObject{{QStringLiteral("noteId"), QString::number(id)},
                                                       {QStringLiteral("body"), body}}));
        return r ? Result<void>() : tl::unexpected(r.error());
    });
}

Result<ItemDetail> QueueService::assign(const Principal &, qint64 itemId, qint64 assigneeId)
{
    QString assigneeName;
    if (assigneeId != 0) {
        const auto user = m_directory.findById(assigneeId);
        if (!user || int(user->role) < int(Role::Moderator))
            return tl::unexpected(invalidField(QStringLiteral("assigneeId"), QStringLiteral("must be a moderator or admin"),
                                               QStringLiteral("not_staff")));
        assigneeName = user->username;
    }
    return change(itemId, [&](QueueRepository &repo, const QueueItem &item) -> Result<void> {
        repo.setAssignee(itemId, assigneeId);
        const auto idOrNull = [](qint64 id) { return id ? QJsonValue(QString::number(id)) : QJsonValue(); };
        auto r = m_audit.record(repo.transaction(),
                                itemAction(Action::QueueAssign, itemId,
                                           QJsonObject{{QStringLiteral("assigneeId"), idOrNull(item.assigneeId)}},
                                           QJsonObject{{QStringLiteral("assigneeId"), idOrNull(assigneeId)},
                                                       {QStringLiteral("assignee"), assigneeName}}));
        return r ? Result<void>() : tl::unexpected(r.error());
    });
}

} // namespace Admin
