// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Contracts the users plugin provides.
///
/// IUserRelations: who a viewer follows and whose content the viewer must not see, for
/// feeds and listings in other plugins (content, search). Blocking (one database round
/// trip): call it from worker threads, outside your own transaction, so that it never
/// waits for a connection you hold.

#include "community/result.h"

#include <QList>

#include <algorithm>

namespace Community::Contracts {

struct ViewerRelations {
    QList<qint64> following;   ///< accounts the viewer follows
    /// Accounts whose content is left out for the viewer: blocked by the viewer, blocking
    /// the viewer, or muted by the viewer. Sorted ascending, no duplicates.
    QList<qint64> hidden;
    /// Accounts that block the viewer: they refuse the viewer's comments and replies on
    /// their content, votes on it and mentions of them. Sorted ascending, no duplicates.
    QList<qint64> blockedBy;

    bool isBlockedBy(qint64 account) const { return std::binary_search(blockedBy.begin(), blockedBy.end(), account); }
};

class IUserRelations {
public:
    static constexpr const char *interfaceId() { return "community.users.Relations/1"; }
    virtual ~IUserRelations() = default;
    /// Relations of `viewerId` (> 0). Thread-safe.
    virtual Result<ViewerRelations> relationsOf(qint64 viewerId) const = 0;
};

} // namespace Community::Contracts
