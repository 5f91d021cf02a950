// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// An in-memory IUserDirectory for the db-level tests (the http tests use the real auth plugin).

#include "community/contracts/auth.h"

#include <QHash>
#include <QMutex>

#include <algorithm>

namespace Users::Test {

class FakeDirectory : public Community::Contracts::IUserDirectory {
public:
    using UserRecord = Community::Contracts::UserRecord;
    using UserChange = Community::Contracts::UserChange;

    qint64 add(const QString &username, Community::Role role = Community::Role::User)
    {
        QMutexLocker lock(&m_mutex);
        UserRecord u;
        u.id = ++m_nextId;
        u.username = username;
        u.role = role;
        u.createdAt = QDateTime::currentDateTimeUtc();
        m_users.insert(u.id, u);
        return u.id;
    }
    void set(const UserRecord &u)
    {
        QMutexLocker lock(&m_mutex);
        m_users.insert(u.id, u);
    }
    void remove(qint64 id)
    {
        QMutexLocker lock(&m_mutex);
        m_users.remove(id);
    }
    UserRecord get(qint64 id) const
    {
        QMutexLocker lock(&m_mutex);
        return m_users.value(id);
    }

    Community::Result<UserRecord> findByUsername(const QString &username) const override
    {
        QMutexLocker lock(&m_mutex);
        for (const auto &u : m_users) {
            if (u.username.compare(username, Qt::CaseInsensitive) == 0)
                return u;
        }
        return Community::fail(Community::ErrorCode::NotFound, QStringLiteral("no such user"));
    }
    Community::Result<UserRecord> findById(qint64 id) const override
    {
        QMutexLocker lock(&m_mutex);
        if (!m_users.contains(id))
            return Community::fail(Community::ErrorCode::NotFound, QStringLiteral("no such user"));
        return m_users.value(id);
    }
    Community::Result<QList<UserRecord>> findByIds(const QList<qint64> &ids) const override
    {
        QMutexLocker lock(&m_mutex);
        QList<UserRecord> out;
        for (qint64 id : ids)
            if (m_users.contains(id))
                out.append(m_users.value(id));
        return out;
    }
    Community::Result<QList<qint64>> activeIdsAfter(qint64 afterId, int limit) const override
    {
        QMutexLocker lock(&m_mutex);
        QList<qint64> ids;
        for (auto it = m_users.cbegin(); it != m_users.cend(); ++it)
            if (it.key() > afterId && it->state == Community::Contracts::AccountState::Active)
                ids.append(it.key());
        std::sort(ids.begin(), ids.end());
        return ids.mid(0, limit);
    }
    void subscribe(std::function<void(const UserChange &)> listener) override { m_listeners.append(listener); }

    QList<std::function<void(const UserChange &)>> m_listeners;

private:
    mutable QMutex m_mutex;
    QHash<qint64, UserRecord> m_users;
    qint64 m_nextId = 1000;
};

} // namespace Users::Test
