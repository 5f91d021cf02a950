// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Write-time policies (docs/adr/0024-write-gate.md).
///
/// A plugin that accepts user text (content: posts and comments) owns a WriteGate,
/// provides it as IWriteGate and asks it before every write. A policy plugin (admin:
/// silenced authors, watched words with action `block`) adds its policy to the gates of
/// the plugins it depends on. The dependency runs from the policy to the writer, so the
/// writer never names the policy plugin and works unchanged without it.
///
/// A policy decides from memory only (no database, no network, no lock held for long):
/// it runs on the request's worker before the writer's transaction, for every write.
/// Its refusal is the answer the author gets, as it is.
/// Threading: addPolicy/removePolicy/check from any thread.

#include "community/result.h"

#include <QList>
#include <QString>

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace Community::Contracts {

struct WriteAttempt {
    QString kind;                                  ///< post, comment
    qint64 authorId = 0;
    QList<std::pair<QString, QString>> fields;     ///< field name ("title", "body") → submitted text
};

class IWritePolicy {
public:
    virtual ~IWritePolicy() = default;
    /// The refusal the author gets (an Error with its problem type and field errors), or
    /// nothing to let the write go on.
    virtual std::optional<Error> check(const WriteAttempt &attempt) const = 0;
};

class IWriteGate {
public:
    static constexpr const char *interfaceId() { return "community.WriteGate/1"; }
    virtual ~IWriteGate() = default;
    virtual void addPolicy(std::shared_ptr<const IWritePolicy> policy) = 0;
    /// Before the policy's owner goes away (its plugin's stop()).
    virtual void removePolicy(const IWritePolicy *policy) = 0;
};

/// The gate a writing plugin owns: the first refusal of its policies, in the order they
/// were added.
class WriteGate final : public IWriteGate {
public:
    void addPolicy(std::shared_ptr<const IWritePolicy> policy) override
    {
        std::lock_guard lock(m_mutex);
        m_policies.push_back(std::move(policy));
    }
    void removePolicy(const IWritePolicy *policy) override
    {
        std::lock_guard lock(m_mutex);
        std::erase_if(m_policies, [policy](const auto &p) { return p.get() == policy; });
    }
    std::optional<Error> check(const WriteAttempt &attempt) const
    {
        std::vector<std::shared_ptr<const IWritePolicy>> policies;
        {
            std::lock_guard lock(m_mutex);
            policies = m_policies;
        }
        for (const auto &p : policies) {
            if (auto refusal = p->check(attempt))
                return refusal;
        }
        return std::nullopt;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<const IWritePolicy>> m_policies;
};

} // namespace Community::Contracts
