// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Transactions of the auth services: work whose in-memory effects (revoked sessions,
/// account flags, signing keys, listeners) must wait for the commit, and typed events
/// published in the same transaction. Blocking: worker threads only.

#include "community/database.h"
#include "community/eventbus.h"

#include <functional>
#include <vector>

namespace Auth {

/// Actions to run once the transaction has committed, in order.
using AfterCommit = std::vector<std::function<void()>>;

/// Runs `work` in a transaction (a retried transaction starts over with no actions) and,
/// once it has committed, the actions it queued.
template<typename T>
Community::Result<T> transactThen(Community::Db::Database &db,
                                  const std::function<Community::Result<T>(pqxx::work &, AfterCommit &)> &work)
{
    AfterCommit after;
    auto r = db.transact<T>([&](pqxx::work &tx) {
        after.clear();
        return work(tx, after);
    });
    if (r) {
        for (auto &f : after)
            f();
    }
    return r;
}

/// Publishes a typed event (contracts/events/auth.h) in `tx`.
template<typename E>
Community::Result<void> publish(Community::Events::EventBus &bus, pqxx::transaction_base &tx, const E &event)
{
    auto id = Community::Events::publishEvent(bus, tx, event);
    if (!id)
        return tl::unexpected(id.error());
    return {};
}

} // namespace Auth
