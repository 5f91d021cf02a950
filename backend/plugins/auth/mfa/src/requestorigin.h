// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Where a request comes from, as sessions and challenges record it: the client address
/// (IPv4-mapped IPv6 as plain IPv4) and the user agent (at most 512 characters).
/// Shared by the auth routes and the 2FA / OAuth routes. Pure; safe on any thread.

#include "community/http.h"

#include <QHostAddress>
#include <QString>

namespace Auth {

inline QString clientIp(const Community::Http::HttpRequest &req)
{
    bool v4 = false;
    const quint32 a = req.peerAddress.toIPv4Address(&v4);
    return v4 ? QHostAddress(a).toString() : req.peerAddress.toString();
}

inline QString userAgent(const Community::Http::HttpRequest &req)
{
    return QString::fromUtf8(req.header("user-agent")).left(512);
}

} // namespace Auth
