// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What every content service and route module gets from the plugin: configuration and
/// the collaborators (database, event bus, the account directory and the users plugin's
/// relations). One instance lives in the plugin for its whole life; modules keep a reference.
/// Threading: read-only after initialize(); the collaborators are thread-safe.

#include "contentconfig.h"

namespace Community::Db { class Database; }
namespace Community::Events { class EventBus; }
namespace Community::Realtime { class Hub; }
namespace Community::Contracts { class IUserDirectory; class IUserRelations; }

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
};

} // namespace Content
