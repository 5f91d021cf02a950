// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What every content module gets from the plugin: configuration and the collaborators
/// (database, event bus, the account directory and the users plugin's relations). One
/// instance lives in the plugin for its whole life; modules keep a reference.
/// Threading: read-only after initialize(); the collaborators are thread-safe.

#include "markdown.h"

#include "community/principal.h"
#include "community/result.h"

#include <QJsonObject>

namespace Community::Db { class Database; }
namespace Community::Events { class EventBus; }
namespace Community::Contracts { class IUserDirectory; class IUserRelations; }

namespace Content {

class AnonymousCache;

struct ContentConfig {
    Community::Role communityCreateRole = Community::Role::User; ///< who may create communities
    int maxCommentDepth = 8;          ///< replies deeper than this are refused (depth 0 = top level)
    int defaultPageSize = 25;
    int maxPageSize = 100;
    int postPageComments = 20;        ///< comments on a post page by default
    int maxPostPageComments = 200;
    int titleMax = 300;               ///< characters
    int maxTags = 8;
    int tagMax = 32;                  ///< characters of one tag
    int commentMax = 20'000;          ///< characters of a comment body
    int reportDetailsMax = 2000;
    int maxMentions = 20;             ///< mentions resolved (and notified) per text
    int idempotencyHours = 24;        ///< how long an Idempotency-Key is remembered
    int anonymousCacheMs = 1000;      ///< anonymous post pages and feeds: micro-cache TTL (0 = off)
    int anonymousCacheEntries = 10'000;
    MarkdownOptions markdown;         ///< maxInputBytes limits post bodies
};

/// Reads plugins.content; unknown keys and bad values are Config errors naming their path.
Community::Result<ContentConfig> readContentConfig(const QJsonObject &object, const QString &path);

struct ContentContext {
    Community::Db::Database &db;
    Community::Events::EventBus &events;
    Community::Contracts::IUserDirectory &directory;
    Community::Contracts::IUserRelations &relations;
    ContentConfig config;
    AnonymousCache *anonymousCache = nullptr;   ///< never null once the plugin initialised
};

} // namespace Content
