// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The outbound and clock injection points (community/outbound.h, community/clock.h). Like the
// database hook (ADR 0019 §5) the registry sits in one atomic slot: a plugin has no handle on
// the host's registry, and the SDK stays free of host types.
#include "community/clock.h"
#include "community/host/faults.h"
#include "community/outbound.h"

#include <atomic>

namespace Community::Chaos {

namespace {
std::atomic<FaultRegistry *> g_registry{nullptr};
}

void attachToPlugins(FaultRegistry *faults)
{
    g_registry.store(faults, std::memory_order_release);
}

} // namespace Community::Chaos

namespace Community::Outbound {

Result<void> beforeCall(const QString &plugin, const QString &service, const QString &subject)
{
    Chaos::FaultRegistry *faults = Chaos::g_registry.load(std::memory_order_acquire);
    if (!faults || !faults->anyActive())
        return {};
    const Chaos::Target target{service, plugin, subject};
    if (auto f = faults->pick(Chaos::FaultKind::OutboundError, target))
        return fail(ErrorCode::Unavailable, QStringLiteral("%1: injected failure (fault %2)").arg(service, f->id));
    if (auto f = faults->pick(Chaos::FaultKind::OutboundTimeout, target)) {
        Chaos::sleepFor(*f);
        return fail(ErrorCode::Unavailable,
                    QStringLiteral("%1: timed out after %2 ms (fault %3)").arg(service).arg(f->delayMs).arg(f->id));
    }
    if (auto f = faults->pick(Chaos::FaultKind::OutboundLatency, target))
        Chaos::sleepFor(*f);
    return {};
}

} // namespace Community::Outbound

namespace Community::Clock {

qint64 offsetMs(const QString &plugin)
{
    Chaos::FaultRegistry *faults = Chaos::g_registry.load(std::memory_order_acquire);
    if (!faults || !faults->anyActive())
        return 0;
    const auto f = faults->pick(Chaos::FaultKind::ClockOffset, Chaos::Target{{}, plugin, {}});
    return f ? f->offsetSeconds * 1000 : 0;
}

QDateTime nowUtc(const QString &plugin)
{
    return QDateTime::currentDateTimeUtc().addMSecs(offsetMs(plugin));
}

qint64 nowMs(const QString &plugin)
{
    return QDateTime::currentMSecsSinceEpoch() + offsetMs(plugin);
}

} // namespace Community::Clock
