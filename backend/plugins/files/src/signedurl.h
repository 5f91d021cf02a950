// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Signed expiring download URLs for a CDN or nginx in front: HMAC-SHA256 over
/// "GET\n<path>\n<expires>" with a named key; the first key signs, every configured key
/// verifies, so keys rotate by adding a new one in front and dropping the old one after
/// the longest TTL. Query: ?expires=<unix seconds>&kid=<key id>&sig=<hex>.
/// Threading: immutable after construction; any thread.

#include "filespolicy.h"

#include <QList>
#include <QString>
#include <QUrlQuery>

namespace Files {

class UrlSigner {
public:
    explicit UrlSigner(QList<SigningKey> keys) : m_keys(std::move(keys)) {}

    /// The query to append to `path` so that it is valid until `expiresAt` (unix seconds).
    QString sign(const QString &path, qint64 expiresAt) const;

    enum class Check { Absent, Valid, Expired, Invalid };
    /// Checks the signature in `query` for `path` at `now` (unix seconds).
    Check verify(const QString &path, const QUrlQuery &query, qint64 now) const;

private:
    QList<SigningKey> m_keys;
};

} // namespace Files
