// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The signed token of a one-click unsubscribe link (RFC 8058): which user stops which
/// kind of email ("*": every kind). HMAC-SHA256 with a key kept in the plugin's schema
/// (the same on every node); no expiry, so that old emails keep working. Pure.

#include <QByteArray>
#include <QString>

#include <optional>

namespace Notifications {

struct Unsubscribe {
    qint64 userId = 0;
    QString kind;   ///< a kind, or "*"
};

QString signUnsubscribe(const Unsubscribe &u, const QByteArray &key);
/// nullopt for a token that is malformed or not signed with `key`.
std::optional<Unsubscribe> verifyUnsubscribe(const QString &token, const QByteArray &key);

} // namespace Notifications
