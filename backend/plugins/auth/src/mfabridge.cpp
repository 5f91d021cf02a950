// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mfabridge.h"

#include "accountservice.h"
#include "authhttp.h"
#include "sessionservice.h"
#include "userdirectory.h"

using namespace Community;

namespace Auth {

Mfa::Hooks mfaHooks(AccountService &accounts, SessionService &sessions, UserDirectory &directory)
{
    Mfa::Hooks h;
    h.issueSession = [&sessions](pqxx::work &tx, qint64 userId, const QString &ua, const QString &ip) -> Result<QJsonObject> {
        auto session = sessions.startSession(tx, userId, ua, ip);
        if (!session)
            return tl::unexpected(session.error());
        return loginJson(session->first, session->second);
    };
    h.verifyPassword = [&accounts](pqxx::work &tx, qint64 userId, const QString &password) {
        return accounts.verifyPassword(tx, userId, password);
    };
    h.createUser = [&accounts](pqxx::work &tx, const QString &preferred, const QString &email) {
        return accounts.createExternal(tx, preferred, email);
    };
    h.hasPassword = [&accounts](pqxx::work &tx, qint64 userId) { return accounts.hasPassword(tx, userId); };
    h.accountCreated = [&directory](qint64 userId) { directory.accountCreated(userId); };
    return h;
}

} // namespace Auth
