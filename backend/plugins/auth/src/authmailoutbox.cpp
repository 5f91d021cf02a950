// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "authmailoutbox.h"

#include "mailtokenrepository.h"

#include "community/database.h"

using namespace Community;
using Community::Contracts::AuthMail;

namespace Auth {

Result<QList<AuthMail>> AuthMailOutbox::pending(int limit)
{
    return m_db.read<QList<AuthMail>>([&](pqxx::nontransaction &tx) -> Result<QList<AuthMail>> {
        QList<AuthMail> out;
        for (const OutboxMail &m : MailTokenRepository(tx).pending(limit)) {
            AuthMail a;
            a.id = m.id;
            if (m.type == QLatin1String("auth.email_verification_requested"))
                a.kind = AuthMail::Kind::VerifyEmail;
            else if (m.type == QLatin1String("auth.password_reset_requested"))
                a.kind = AuthMail::Kind::ResetPassword;
            else
                continue;
            a.userId = m.payload.value(QStringLiteral("userId")).toInteger();
            a.email = m.payload.value(QStringLiteral("email")).toString();
            a.token = m.payload.value(QStringLiteral("token")).toString();
            a.expiresInSeconds = m.payload.value(QStringLiteral("expiresInSeconds")).toInteger();
            a.createdAt = m.createdAt;
            a.languageHint = m.payload.value(QStringLiteral("language")).toString();
            out.append(a);
        }
        return out;
    });
}

Result<void> AuthMailOutbox::handedOver(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return {};
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        MailTokenRepository(tx).handOver(ids);
        return {};
    });
}

} // namespace Auth
