// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What every content service and route module gets from the plugin: configuration and
/// the collaborators (database, event bus, the account directory and the users plugin's
/// relations). One instance lives in the plugin for its whole life; modules keep a reference.
/// Threading: read-only after initialize(); the collaborators are thread-safe.

#include "contentconfig.h"
#include "sharedpage.h"

#include "community/result.h"

#include <optional>

namespace Community::Db { class Database; }
namespace Community::Events { class EventBus; }
namespace Community::Realtime { class Hub; }
namespace Community::Contracts { class IUserDirectory; class IUserRelations; class WriteGate; struct UserRecord; }

namespace Content {

class AnonymousCache;

struct ContentContext {
    Community::Db::Database &db;
    Community::Events::EventBus &events;
    Community::Contracts::IUserDirectory &directory;
    Community::Contracts::IUserRelations &relations;
    ContentConfig config;
    AnonymousCache *anonymousCache = nullptr;   ///< never null once the plugin initialised
    /// Live updates on `post:<id>` (new comments); null in tests that build services alone.
    Community::Realtime::Hub *realtime = nullptr;
    /// Write-time policies other plugins add (admin: silences, blocked words); null in
    /// tests that build services alone.
    const Community::Contracts::WriteGate *writeGate = nullptr;
};

/// Resolves a username through the directory (blocking; outside any transaction).
/// NotFound (problem "No such user.") for an unknown name.
Community::Result<Community::Contracts::UserRecord> userNamed(ContentContext &ctx, const QString &name);
/// The id of the account whose posts and comments `/v1/users/{username}/...` lists:
/// NotFound for an unknown or deleted (disabled) account.
Community::Result<qint64> activityOwner(ContentContext &ctx, const QString &name);

/// The viewer's own values for a shared page (one round trip), or nothing when the page
/// cannot be shared with this viewer: not shareable, written partly by an author the
/// viewer hides (blocks either way, mutes), or loaded shortly before the viewer wrote a
/// post or comment it may lack — the caller then runs the full personal query.
Community::Result<std::optional<PageOverlay>> overlayFor(ContentContext &ctx, qint64 viewer, const SharedPage &page);
/// The viewer's answer built on `page` (X-Cache: shared), or nothing when `page` is null
/// or overlayFor() gives nothing: the caller then answers with the full personal query.
Community::Result<std::optional<Community::Http::HttpResponse>> sharedAnswer(ContentContext &ctx, qint64 viewer,
                                                                            const SharedPage *page);

} // namespace Content
