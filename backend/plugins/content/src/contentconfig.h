// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The content plugin's configuration (plugins.content): limits, page sizes, the
/// anonymous micro-cache and markdown options. Read once at start; immutable after.

#include "markdown.h"

#include "community/principal.h"
#include "community/result.h"

#include <QJsonObject>

namespace Content {

// The renderer lives in backend/markdown (shared with chat); content names it as before.
using Markdown::MarkdownOptions;
using Markdown::RenderedMarkdown;
using Markdown::renderMarkdown;

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

} // namespace Content
