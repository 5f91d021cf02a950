// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The JSON of rooms and messages, shared by the routes and the realtime frames. Ids are
/// strings, times ISO 8601 UTC. Pure.

#include "chattypes.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Chat {

QJsonArray idArray(const QList<qint64> &ids);
QJsonObject roomJson(const Room &room);
QJsonObject roomViewJson(const RoomView &view);
QJsonObject memberJson(const Member &member);
/// A deleted message shows no text unless `showDeleted` (admins investigating).
QJsonObject messageJson(const Message &m, bool showDeleted = false);

} // namespace Chat
