// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// SQL for the notifications schema, nothing else: inbox rows with their collapse groups,
/// the idempotency keys of projected events, read state. Works inside the caller's
/// transaction; blocking (worker threads only). libpqxx exceptions propagate to
/// Database::transact, which maps them.

#include "projector.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QStringList>

#include <optional>

namespace pqxx { class transaction_base; }

namespace Notifications {

struct Notification {
    qint64 id = 0, userId = 0, position = 0;
    QString kind;
    std::optional<qint64> threadId;
    QJsonObject subject;
    QList<qint64> actorIds;          ///< newest first, at most shownActors
    QStringList actorNames;          ///< same order
    int actorCount = 0;              ///< distinct actors collapsed into the row
    int eventCount = 1;
    QDateTime createdAt, updatedAt;
    std::optional<QDateTime> readAt;
};

struct NotificationPage {
    QList<Notification> items;
    std::optional<qint64> nextPosition;   ///< the cursor of the next page
};

/// What to mark read: one notification, everything, or everything up to (and including)
/// one notification's place in the inbox.
struct ReadScope {
    enum class Kind { One, All, UpTo } kind = Kind::All;
    qint64 id = 0;
};

class NotificationsRepository {
public:
    explicit NotificationsRepository(pqxx::transaction_base &tx) : m_tx(tx) {}

    /// Records that `sourceKey` was projected for `userId`; false if it already was.
    bool claimSource(qint64 userId, const QString &sourceKey);
    /// Inserts the draft or folds it into the recipient's unread row of the same group;
    /// returns the row as it is now.
    Notification upsert(const Draft &draft, int shownActors);
    void linkSource(qint64 userId, const QString &sourceKey, qint64 itemId);

    NotificationPage list(qint64 userId, std::optional<qint64> beforePosition, int limit, bool unreadOnly);
    /// Unread rows per kind (kinds with none are absent).
    QHash<QString, qint64> unreadByKind(qint64 userId);
    /// Rows marked now; nullopt when a named notification is not the user's.
    std::optional<qint64> markRead(qint64 userId, const ReadScope &scope);
    bool remove(qint64 userId, qint64 id);

private:
    pqxx::transaction_base &m_tx;
};

} // namespace Notifications
