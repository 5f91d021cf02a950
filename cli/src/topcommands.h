// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `top`: a live view of the node from the realtime hub's `admin:metrics` stream (one
/// frame a second): requests, errors, p50/p99 per plugin area, WebSocket connections,
/// database pool, worker queue and event lag. On a terminal it redraws in place; anywhere
/// else it prints one plain block per frame. Ends on Ctrl-C or after --count frames.

#include "commands.h"

#include <QDateTime>
#include <QJsonObject>

namespace Community::Ctl {

/// One screen for one `admin:metrics` frame (pure; tested without a server).
QString renderTop(const QJsonObject &frame, const QString &target, const QDateTime &at);

class TopCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    int top();

private:
    int m_count = 0;
    double m_waitSeconds = 10;
};

} // namespace Community::Ctl
