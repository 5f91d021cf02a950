// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Communities: creating (idempotent), reading, listing, changing, membership and
/// moderators — the rules, per-community authorization, transactions and events.
/// Blocking: call from worker threads. Thread-safe (no mutable state).

#include "communityrepository.h"
#include "contentcontext.h"
#include "idempotency.h"

#include "community/http.h"
#include "community/principal.h"

#include <functional>

namespace Content {

/// A community and, for a signed-in viewer, the viewer's role in it.
struct CommunityView {
    CommunityRow community;
    std::optional<CommunityRole> role;
};

struct Membership {
    bool joined = false;
    int memberCount = 0;
};

struct ModeratorChange {
    QString username;
    QString role;            ///< moderator, member, or "" (not a member)
};

class CommunityService {
public:
    explicit CommunityService(ContentContext &ctx) : m_ctx(ctx) {}

    /// Creates the community with the caller as owner and publishes
    /// content.community.created; `reply` makes the (stored) response.
    Community::Result<Community::Http::HttpResponse> create(
        const Community::Principal &who, const CommunityDraft &draft, const std::optional<IdempotencyKey> &key,
        const std::function<Community::Http::HttpResponse(const CommunityView &)> &reply);
    /// Up to `rows` communities after `after` (by new or by members).
    Community::Result<QList<CommunityRow>> page(bool byNew, const std::optional<QList<qint64>> &after, int rows);
    /// The community; with the viewer's role when `viewer` > 0.
    Community::Result<CommunityView> get(const QString &slug, qint64 viewer);
    /// Moderators change title, description and rules (content.community.updated).
    Community::Result<CommunityView> update(const Community::Principal &who, const QString &slug,
                                            const CommunityPatch &patch);
    /// Joins or leaves; the owner cannot leave (Conflict).
    Community::Result<Membership> setMembership(const Community::Principal &who, const QString &slug, bool join);
    Community::Result<QList<std::pair<CommunityRow, QString>>> memberships(qint64 userId);
    Community::Result<QList<ModeratorRow>> moderators(const QString &slug);
    /// The owner or an admin appoints or dismisses a moderator (the directory is asked
    /// first, outside the transaction).
    Community::Result<ModeratorChange> setModerator(const Community::Principal &who, const QString &slug,
                                                    const QString &username, bool appoint);

private:
    ContentContext &m_ctx;
};

} // namespace Content
