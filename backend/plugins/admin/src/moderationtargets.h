// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The queue's targets, whoever owns them: posts and comments through content's
/// IContentModeration, chat messages ("chat_message") through chat's IChatModeration
/// (absent when the chat plugin is not loaded: its items then answer 503). The decision
/// service sees one IContentModeration. Blocking like the contracts it forwards to.

#include "community/contracts/chat.h"

namespace Admin {

class ModerationTargets : public Community::Contracts::IContentModeration {
public:
    ModerationTargets(Community::Contracts::IContentModeration &content, Community::Contracts::IChatModeration *chat)
        : m_content(content), m_chat(chat) {}

    Community::Result<Community::Contracts::ModerationTarget> target(const QString &type, qint64 id) const override;
    Community::Result<Community::Contracts::ModerationTarget> setRemoved(const Community::Principal &who,
                                                                         const QString &type, qint64 id, bool removed,
                                                                         const QString &reason) override;
    Community::Result<QList<Community::Contracts::ResolvedReport>> resolveReports(const Community::Principal &who,
                                                                                 const QString &type, qint64 id,
                                                                                 const QString &resolution,
                                                                                 const QString &note) override;

private:
    /// The chat contract for a chat target; nullopt for content's types.
    std::optional<Community::Result<Community::Contracts::IChatModeration *>> chatFor(const QString &type) const;

    Community::Contracts::IContentModeration &m_content;
    Community::Contracts::IChatModeration *m_chat;
};

} // namespace Admin
