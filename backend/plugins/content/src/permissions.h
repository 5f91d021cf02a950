// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Per-community authorization, in one place. The gateway has already checked the route's
/// access, site role and API-key scope; this decides what a principal may do inside a
/// community: site moderators and admins moderate every community, community moderators
/// and owners their own; only authors edit and delete their own content.

#include "community/principal.h"

#include <pqxx/pqxx>

#include <string>

namespace Content {

enum class CommunityRole { None, Member, Moderator, Owner };

/// May moderate (remove/restore, pin/lock, see reports, see removed content).
bool canModerate(const Community::Principal &principal, CommunityRole role);
/// May change the community itself (title/description/rules) and appoint moderators.
bool canManage(const Community::Principal &principal, CommunityRole role);

/// canModerate for a community id (one query, content.members, unless the site role decides).
bool moderates(pqxx::transaction_base &tx, const Community::Principal &principal, qint64 communityId);
/// canModerate for a personalised read's viewer (viewerOf(principal); 0: no personal view).
bool viewerModerates(const Community::Principal &principal, qint64 viewer, CommunityRole role);

/// "member", "moderator", "owner" ("" for None).
QString communityRoleName(CommunityRole role);
/// The role a members row names.
CommunityRole communityRoleFromName(const std::string &name);

} // namespace Content
