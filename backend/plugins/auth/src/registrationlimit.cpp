// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "registrationlimit.h"

#include "sqlvalues.h"

using namespace Community;
using Auth::Internal::str;

namespace Auth {

namespace {

QHostAddress plain(const QHostAddress &address)
{
    bool v4 = false;
    const quint32 a = address.toIPv4Address(&v4);
    return v4 ? QHostAddress(a) : address;
}

// The advisory lock class of registrations (any constant apart from other plugins' locks).
constexpr int kLockClass = 0x61757468;   // "auth"

} // namespace

QString registrationAddress(const QHostAddress &address)
{
    return address.isNull() ? QString() : plain(address).toString();
}

QString registrationNetwork(const QHostAddress &address)
{
    if (address.isNull())
        return {};
    const QHostAddress a = plain(address);
    if (a.protocol() == QAbstractSocket::IPv4Protocol)
        return QHostAddress(a.toIPv4Address() & 0xffffff00u).toString() + QStringLiteral("/24");
    Q_IPV6ADDR bytes = a.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        bytes[i] = 0;
    return QHostAddress(bytes).toString() + QStringLiteral("/64");
}

RegistrationLimiter::RegistrationLimiter(RegistrationCaps caps) : m_caps(std::move(caps))
{
    for (const QString &entry : std::as_const(m_caps.exempt)) {
        const auto subnet = QHostAddress::parseSubnet(entry.trimmed());
        if (!subnet.first.isNull())
            m_exempt.append(subnet);
    }
}

QStringList RegistrationLimiter::invalidExempt(const QStringList &exempt)
{
    QStringList out;
    for (const QString &entry : exempt) {
        if (!entry.trimmed().isEmpty() && QHostAddress::parseSubnet(entry.trimmed()).first.isNull())
            out << entry;
    }
    return out;
}

bool RegistrationLimiter::isExempt(const QHostAddress &address) const
{
    const QHostAddress a = plain(address);
    for (const auto &subnet : m_exempt) {
        if (a.isInSubnet(subnet))
            return true;
    }
    return false;
}

Result<void> RegistrationLimiter::admit(pqxx::work &tx, const QHostAddress &address, qint64 &retryAfter) const
{
    if ((m_caps.perAddressPerDay <= 0 && m_caps.perNetworkPerDay <= 0) || address.isNull() || isExempt(address))
        return {};
    const std::string addr = str(registrationAddress(address));
    const std::string net = str(registrationNetwork(address));
    tx.exec_params("SELECT pg_advisory_xact_lock($1, hashtext($2))", kLockClass, net);
    tx.exec("DELETE FROM auth.registrations WHERE created_at <= now() - interval '1 day'");
    const auto counts = tx.exec_params("SELECT count(*) FILTER (WHERE address = $1), count(*) FROM auth.registrations "
                                       "WHERE network = $2 AND created_at > now() - interval '1 day'",
                                       addr, net);
    const qint64 byAddress = counts[0][0].as<qint64>();
    const qint64 byNetwork = counts[0][1].as<qint64>();
    // When a cap is reached: the time until enough of the counted registrations have left
    // the window for one more (the oldest one, unless the cap was lowered since).
    auto refuse = [&](const char *column, const std::string &value, qint64 count, int cap, const QString &what) {
        const auto r = tx.exec_params(std::string("SELECT ceil(extract(epoch FROM created_at + interval '1 day' - now()))::bigint "
                                                  "FROM auth.registrations WHERE ")
                                          + column + " = $1 AND created_at > now() - interval '1 day' "
                                                     "ORDER BY created_at, id OFFSET $2 LIMIT 1",
                                      value, count - cap);
        retryAfter = r.empty() ? 1 : qMax<qint64>(1, r[0][0].as<qint64>());
        Error e = Error::make(ErrorCode::RateLimited,
                              QStringLiteral("Too many accounts were registered from %1 today; retry in %2 s.")
                                  .arg(what)
                                  .arg(retryAfter));
        e.type = QStringLiteral("too-many-registrations");
        return tl::unexpected(e);
    };
    if (m_caps.perAddressPerDay > 0 && byAddress >= m_caps.perAddressPerDay)
        return refuse("address", addr, byAddress, m_caps.perAddressPerDay, QStringLiteral("this address"));
    if (m_caps.perNetworkPerDay > 0 && byNetwork >= m_caps.perNetworkPerDay)
        return refuse("network", net, byNetwork, m_caps.perNetworkPerDay, QStringLiteral("this network"));
    tx.exec_params("INSERT INTO auth.registrations (address, network) VALUES ($1, $2)", addr, net);
    return {};
}

} // namespace Auth
