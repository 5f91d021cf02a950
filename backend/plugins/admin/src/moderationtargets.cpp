// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "moderationtargets.h"

using namespace Community;
using Community::Contracts::IChatModeration;
using Community::Contracts::ModerationTarget;
using Community::Contracts::ResolvedReport;

namespace Admin {

std::optional<Result<IChatModeration *>> ModerationTargets::chatFor(const QString &type) const
{
    if (type != QLatin1String(Contracts::kChatMessageTarget))
        return std::nullopt;
    if (!m_chat)
        return Result<IChatModeration *>(fail(ErrorCode::Unavailable, QStringLiteral("The chat plugin is not loaded.")));
    return Result<IChatModeration *>(m_chat);
}

Result<ModerationTarget> ModerationTargets::target(const QString &type, qint64 id) const
{
    if (const auto chat = chatFor(type))
        return *chat ? (**chat)->message(id) : tl::unexpected(chat->error());
    return m_content.target(type, id);
}

Result<ModerationTarget> ModerationTargets::setRemoved(const Principal &who, const QString &type, qint64 id, bool removed,
                                                       const QString &reason)
{
    if (const auto chat = chatFor(type))
        return *chat ? (**chat)->setMessageRemoved(who, id, removed) : tl::unexpected(chat->error());
    return m_content.setRemoved(who, type, id, removed, reason);
}

Result<QList<ResolvedReport>> ModerationTargets::resolveReports(const Principal &who, const QString &type, qint64 id,
                                                                const QString &resolution, const QString &note)
{
    if (const auto chat = chatFor(type))
        return *chat ? (**chat)->resolveMessageReports(who, id, resolution) : tl::unexpected(chat->error());
    return m_content.resolveReports(who, type, id, resolution, note);
}

} // namespace Admin
