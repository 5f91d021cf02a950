// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The realtime hub as plugins see it (`PluginContext::realtime()`): register the topic
/// prefixes you own with an authoriser, and publish frames to topics. Clients receive them
/// over the one WebSocket endpoint `GET /v1/ws` (protocol: docs/realtime.md, design:
/// docs/adr/0010-realtime-hub.md). A plugin never touches a socket.
///
/// Topics are strings "<prefix><rest>", e.g. "post:42", "user:7", "room:3". A prefix has
/// one owner and one delivery mode:
///  - Durable: every frame gets the next sequence number of its topic and is stored, so a
///    client that reconnects with its last sequence gets what it missed (up to the replay
///    cap; beyond it a `resync` frame tells it to refetch over REST). Published inside the
///    caller's transaction: nothing is sent if it rolls back; delivered after commit on
///    every node (through the event bus).
///  - Ephemeral: typing, presence, live figures. Not stored, no sequence, delivered to the
///    subscribers on this node only, dropped first when a client's send queue fills.
///
/// Authorisers decide whether a principal may receive a topic. They run on the hub's
/// thread at subscribe time and again for every delivered frame (so a role change or a
/// revoked membership takes effect without a reconnect): they must be thread-safe, fast
/// and non-blocking — answer from memory (a cache the plugin keeps), never query the
/// database.
///
/// Threading: registerTopic() during initialize() only. publish() blocks (it writes in the
/// caller's transaction: worker threads only); publishEphemeral() is thread-safe and never
/// blocks. Errors are values.

#include "community/principal.h"
#include "community/result.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace pqxx { class transaction_base; }

namespace Community::Realtime {

enum class Delivery { Durable, Ephemeral };

/// May `principal` receive frames of `topic`? (`topic` starts with the registered prefix.)
using Authoriser = std::function<bool(const Principal &principal, const QString &topic)>;

struct TopicSpec {
    QString prefix;                         ///< "post:" — lower-case letters, digits, '.', '_', '-' and a final ':'
    Delivery delivery = Delivery::Durable;
    Authoriser authorise;                   ///< required
};

class Hub {
public:
    virtual ~Hub() = default;

    /// Registers a topic prefix. Conflict if another plugin (or core) owns it; Validation
    /// for a malformed prefix or a missing authoriser. During initialize() only.
    virtual Result<void> registerTopic(const TopicSpec &spec) = 0;

    /// Publishes a frame (`data` is the client-visible payload) in the caller's
    /// transaction; after commit it reaches the subscribers on every node. Durable topics:
    /// returns the frame's sequence in its topic; ephemeral ones: 0 (not stored). NotFound
    /// for a topic no prefix covers. Blocking: worker threads only.
    virtual Result<qint64> publish(pqxx::transaction_base &tx, const QString &topic, const QJsonObject &data) = 0;

    /// Sends an ephemeral frame to this node's subscribers now (no transaction, no
    /// storage). NotFound for an unregistered topic, Validation for a durable one.
    /// Thread-safe, non-blocking.
    virtual Result<void> publishEphemeral(const QString &topic, const QJsonObject &data) = 0;
};

} // namespace Community::Realtime
