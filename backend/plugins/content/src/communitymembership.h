// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Content's side of ICommunityMembership (contracts/content.h): a user's standing in a
/// community, read from content.members. Blocking; thread-safe.

#include "community/contracts/content.h"

namespace Community::Db { class Database; }

namespace Content {

class CommunityMembership : public Community::Contracts::ICommunityMembership {
public:
    explicit CommunityMembership(Community::Db::Database &db) : m_db(db) {}

    Community::Result<Community::Contracts::CommunityStanding> standing(qint64 communityId, qint64 userId) const override;

private:
    Community::Db::Database &m_db;
};

} // namespace Content
