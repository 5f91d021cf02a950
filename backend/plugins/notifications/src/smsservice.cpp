// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "smsservice.h"

#include "deliveryservice.h"
#include "mailtemplates.h"
#include "projector.h"

#include "community/database.h"

#include <QCryptographicHash>
#include <QDebug>
#include <QRandomGenerator>

using namespace Community;

namespace Notifications {

namespace {

const QString kSms = QStringLiteral("sms");
constexpr int kMaxCodeAttempts = 5;

Error codeError()
{
    return invalidField(QStringLiteral("code"), QStringLiteral("is wrong or expired; ask for a new one"), QStringLiteral("invalid_code"));
}

} // namespace

QString SmsService::codeHash(qint64 userId, const QString &code) const
{
    return QString::fromLatin1(QCryptographicHash::hash((QString::number(userId) + u':' + code).toUtf8(),
                                                        QCryptographicHash::Sha256).toHex());
}

Result<void> SmsService::setNumber(qint64 userId, const QString &number)
{
    if (!enabled())
        return tl::unexpected(notFound(QStringLiteral("SMS is not enabled on this server.")));
    if (!isE164(number))
        return tl::unexpected(invalidField(QStringLiteral("number"), QStringLiteral("must be E.164, e.g. +821012345678"),
                                           QStringLiteral("invalid_phone")));
    const QString code = QStringLiteral("%1").arg(QRandomGenerator::system()->bounded(1'000'000), 6, 10, QLatin1Char('0'));
    auto stored = m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        PhoneRepository(tx).set(userId, number, codeHash(userId, code), m_config.sms.codeTtlSeconds);
        return {};
    });
    if (!stored)
        return stored;
    auto sent = m_provider->send(number, QStringLiteral("Your verification code: %1").arg(code),
                                 QStringLiteral("verify/%1/%2").arg(userId).arg(codeHash(userId, code).left(16)));
    if (!sent)
        return tl::unexpected(sent.error());
    return {};
}

Result<void> SmsService::verify(qint64 userId, const QString &code)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        PhoneRepository repo(tx);
        const auto p = repo.get(userId, true);
        if (!p)
            return tl::unexpected(notFound(QStringLiteral("No phone number to verify.")));
        if (p->verified)
            return {};
        const bool ok = p->codeAttempts < kMaxCodeAttempts && p->codeExpiresAt > QDateTime::currentDateTimeUtc()
                        && p->codeHash == codeHash(userId, code);
        if (!ok) {
            repo.countAttempt(userId);
            return Result<void>(tl::unexpected(codeError()));
        }
        repo.markVerified(userId);
        return {};
    });
}

Result<std::optional<Phone>> SmsService::phone(qint64 userId)
{
    return m_db.read<std::optional<Phone>>([&](pqxx::nontransaction &tx) -> Result<std::optional<Phone>> {
        return PhoneRepository(tx).get(userId);
    });
}

Result<void> SmsService::removeNumber(qint64 userId)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (!PhoneRepository(tx).remove(userId))
            return tl::unexpected(notFound(QStringLiteral("No phone number.")));
        return {};
    });
}

void SmsService::enqueue(pqxx::transaction_base &tx, const Preferences &prefs, const Draft &draft,
                         const QJsonObject &notification, qint64 itemId)
{
    if (!enabled() || !prefs.enabled(draft.kind, Channel::Sms))
        return;
    const auto p = PhoneRepository(tx).get(draft.recipientId);
    if (!p || !p->verified)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    DeliveryRow row;
    row.userId = draft.recipientId;
    row.itemId = itemId;
    row.sourceKey = draft.sourceKey;
    row.channel = kSms;
    row.target = p->number;
    row.kind = draft.kind;
    row.content = notification;
    row.messageId = QStringLiteral("sms/%1/%2").arg(draft.recipientId).arg(draft.sourceKey);
    row.dueAt = quietUntil(prefs, now).value_or(now);
    DeliveryRepository(tx).enqueue(row);
}

Result<int> SmsService::runRound()
{
    auto claimed = m_db.transact<QList<DeliveryRow>>([&](pqxx::work &tx) -> Result<QList<DeliveryRow>> {
        return DeliveryRepository(tx).claim(kSms, m_config.delivery.batch, m_config.delivery.leaseSeconds);
    });
    if (!claimed)
        return tl::unexpected(claimed.error());
    for (const DeliveryRow &row : *claimed) {
        // A row taken again after its lease ran out may have been sent: the intent is
        // there, the outcome is not. Not sent twice.
        const Result<SmsResult> sent = row.status == QLatin1String("sending")
            ? Result<SmsResult>(fail(ErrorCode::Timeout, QStringLiteral("sms: outcome unknown after a crash; not sent again")))
            : m_provider->send(row.target, renderNotification(row.content, QStringLiteral("en"), m_config.email.publicBaseUrl).subject,
                               row.messageId);
        recordSend(m_db, m_config.delivery, row, sent ? Result<void>() : Result<void>(tl::unexpected(sent.error())));
    }
    return int(claimed->size());
}

} // namespace Notifications
