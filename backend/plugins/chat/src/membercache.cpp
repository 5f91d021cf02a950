// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "membercache.h"

#include "community/request.h"

namespace Chat {

void MemberCache::load(QHash<qint64, QSet<qint64>> memberships)
{
    QWriteLocker lock(&m_lock);
    m_members = std::move(memberships);
}

void MemberCache::set(qint64 roomId, qint64 userId, bool member)
{
    QWriteLocker lock(&m_lock);
    if (member) {
        m_members[roomId].insert(userId);
        return;
    }
    auto it = m_members.find(roomId);
    if (it == m_members.end())
        return;
    it->remove(userId);
    if (it->isEmpty())
        m_members.erase(it);
}

bool MemberCache::contains(qint64 roomId, qint64 userId) const
{
    QReadLocker lock(&m_lock);
    auto it = m_members.constFind(roomId);
    return it != m_members.constEnd() && it->contains(userId);
}

QList<qint64> MemberCache::membersOf(qint64 roomId) const
{
    QReadLocker lock(&m_lock);
    return m_members.value(roomId).values();
}

qint64 MemberCache::roomOfTopic(const QString &topic)
{
    static const QString prefix = QStringLiteral("room:");
    if (!topic.startsWith(prefix))
        return 0;
    return Community::Http::parseId(QStringView(topic).mid(prefix.size())).value_or(0);
}

} // namespace Chat
