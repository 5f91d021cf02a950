// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A post as JSON, for every answer that shows one (post routes, post page, bookmarks,
/// feeds). Pure; thread-safe.

#include "postrepository.h"
#include "sharedpage.h"

#include <QByteArray>
#include <QJsonObject>

namespace Content {

/// The post as JSON. `full`: with body and bodyHtml (post page), else an excerpt (feeds).
/// A deleted or removed post shows no title/body unless `privileged` (its author or a
/// moderator of its community), but keeps its id, state and counters.
QJsonObject postJson(const PostRow &post, bool full, bool privileged);

/// postJson(post, false, false) appended as JSON text, written directly for the feeds
/// (same output as QJsonDocument: compact, keys in order; tst_contentfeeds compares).
/// `places`, when given, receives where myVote and bookmarked were written (sharedpage.h).
void appendPostExcerpt(QByteArray &out, const PostRow &post, QList<PageSlot> *places = nullptr);

/// A revision list: {<idKey>: id, items: [current, earlier...]}, each entry {revision,
/// title?, body, tags?, current, createdAt} (title and tags: `withTitle`, posts).
QJsonObject revisionsJson(const QString &idKey, qint64 id, const RevisionRow &current, const QList<RevisionRow> &earlier,
                          bool withTitle);

} // namespace Content
