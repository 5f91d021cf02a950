// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Attachments through the files plugin's IFileAccess (ADR 0027): which files a sender
/// may attach, the references a message holds on them (holder "chat:<sender>:<clientId>",
/// taken before the message is written), and giving them back once a message is deleted
/// (queued by chat's triggers in attachment_releases, drained here). Blocking: workers,
/// outside any chat transaction (IFileAccess uses its own connections).

#include "chatcontext.h"

namespace Chat {

/// The reference key of the sender's message with that client id.
QString attachmentHolder(qint64 senderId, const QString &clientId);

/// "/v1/chat/rooms/<room>/messages/<message>/attachments/<file>": where members download.
QString attachmentPath(qint64 roomId, qint64 messageId, qint64 fileId);

/// The descriptions of `fileIds` (distinct, at most config.maxAttachments) when each is a
/// file `who` uploaded as an attachment or post image. Field errors on "attachments"
/// (foreign_file: unknown or someone else's, not told apart; purpose; too_many;
/// duplicate); 503 attachments-unavailable without the files plugin.
Community::Result<QList<Attachment>> checkAttachments(const ChatContext &ctx, const Community::Principal &who,
                                                      const QList<qint64> &fileIds);

/// Takes `holder`'s reference on every file; on a failure gives back those it took.
Community::Result<void> acquireAttachments(const ChatContext &ctx, const QString &holder, const QList<qint64> &fileIds);

/// Gives back the references on `fileIds` that the holder's stored message does not use
/// (a send that failed, or a retry that named other files). Logged, never fails.
void settleAttachments(const ChatContext &ctx, qint64 senderId, const QString &clientId, const QList<qint64> &fileIds);

/// Releases the queued references (attachment_releases), in batches, until the queue is
/// empty or files fails (then the rest waits for the next call). How many were released.
qint64 drainReleases(const ChatContext &ctx);

/// Releases chat's file references that no stored message uses and that are older than
/// config.orphanReferenceSeconds: left by a daemon that died between taking them and
/// committing the message (a retry of the send would have used them; after that long it
/// is not coming). Stops at the first failure (the next sweep continues). How many went.
qint64 releaseOrphanReferences(const ChatContext &ctx);

/// A restored message takes its references again (files deleted meanwhile are logged and
/// stay unavailable to download).
void reacquireAttachments(const ChatContext &ctx, const Message &m);

} // namespace Chat
