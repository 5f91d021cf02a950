// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Content's side of IContentModeration (contracts/content.h), used by the admin plugin's
/// review queue: it goes through the same services as content's own moderator routes, so
/// the rules, the counters and the events are the same. Blocking; thread-safe.

#include "community/contracts/content.h"

namespace Content {

struct ContentContext;
class PostService;
class CommentService;
class ReportService;

class ContentModeration : public Community::Contracts::IContentModeration {
public:
    ContentModeration(ContentContext &ctx, PostService &posts, CommentService &comments, ReportService &reports)
        : m_ctx(ctx), m_posts(posts), m_comments(comments), m_reports(reports) {}

    Community::Result<Community::Contracts::ModerationTarget> target(const QString &type, qint64 id) const override;
    Community::Result<Community::Contracts::ModerationTarget> setRemoved(const Community::Principal &who,
                                                                         const QString &type, qint64 id, bool removed,
                                                                         const QString &reason) override;
    Community::Result<QList<Community::Contracts::ResolvedReport>> resolveReports(
        const Community::Principal &who, const QString &type, qint64 id, const QString &resolution,
        const QString &note) override;

private:
    ContentContext &m_ctx;
    PostService &m_posts;
    CommentService &m_comments;
    ReportService &m_reports;
};

} // namespace Content
