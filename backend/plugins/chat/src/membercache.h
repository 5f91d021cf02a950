// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Who is a member of which room, in memory: the `room:` topics' authoriser answers from
/// it at subscribe and at every delivery (the hub forbids database reads there). Loaded
/// in start(); this node's changes apply after commit, every node's through the
/// member.joined / member.left room frames (chatplugin.cpp). Thread-safe (a read-write lock).

#include <QHash>
#include <QReadWriteLock>
#include <QSet>

namespace Chat {

class MemberCache {
public:
    void load(QHash<qint64, QSet<qint64>> memberships);
    void set(qint64 roomId, qint64 userId, bool member);
    bool contains(qint64 roomId, qint64 userId) const;
    QList<qint64> membersOf(qint64 roomId) const;
    /// "room:<id>" -> id, 0 when not a room topic.
    static qint64 roomOfTopic(const QString &topic);

private:
    mutable QReadWriteLock m_lock;
    QHash<qint64, QSet<qint64>> m_members;
};

} // namespace Chat
