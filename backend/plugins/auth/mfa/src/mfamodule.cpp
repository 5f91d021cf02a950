// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mfamodule.h"

using namespace Community;

namespace Auth::Mfa {

Result<std::unique_ptr<MfaModule>> MfaModule::create(Db::Database &db, Hooks hooks, Config config)
{
    if (!hooks.issueSession || !hooks.verifyPassword || !hooks.createUser || !hooks.hasPassword)
        return fail(ErrorCode::Config, QStringLiteral("auth.mfa: every hook must be set"));
    return std::unique_ptr<MfaModule>(new MfaModule(db, std::move(hooks), std::move(config)));
}

MfaModule::MfaModule(Db::Database &db, Hooks hooks, Config config)
    : m_hooks(std::move(hooks))
    , m_config(std::move(config))
    , m_twoFactor(db, m_hooks, m_config)
    , m_oauth(db, m_hooks, m_config, m_twoFactor)
    , m_routes(db, m_twoFactor, m_oauth)
{
}

} // namespace Auth::Mfa
