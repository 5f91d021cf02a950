// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Keeps the authenticator's memory in step with the database so that several nodes
/// agree: reload() reads signing keys, recently revoked sessions, flagged accounts and
/// API keys in one transaction; flushUsage() writes the API keys' last-used and the sessions'
/// last-seen times (at most once per sessionActivityMs per session).
/// Threading: blocking (worker threads; the plugin runs them periodically).

#include "community/result.h"

namespace Community::Db { class Database; }

namespace Auth {

class AuthState;
struct AuthConfig;

class StateSync {
public:
    StateSync(Community::Db::Database &db, AuthState &state, const AuthConfig &config)
        : m_db(db), m_state(state), m_config(config) {}

    /// A reload that overlaps a local change is dropped (the next one applies).
    Community::Result<void> reload();
    /// Writes when API keys were last used and sessions last seen (throttled).
    void flushUsage();

private:
    Community::Db::Database &m_db;
    AuthState &m_state;
    const AuthConfig &m_config;
};

} // namespace Auth
