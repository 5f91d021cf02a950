// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chatmetrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace Chat {

ChatMetrics::ChatMetrics(prometheus::Registry *registry)
{
    if (!registry)
        return;
    m_messages = &prometheus::BuildCounter()
                      .Name("community_chat_messages_total")
                      .Help("Chat messages stored (retries of a client id not counted)")
                      .Register(*registry)
                      .Add({});
    m_frames = &prometheus::BuildCounter()
                    .Name("community_chat_room_frames_total")
                    .Help("Durable frames published to room topics")
                    .Register(*registry)
                    .Add({});
    auto &typing = prometheus::BuildCounter()
                       .Name("community_chat_typing_total")
                       .Help("Typing indicators sent or dropped by the per-member throttle")
                       .Register(*registry);
    m_typingSent = &typing.Add({{"result", "sent"}});
    m_typingDropped = &typing.Add({{"result", "dropped"}});
    auto &presence = prometheus::BuildGauge()
                         .Name("community_chat_presence_accounts")
                         .Help("Accounts with a live device, by state (as of the last sweep)")
                         .Register(*registry);
    m_online = &presence.Add({{"state", "online"}});
    m_away = &presence.Add({{"state", "away"}});
    auto &backlog = prometheus::BuildGauge()
                        .Name("community_chat_room_backlog_rooms")
                        .Help("Rooms by unread backlog (messages after the read marker of the member furthest behind), "
                              "as of the last sweep")
                        .Register(*registry);
    for (const char *bucket : {"0", "1-10", "11-100", "101-1000", "1001+"})
        m_backlog.append(&backlog.Add({{"backlog", bucket}}));
    m_backlogMax = &prometheus::BuildGauge()
                        .Name("community_chat_room_backlog_max")
                        .Help("The largest unread backlog of a room, as of the last sweep")
                        .Register(*registry)
                        .Add({});
}

void ChatMetrics::messageSent()
{
    if (m_messages)
        m_messages->Increment();
}

void ChatMetrics::frame()
{
    if (m_frames)
        m_frames->Increment();
}

void ChatMetrics::typing(bool sent)
{
    if (m_typingSent)
        (sent ? m_typingSent : m_typingDropped)->Increment();
}

void ChatMetrics::presence(qint64 online, qint64 away)
{
    if (!m_online)
        return;
    m_online->Set(double(online));
    m_away->Set(double(away));
}

void ChatMetrics::backlog(const QList<qint64> &roomsPerBucket, qint64 max)
{
    if (!m_backlogMax)
        return;
    for (qsizetype i = 0; i < m_backlog.size(); ++i)
        m_backlog[i]->Set(double(roomsPerBucket.value(i)));
    m_backlogMax->Set(double(max));
}

} // namespace Chat
