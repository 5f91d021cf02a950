// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chatconfig.h"

#include "community/config.h"

using namespace Community;

namespace Chat {

QSet<QString> defaultReactions()
{
    return {QStringLiteral("👍"), QStringLiteral("👎"), QStringLiteral("❤️"), QStringLiteral("😂"),
            QStringLiteral("😮"), QStringLiteral("😢"), QStringLiteral("🎉"), QStringLiteral("🙏"),
            QStringLiteral("👀"), QStringLiteral("✅")};
}

Result<ChatConfig> readChatConfig(const QJsonObject &object, const QString &path)
{
    ConfigReader cfg(object, path);
    ChatConfig c;
    c.maxMessageLength = int(cfg.integer(QStringLiteral("maxMessageLength"), c.maxMessageLength, 1, 100'000));
    c.maxMentions = int(cfg.integer(QStringLiteral("maxMentions"), c.maxMentions, 0, 1000));
    c.editWindowSeconds = int(cfg.integer(QStringLiteral("editWindowSeconds"), c.editWindowSeconds, 0, 365 * 86400));
    c.groupMemberLimit = int(cfg.integer(QStringLiteral("groupMemberLimit"), c.groupMemberLimit, 2, 100'000));
    c.channelMemberLimit = int(cfg.integer(QStringLiteral("channelMemberLimit"), c.channelMemberLimit, 2, 10'000'000));
    c.userMessagesPerSecond = double(cfg.integer(QStringLiteral("userMessagesPerSecond"), 5, 1, 100'000));
    c.userBurst = int(cfg.integer(QStringLiteral("userBurst"), c.userBurst, 1, 1'000'000));
    c.roomMessagesPerSecond = double(cfg.integer(QStringLiteral("roomMessagesPerSecond"), 50, 1, 1'000'000));
    c.roomBurst = int(cfg.integer(QStringLiteral("roomBurst"), c.roomBurst, 1, 1'000'000));
    c.floodWindowSeconds = int(cfg.integer(QStringLiteral("floodWindowSeconds"), c.floodWindowSeconds, 0, 86400));
    c.maxPageSize = int(cfg.integer(QStringLiteral("maxPageSize"), c.maxPageSize, 1, 1000));
    c.defaultPageSize = int(cfg.integer(QStringLiteral("defaultPageSize"), qMin(c.defaultPageSize, c.maxPageSize), 1, 1000));
    c.typingIntervalMs = int(cfg.integer(QStringLiteral("typingIntervalMs"), c.typingIntervalMs, 0, 60'000));
    c.presenceTtlSeconds = int(cfg.integer(QStringLiteral("presenceTtlSeconds"), c.presenceTtlSeconds, 5, 86400));
    c.sweepIntervalMs = int(cfg.integer(QStringLiteral("sweepIntervalMs"), c.sweepIntervalMs, 0, 86'400'000));
    const QStringList reactions = cfg.stringList(QStringLiteral("reactions"), defaultReactions().values());
    c.reactions = QSet<QString>(reactions.begin(), reactions.end());
    c.maxAttachments = int(cfg.integer(QStringLiteral("maxAttachments"), c.maxAttachments, 0, 100));
    c.attachmentLinkSeconds = int(cfg.integer(QStringLiteral("attachmentLinkSeconds"), c.attachmentLinkSeconds, 10, 86400));
    c.orphanReferenceSeconds = int(cfg.integer(QStringLiteral("orphanReferenceSeconds"), c.orphanReferenceSeconds, 0, 30 * 86400));
    c.orphanSweepMinutes = int(cfg.integer(QStringLiteral("orphanSweepMinutes"), c.orphanSweepMinutes, 0, 7 * 1440));
    c.retentionDaysDm = int(cfg.integer(QStringLiteral("retentionDaysDm"), 0, 0, 36'500));
    c.retentionDaysGroup = int(cfg.integer(QStringLiteral("retentionDaysGroup"), 0, 0, 36'500));
    c.retentionDaysChannel = int(cfg.integer(QStringLiteral("retentionDaysChannel"), 0, 0, 36'500));
    if (auto r = cfg.finish(); !r)
        return tl::unexpected(r.error());
    if (c.defaultPageSize > c.maxPageSize || c.reactions.isEmpty()) {
        Error e = Error::make(ErrorCode::Config, QStringLiteral("invalid configuration"));
        e.fields.append({path + (c.reactions.isEmpty() ? QStringLiteral(".reactions") : QStringLiteral(".defaultPageSize")),
                         QStringLiteral("must not be empty or exceed maxPageSize"), QStringLiteral("out_of_range")});
        return tl::unexpected(e);
    }
    return c;
}

} // namespace Chat
