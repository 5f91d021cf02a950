// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Daily caps on self-service registrations per client address and per network (/24 for
/// IPv4, /64 for IPv6), counted over the last 24 hours in auth.registrations. The check and
/// the record run in the registering transaction, serialised per network by an advisory
/// lock, so concurrent registrations cannot overshoot a cap.
/// Threading: immutable after construction; admit() blocks (worker threads only).

#include "community/result.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <pqxx/pqxx>

namespace Auth {

struct RegistrationCaps {
    int perAddressPerDay = 20;    ///< 0: no cap
    int perNetworkPerDay = 100;   ///< 0: no cap
    /// Addresses that are never capped (CIDR). Loopback by default: local tools, health
    /// checks and test harnesses. A reverse proxy must pass the client's address, or every
    /// client would look like it (and share one cap if loopback is not exempt).
    QStringList exempt{QStringLiteral("127.0.0.0/8"), QStringLiteral("::1/128")};
};

/// The address as counted: IPv4-mapped IPv6 as IPv4, otherwise its canonical text.
QString registrationAddress(const QHostAddress &address);
/// The network an address counts against: "a.b.c.0/24" or "x:x:x:x::/64" (empty for a null
/// address).
QString registrationNetwork(const QHostAddress &address);

class RegistrationLimiter {
public:
    /// `caps.exempt` entries that are not CIDR subnets are ignored (the configuration
    /// refuses them first: invalidExempt()).
    explicit RegistrationLimiter(RegistrationCaps caps = {});

    /// The invalid entries of `exempt` (for configuration checks).
    static QStringList invalidExempt(const QStringList &exempt);

    bool isExempt(const QHostAddress &address) const;

    /// Admits one registration from `address` in `tx` (and records it), or answers
    /// RateLimited (problem type too-many-registrations) with the seconds until the
    /// oldest counted registration leaves the 24-hour window in `retryAfter`.
    Community::Result<void> admit(pqxx::work &tx, const QHostAddress &address, qint64 &retryAfter) const;

private:
    RegistrationCaps m_caps;
    QList<QPair<QHostAddress, int>> m_exempt;
};

} // namespace Auth
