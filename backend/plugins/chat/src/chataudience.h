// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Chat's side of IChatAudience (contracts/chat.h), used by the notifications plugin for
/// plain-message notifications: the message, its room, and each other member's read
/// marker and presence, in one read. Blocking: worker threads.

#include "chatcontext.h"

#include "community/contracts/chat.h"

namespace Chat {

class ChatAudience : public Community::Contracts::IChatAudience {
public:
    explicit ChatAudience(ChatContext &ctx) : m_ctx(ctx) {}

    Community::Result<Community::Contracts::ChatMessageAudience> audienceOf(qint64 messageId, int maxMembers) const override;

private:
    ChatContext &m_ctx;
};

} // namespace Chat
