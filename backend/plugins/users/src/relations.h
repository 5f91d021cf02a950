// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// IUserRelations for other plugins: who a viewer follows and whose content is hidden
/// from the viewer (blocks either way, mutes), in one autocommit round trip.

#include "community/contracts/users.h"

namespace Community::Db { class Database; }

namespace Users {

class UserRelations final : public Community::Contracts::IUserRelations {
public:
    explicit UserRelations(Community::Db::Database &db) : m_db(db) {}
    Community::Result<Community::Contracts::ViewerRelations> relationsOf(qint64 viewerId) const override;

private:
    Community::Db::Database &m_db;
};

} // namespace Users
