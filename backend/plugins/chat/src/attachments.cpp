// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "attachments.h"

#include "community/contracts/files.h"
#include "community/database.h"

#include <QDebug>
#include <QSet>

using namespace Community;

namespace Chat {

namespace {

Error attachmentError(const QString &message, const QString &code)
{
    return invalidField(QStringLiteral("attachments"), message, code);
}

void warn(const char *what, const Error &e)
{
    qWarning().noquote() << "chat:" << what << e.message << e.logDetail;
}

} // namespace

QString attachmentHolder(qint64 senderId, const QString &clientId)
{
    return QStringLiteral("chat:%1:%2").arg(senderId).arg(clientId);
}

QString attachmentPath(qint64 roomId, qint64 messageId, qint64 fileId)
{
    return QStringLiteral("/v1/chat/rooms/%1/messages/%2/attachments/%3").arg(roomId).arg(messageId).arg(fileId);
}

Result<QList<Attachment>> checkAttachments(const ChatContext &ctx, const Principal &who, const QList<qint64> &fileIds)
{
    QList<Attachment> out;
    if (fileIds.isEmpty())
        return out;
    if (!ctx.files)
        return tl::unexpected(chatError(ErrorCode::Unavailable, QStringLiteral("attachments-unavailable"),
                                        QStringLiteral("Attachments need the files service, which is not running here.")));
    if (fileIds.size() > ctx.config.maxAttachments)
        return tl::unexpected(attachmentError(QStringLiteral("at most %1 files").arg(ctx.config.maxAttachments),
                                              QStringLiteral("too_many")));
    if (QSet<qint64>(fileIds.begin(), fileIds.end()).size() != fileIds.size())
        return tl::unexpected(attachmentError(QStringLiteral("a file is named twice"), QStringLiteral("duplicate")));
    for (qint64 id : fileIds) {
        auto info = ctx.files->describe(id);
        if (!info && info.error().code != ErrorCode::NotFound)
            return tl::unexpected(info.error());
        // Unknown and someone else's are one answer: a file id is not confirmed to exist.
        if (!info || info->ownerId != who.userId)
            return tl::unexpected(attachmentError(QStringLiteral("file %1 is not one of your files").arg(id),
                                                  QStringLiteral("foreign_file")));
        if (info->purpose != QLatin1String("attachment") && info->purpose != QLatin1String("post_image"))
            return tl::unexpected(attachmentError(
                QStringLiteral("file %1 was uploaded as %2; attach files uploaded as attachment or post_image")
                    .arg(id).arg(info->purpose),
                QStringLiteral("purpose")));
        out.append(Attachment{info->id, info->name, info->mediaType, info->size});
    }
    return out;
}

Result<void> acquireAttachments(const ChatContext &ctx, const QString &holder, const QList<qint64> &fileIds)
{
    QList<qint64> taken;
    for (qint64 id : fileIds) {
        auto r = ctx.files->acquire(holder, id);
        if (!r) {
            for (qint64 t : taken)
                if (auto back = ctx.files->release(holder, t); !back)
                    warn("giving back an attachment reference failed:", back.error());
            if (r.error().code == ErrorCode::NotFound)   // deleted since checkAttachments()
                return tl::unexpected(attachmentError(QStringLiteral("file %1 is not one of your files").arg(id),
                                                      QStringLiteral("foreign_file")));
            return r;
        }
        taken.append(id);
    }
    return {};
}

void settleAttachments(const ChatContext &ctx, qint64 senderId, const QString &clientId, const QList<qint64> &fileIds)
{
    if (fileIds.isEmpty() || !ctx.files)
        return;
    auto kept = ctx.db->read<QList<qint64>>([&](pqxx::nontransaction &tx) -> Result<QList<qint64>> {
        return ChatRepository(tx).attachedFiles(senderId, clientId);
    });
    if (!kept) {
        // Unknown: keeping a reference too many is safe (the file stays), dropping one in use is not.
        warn("settling attachment references failed:", kept.error());
        return;
    }
    const QString holder = attachmentHolder(senderId, clientId);
    for (qint64 id : fileIds)
        if (!kept->contains(id))
            if (auto r = ctx.files->release(holder, id); !r)
                warn("giving back an attachment reference failed:", r.error());
}

qint64 drainReleases(const ChatContext &ctx)
{
    if (!ctx.files)
        return 0;
    qint64 total = 0;
    for (;;) {
        // The rows stay locked while files is called, so a restore of the same message
        // (cancelReleases) waits and then takes its references again after these.
        auto batch = ctx.db->transact<int>([&](pqxx::work &tx) -> Result<int> {
            ChatRepository repo(tx);
            const auto rows = repo.lockReleases(100);
            QList<qint64> done;
            for (const auto &[queueId, fileId, holder] : rows) {
                if (auto r = ctx.files->release(holder, fileId); !r) {
                    warn("releasing an attachment failed:", r.error());
                    break;
                }
                done.append(queueId);
            }
            repo.deleteReleases(done);
            return done.size() == rows.size() ? int(rows.size()) : -1;
        });
        if (!batch) {
            warn("draining attachment releases failed:", batch.error());
            return total;
        }
        if (*batch < 0)
            return total;
        total += *batch;
        if (*batch < 100)
            return total;
    }
}

qint64 releaseOrphanReferences(const ChatContext &ctx)
{
    if (!ctx.files)
        return 0;
    constexpr int kPage = 200;
    const QString prefix = QStringLiteral("chat:");
    qint64 released = 0;
    Contracts::FileReference after;
    for (;;) {
        auto page = ctx.files->references(prefix, ctx.config.orphanReferenceSeconds, after, kPage);
        if (!page) {
            warn("listing attachment references failed:", page.error());
            return released;
        }
        for (const Contracts::FileReference &ref : *page) {
            after = ref;
            // chat:<sender>:<clientId>; the client id may itself contain ':'.
            const qsizetype colon = ref.holder.indexOf(QLatin1Char(':'), prefix.size());
            bool ok = false;
            const qint64 sender = colon > prefix.size() ? ref.holder.mid(prefix.size(), colon - prefix.size()).toLongLong(&ok) : 0;
            if (!ok)
                continue;   // not a holder chat makes: leave it alone
            const QString clientId = ref.holder.mid(colon + 1);
            auto kept = ctx.db->read<QList<qint64>>([&](pqxx::nontransaction &tx) -> Result<QList<qint64>> {
                return ChatRepository(tx).attachedFiles(sender, clientId);
            });
            if (!kept) {
                warn("checking an attachment reference failed:", kept.error());
                return released;
            }
            if (kept->contains(ref.fileId))
                continue;
            if (auto r = ctx.files->release(ref.holder, ref.fileId); !r) {
                warn("releasing an orphaned attachment reference failed:", r.error());
                return released;
            }
            ++released;
        }
        if (page->size() < kPage)
            break;
    }
    if (released > 0)
        qInfo("chat: released %lld file reference(s) no message uses (a send that never committed)", qlonglong(released));
    return released;
}

void reacquireAttachments(const ChatContext &ctx, const Message &m)
{
    if (!ctx.files)
        return;
    const QString holder = attachmentHolder(m.senderId, m.clientId);
    for (const Attachment &a : m.attachments)
        if (auto r = ctx.files->acquire(holder, a.fileId); !r)
            warn("a restored message's attachment is gone:", r.error());
}

} // namespace Chat
