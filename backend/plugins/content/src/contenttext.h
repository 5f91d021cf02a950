// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What content does with user text before storing it: tags checked and lower-cased,
/// markdown rendered with the configured options, @mentions resolved through the account
/// directory. Outside any transaction (CPU work and directory calls must not hold a
/// connection). Thread-safe.

#include "contentconfig.h"

#include "community/contracts/auth.h"
#include "community/contracts/users.h"
#include "community/result.h"

#include <QJsonValue>
#include <QList>
#include <QStringList>

namespace Content {

struct ContentContext;

/// Tags: an array of at most maxTags strings, each 1..tagMax of letters, digits and inner
/// hyphens (after lower casing), no duplicates. Errors name "tags" or "tags[i]". Returns
/// them lower-cased; absent or null is no tags.
QStringList parseTags(const QJsonValue &value, const ContentConfig &cfg, QList<Community::FieldError> &errors);

/// Renders markdown with the configured options; errors carry field `field`.
Community::Result<RenderedMarkdown> renderBody(const QString &markdown, const ContentConfig &cfg,
                                               const QString &field = QStringLiteral("body"));

/// A body ready to store: its HTML, the accounts it mentions, and the author's relations
/// (who blocks them: the caller refuses replies and votes on those accounts' content).
struct PreparedBody {
    RenderedMarkdown rendered;
    QList<Community::Contracts::UserRecord> mentioned;
    Community::Contracts::ViewerRelations authorRelations;
};

/// Renders `markdown` and resolves its mentions (at most cfg.maxMentions, unknown and
/// inactive names dropped, the author left out). A mention of an account that blocks the
/// author is refused (403 blocked). Blocking: runs outside any transaction.
Community::Result<PreparedBody> prepareBody(const ContentContext &ctx, const QString &markdown, qint64 authorId);

/// Asks the write gate (other plugins' write-time policies: silenced authors, blocked
/// words) about a `kind` ("post", "comment") write of these fields (name → text); its
/// refusal as the error. Call before the transaction: a refusal writes nothing.
Community::Result<void> checkWrite(const ContentContext &ctx, const QString &kind, qint64 authorId,
                                   const QList<std::pair<QString, QString>> &fields);

/// Of `mentioned` (the new revision's), those the previous text `oldMarkdown` did not
/// mention: only they are notified of an edit.
QList<Community::Contracts::UserRecord> newlyMentioned(const ContentConfig &cfg, const QString &oldMarkdown,
                                                       const QList<Community::Contracts::UserRecord> &mentioned);

} // namespace Content
