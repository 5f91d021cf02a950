// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Chat's side of IChatModeration (contracts/chat.h), used by the admin plugin's review
/// queue: a reported message as a moderation target, its removal or restoration (with the
/// room frames members see) and the closing of its reports. Blocking: worker threads.

#include "chatcontext.h"

#include "community/contracts/chat.h"

namespace Chat {

class QueueModeration : public Community::Contracts::IChatModeration {
public:
    explicit QueueModeration(ChatContext &ctx) : m_ctx(ctx) {}

    Community::Result<Community::Contracts::ModerationTarget> message(qint64 messageId) const override;
    Community::Result<Community::Contracts::ModerationTarget> setMessageRemoved(const Community::Principal &who,
                                                                               qint64 messageId, bool removed) override;
    Community::Result<QList<Community::Contracts::ResolvedReport>> resolveMessageReports(const Community::Principal &who,
                                                                                        qint64 messageId,
                                                                                        const QString &resolution) override;

private:
    ChatContext &m_ctx;
};

} // namespace Chat
