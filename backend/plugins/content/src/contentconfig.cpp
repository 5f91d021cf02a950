// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "contentconfig.h"

#include "community/config.h"

using Community::ConfigReader;
using Community::ErrorCode;
using Community::Result;

namespace Content {

Result<ContentConfig> readContentConfig(const QJsonObject &object, const QString &path)
{
    ConfigReader cfg(object, path);
    ContentConfig c;
    QList<Community::FieldError> errors;
    const QString role = cfg.string(QStringLiteral("communityCreateRole"), QStringLiteral("user"));
    if (!Community::parseRole(role, &c.communityCreateRole))
        errors.append({path + QStringLiteral(".communityCreateRole"), QStringLiteral("must be user, moderator or admin"),
                       QStringLiteral("invalid_choice")});
    c.maxCommentDepth = int(cfg.integer(QStringLiteral("maxCommentDepth"), c.maxCommentDepth, 0, 64));
    c.maxPageSize = int(cfg.integer(QStringLiteral("maxPageSize"), c.maxPageSize, 1, 500));
    c.defaultPageSize = int(cfg.integer(QStringLiteral("defaultPageSize"), c.defaultPageSize, 1, 500));
    c.maxPostPageComments = int(cfg.integer(QStringLiteral("maxPostPageComments"), c.maxPostPageComments, 1, 1000));
    c.postPageComments = int(cfg.integer(QStringLiteral("postPageComments"), c.postPageComments, 1, 1000));
    c.titleMax = int(cfg.integer(QStringLiteral("titleMax"), c.titleMax, 10, 1000));
    c.maxTags = int(cfg.integer(QStringLiteral("maxTags"), c.maxTags, 0, 50));
    c.tagMax = int(cfg.integer(QStringLiteral("tagMax"), c.tagMax, 1, 100));
    c.commentMax = int(cfg.integer(QStringLiteral("commentMax"), c.commentMax, 1, 1'000'000));
    c.reportDetailsMax = int(cfg.integer(QStringLiteral("reportDetailsMax"), c.reportDetailsMax, 0, 100'000));
    c.maxMentions = int(cfg.integer(QStringLiteral("maxMentions"), c.maxMentions, 0, 1000));
    c.idempotencyHours = int(cfg.integer(QStringLiteral("idempotencyHours"), c.idempotencyHours, 1, 24 * 30));
    c.anonymousCacheMs = int(cfg.integer(QStringLiteral("anonymousCacheMs"), c.anonymousCacheMs, 0, 60'000));
    c.anonymousCacheEntries = int(cfg.integer(QStringLiteral("anonymousCacheEntries"), c.anonymousCacheEntries, 1, 1'000'000));
    c.markdown.maxInputBytes = cfg.integer(QStringLiteral("maxBodyBytes"), c.markdown.maxInputBytes, 1024, 1024 * 1024);
    const QString images = cfg.string(QStringLiteral("images"), QStringLiteral("https"));
    if (images == QLatin1String("none"))
        c.markdown.images = MarkdownOptions::Images::None;
    else if (images == QLatin1String("http"))
        c.markdown.images = MarkdownOptions::Images::Http;
    else if (images != QLatin1String("https"))
        errors.append({path + QStringLiteral(".images"), QStringLiteral("must be none, https or http"),
                       QStringLiteral("invalid_choice")});
    c.markdown.linkTarget = cfg.string(QStringLiteral("linkTarget"), QString());
    if (auto r = cfg.finish(); !r)
        errors += r.error().fields;
    if (c.defaultPageSize > c.maxPageSize)
        errors.append({path + QStringLiteral(".defaultPageSize"), QStringLiteral("must not exceed maxPageSize"),
                       QStringLiteral("out_of_range")});
    if (c.postPageComments > c.maxPostPageComments)
        errors.append({path + QStringLiteral(".postPageComments"), QStringLiteral("must not exceed maxPostPageComments"),
                       QStringLiteral("out_of_range")});
    if (!errors.isEmpty()) {
        Community::Error e = Community::Error::make(ErrorCode::Config, QStringLiteral("invalid configuration"));
        e.fields = errors;
        return tl::unexpected(e);
    }
    return c;
}

} // namespace Content
