// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `events tail|consumers|replay|retry-dead` on the host's operator routes under
/// /v1/system/events (docs/adr/0005-event-bus.md).

#include "commands.h"

#include <chrono>
#include <string>

namespace Community::Ctl {

/// `events tail`: the newest events, or those after an id; --follow keeps polling.
struct EventTailOptions
{
    qint64 after = -1;  ///< -1: the newest `limit` events
    int limit = 0;      ///< 0: the server's default (50)
    bool follow = false;
    std::chrono::milliseconds pollInterval{1000}; ///< --follow: pause between polls
};

class EventCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    /// The outbox; with `follow`, prints new events until SIGINT/SIGTERM (then exit 0);
    /// `-o json` then prints one JSON object per line.
    int tail(const EventTailOptions &options);
    int consumers();
    /// Moves the consumer's offset so that delivery resumes at @p fromId (destructive).
    int replay(const QString &consumer, qint64 fromId, Safety safety);
    /// Makes dead letters due again, of @p consumer or (empty) of every consumer.
    int retryDead(const QString &consumer);

private:
    struct Options
    {
        long long after = -1;
        int limit = 0;
        bool follow = false;
        std::string consumer;
        long long fromId = 0;
        Safety safety;
    };

    int follow(qint64 after, bool headerPrinted, std::chrono::milliseconds interval);
    /// Table rows (with the header once) or one JSON object per line.
    void printStream(const QJsonArray &events, bool header);
    /// The consumers' names, or the exit code.
    std::pair<std::optional<QStringList>, int> consumerNames();

    Options m_options;
};

} // namespace Community::Ctl
