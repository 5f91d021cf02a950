// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "smsservice.h"

#include "deliveryservice.h"
#include "mailtemplates.h"
#include "preferencesrepository.h"
#include "projector.h"

#include "community/database.h"
#include "community/request.h"

#include <QCryptographicHash>
#include <QDebug>
#include <QRandomGenerator>

#include <openssl/crypto.h>

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

QString SmsService::callbackUrl(qint64 deliveryId) const
{
    return m_config.sms.statusCallbackUrl.isEmpty() ? QString()
                                                    : m_config.sms.statusCallbackUrl + QStringLiteral("?d=%1").arg(deliveryId);
}

void SmsService::record(const DeliveryRow &row, const Result<SmsResult> &sent)
{
    auto r = m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        DeliveryRepository repo(tx);
        const auto now = repo.lockForStatus(row.id);
        if (!now)
            return {};
        if (sent) {
            repo.markSent(row.id);
            // The answer's status ("queued") unless a callback already told more.
            const QString status = smsStatusRank(sent->status) > smsStatusRank(now->providerStatus) ? sent->status : now->providerStatus;
            repo.setProviderStatus(row.id, sent->providerId, status);
            return {};
        }
        // No answer after sending, but the provider's signed callback already came: it has
        // the message.
        if (sent.error().code == ErrorCode::Timeout && !now->providerStatus.isEmpty()) {
            repo.markSent(row.id);
            return {};
        }
        const bool dead = sent.error().code != ErrorCode::Unavailable || row.attempts >= m_config.delivery.maxAttempts;
        repo.markFailed(row.id, sent.error().message, dead, backoffAt(m_config.delivery, row.attempts));
        return {};
    });
    if (!r)
        qWarning().noquote() << "notifications: recording sms delivery" << row.id << "failed:" << r.error().message;
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
        if (row.status == QLatin1String("sending")) {
            record(row, fail(ErrorCode::Timeout, QStringLiteral("sms: outcome unknown after a crash; not sent again")));
            continue;
        }
        auto prefs = m_db.read<Preferences>([&](pqxx::nontransaction &tx) -> Result<Preferences> {
            return PreferencesRepository(tx).load(row.userId);
        });
        const QString language = prefs ? prefs->language : QStringLiteral("en");
        record(row, m_provider->send(row.target, renderNotification(row.content, language, m_config.email.publicBaseUrl).subject,
                                     row.messageId, callbackUrl(row.id)));
    }
    return int(claimed->size());
}

Result<void> SmsService::sendTest(qint64 userId)
{
    if (!enabled())
        return fail(ErrorCode::Conflict, QStringLiteral("SMS is not enabled (plugins.notifications.sms.url)."));
    auto p = phone(userId);
    if (!p)
        return tl::unexpected(p.error());
    if (!*p || !(*p)->verified)
        return tl::unexpected(notFound(QStringLiteral("The user has no verified phone number.")));
    auto sent = m_provider->send((*p)->number, QStringLiteral("This is a test message from the notifications plugin."),
                                 QStringLiteral("test/%1/%2").arg(userId).arg(QDateTime::currentMSecsSinceEpoch()));
    if (!sent)
        return tl::unexpected(sent.error());
    return {};
}

Result<SmsService::StatusOutcome> SmsService::statusCallback(const QString &deliveryId, const QList<std::pair<QString, QString>> &form,
                                                             const QByteArray &signature)
{
    if (!callbacksEnabled())
        return tl::unexpected(notFound(QStringLiteral("SMS status callbacks are not enabled on this server.")));
    const std::optional<qint64> id = Http::parseId(deliveryId);
    if (!id)
        return tl::unexpected(invalidField(QStringLiteral("d"), QStringLiteral("must be a delivery id"), QStringLiteral("type")));
    // Signed over the exact URL we gave the provider, so a proxy in front changes nothing.
    const QByteArray expected = callbackSignature(m_config.sms.token.toUtf8(), callbackUrl(*id), form);
    if (signature.size() != expected.size() || CRYPTO_memcmp(signature.constData(), expected.constData(), size_t(expected.size())) != 0)
        return tl::unexpected(Error::make(ErrorCode::Forbidden, QStringLiteral("The request signature is not valid.")));
    QString sid, status;
    for (const auto &[name, value] : form) {
        if (name == QLatin1String("MessageSid"))
            sid = value;
        else if (name == QLatin1String("MessageStatus"))
            status = value;
    }
    QList<FieldError> errors;
    if (sid.isEmpty() || sid.size() > 64)
        errors.append({QStringLiteral("MessageSid"), QStringLiteral("is required (at most 64 characters)"), QStringLiteral("required")});
    if (smsStatusRank(status) < 0)
        errors.append({QStringLiteral("MessageStatus"), QStringLiteral("is not a known message status"), QStringLiteral("invalid_choice")});
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    return m_db.transact<StatusOutcome>([&](pqxx::work &tx) -> Result<StatusOutcome> {
        DeliveryRepository repo(tx);
        const auto row = repo.lockForStatus(*id);
        if (!row || row->channel != kSms)
            return tl::unexpected(notFound(QStringLiteral("No such SMS delivery.")));
        if (!row->providerId.isEmpty() && row->providerId != sid)
            return tl::unexpected(Error::make(ErrorCode::Conflict, QStringLiteral("The message id is not this delivery's.")));
        if (smsStatusRank(status) <= smsStatusRank(row->providerStatus))
            return StatusOutcome{false, row->providerStatus};
        repo.setProviderStatus(*id, sid, status);
        // Dead after a timeout with the outcome unknown: the provider took it after all.
        if (row->status == QLatin1String("dead") && !smsStatusFailed(status))
            repo.markSentByProvider(*id);
        return StatusOutcome{true, status};
    });
}

} // namespace Notifications
