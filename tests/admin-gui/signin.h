// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// The console's gui tests: a Session signed in as the harness's administrator.

#include "session.h"
#include "usershttp.h"

#include <QSignalSpy>

namespace Console::Test {

/// Signs `session` in as `h`'s admin with the password; false if that fails within 15 s.
inline bool signInAsAdmin(Session &session, const Users::Test::UsersHttp &h)
{
    QSignalSpy ok(&session, &Session::signedIn);
    session.signIn(h.daemon.baseUrl(), h.admin.username, h.admin.password);
    return ok.wait(15'000);
}

} // namespace Console::Test
