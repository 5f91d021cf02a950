// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "pushservice.h"

#include "preferencesrepository.h"

#include "deliveryservice.h"
#include "mailtemplates.h"
#include "projector.h"

#include "community/database.h"

#include <QDebug>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUrl>

using namespace Community;

namespace Notifications {

namespace {

const QString kPush = QStringLiteral("push");

QByteArray randomBytes(int n)
{
    QByteArray out(n, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(out.data()), n / 4);
    return out;
}

/// The push service's origin: the VAPID audience.
QString originOf(const QString &endpoint)
{
    const QUrl u(endpoint);
    return u.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo).toString();
}

} // namespace

Result<SubscriptionInput> readSubscription(Http::BodyReader &body, bool allowHttp)
{
    SubscriptionInput in;
    const auto endpoint = body.string(QStringLiteral("endpoint"), Http::Presence::Required, 2048);
    const auto keys = body.object(QStringLiteral("keys"), Http::Presence::Required);
    body.value(QStringLiteral("expirationTime"));   // browsers send it (null); push services expire on their own
    if (endpoint) {
        const QUrl u(*endpoint, QUrl::StrictMode);
        const bool schemeOk = u.scheme() == QLatin1String("https") || (allowHttp && u.scheme() == QLatin1String("http"));
        if (!u.isValid() || !schemeOk || u.host().isEmpty() || !u.userInfo().isEmpty())
            body.addError(QStringLiteral("endpoint"), QStringLiteral("must be the push service's https URL"), QStringLiteral("invalid_url"));
        in.endpoint = *endpoint;
    }
    if (keys) {
        in.p256dh = keys->value(QStringLiteral("p256dh")).toString();
        in.auth = keys->value(QStringLiteral("auth")).toString();
        const auto key = WebPush::fromBase64Url(in.p256dh);
        if (!key || !WebPush::isValidPublicKey(*key))
            body.addError(QStringLiteral("keys.p256dh"), QStringLiteral("must be a base64url P-256 public key"), QStringLiteral("invalid_key"));
        const auto auth = WebPush::fromBase64Url(in.auth);
        if (!auth || auth->size() != 16)
            body.addError(QStringLiteral("keys.auth"), QStringLiteral("must be 16 bytes in base64url"), QStringLiteral("invalid_key"));
        for (const QString &k : keys->keys())
            if (k != QLatin1String("p256dh") && k != QLatin1String("auth"))
                body.addError(QStringLiteral("keys.") + k, QStringLiteral("unknown field"), QStringLiteral("unknown_field"));
    }
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return in;
}

Result<void> PushService::loadKey()
{
    auto fresh = WebPush::generateKeyPair();
    if (!fresh)
        return tl::unexpected(fresh.error());
    auto stored = m_db.transact<QByteArray>([&](pqxx::work &tx) -> Result<QByteArray> {
        return DeliveryRepository(tx).key(QStringLiteral("vapid"), fresh->privateKey);
    });
    if (!stored)
        return tl::unexpected(stored.error());
    auto key = WebPush::keyPairOf(*stored);
    if (!key)
        return tl::unexpected(key.error());
    m_key = *key;
    return {};
}

Result<PushSubscription> PushService::subscribe(qint64 userId, const SubscriptionInput &in)
{
    return m_db.transact<PushSubscription>([&](pqxx::work &tx) -> Result<PushSubscription> {
        return PushRepository(tx).upsert(userId, in.endpoint, in.p256dh, in.auth);
    });
}

Result<QList<PushSubscription>> PushService::subscriptions(qint64 userId)
{
    return m_db.read<QList<PushSubscription>>([&](pqxx::nontransaction &tx) -> Result<QList<PushSubscription>> {
        return PushRepository(tx).forUser(userId);
    });
}

Result<void> PushService::unsubscribe(qint64 userId, qint64 id)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (!PushRepository(tx).remove(id, userId))
            return tl::unexpected(notFound(QStringLiteral("No such push subscription.")));
        return {};
    });
}

void PushService::enqueue(pqxx::transaction_base &tx, const Preferences &prefs, const Draft &draft,
                          const QJsonObject &notification, qint64 itemId)
{
    if (!enabled() || !prefs.enabled(draft.kind, Channel::Push))
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    DeliveryRepository deliveries(tx);
    for (const PushSubscription &s : PushRepository(tx).forUser(draft.recipientId)) {
        DeliveryRow row;
        row.userId = draft.recipientId;
        row.itemId = itemId;
        row.sourceKey = draft.sourceKey;
        row.channel = kPush;
        row.target = QString::number(s.id);
        row.kind = draft.kind;
        row.content = notification;
        row.messageId = QStringLiteral("%1/%2/%3").arg(draft.recipientId).arg(s.id).arg(draft.sourceKey);
        row.dueAt = quietUntil(prefs, now).value_or(now);
        deliveries.enqueue(row);
    }
}

Result<void> PushService::sendRow(const DeliveryRow &row, bool *gone)
{
    auto sub = m_db.read<std::optional<PushSubscription>>([&](pqxx::nontransaction &tx) -> Result<std::optional<PushSubscription>> {
        return PushRepository(tx).byId(row.target.toLongLong());
    });
    if (!sub)
        return tl::unexpected(sub.error());
    if (!*sub)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("the subscription was removed"));
    auto prefs = m_db.read<Preferences>([&](pqxx::nontransaction &tx) -> Result<Preferences> {
        return PreferencesRepository(tx).load(row.userId);
    });
    const QJsonObject n = row.content;
    const RenderedMail text = renderNotification(n, prefs ? prefs->language : QStringLiteral("en"), m_config.email.publicBaseUrl);
    const QByteArray payload = QJsonDocument(QJsonObject{{QStringLiteral("title"), text.subject},
                                                         {QStringLiteral("notification"), n}})
                                   .toJson(QJsonDocument::Compact);
    return post(**sub, payload, row.kind == Kind::Moderation ? QStringLiteral("high") : QStringLiteral("normal"),
                QStringLiteral("n") + n.value(QStringLiteral("id")).toString(), gone);   // a newer state of the same row replaces it
}

Result<void> PushService::post(const PushSubscription &sub, const QByteArray &payload, const QString &urgency,
                               const QString &topic, bool *gone)
{
    auto body = WebPush::encrypt(payload, *WebPush::fromBase64Url(sub.p256dh), *WebPush::fromBase64Url(sub.auth), m_key,
                                 randomBytes(16));
    if (!body)
        return tl::unexpected(body.error());
    const qint64 exp = QDateTime::currentSecsSinceEpoch() + 12 * 3600;
    auto jwt = WebPush::vapidJwt(originOf(sub.endpoint), m_config.push.subject, exp, m_key);
    if (!jwt)
        return tl::unexpected(jwt.error());
    auto status = m_sender.send({sub.endpoint, *body, *jwt, publicKey(), urgency, topic});
    if (!status)
        return tl::unexpected(status.error());
    if (*status >= 200 && *status < 300)
        return {};
    const QString what = QStringLiteral("push service answered %1").arg(*status);
    *gone = *status == 404 || *status == 410;
    if (*status == 429 || *status >= 500)
        return fail(ErrorCode::Unavailable, what);
    return fail(ErrorCode::InvalidArgument, what);
}

Result<int> PushService::sendTest(qint64 userId)
{
    if (!enabled())
        return fail(ErrorCode::Conflict, QStringLiteral("Web push is not enabled (plugins.notifications.push.enabled)."));
    auto subs = subscriptions(userId);
    if (!subs)
        return tl::unexpected(subs.error());
    if (subs->isEmpty())
        return tl::unexpected(notFound(QStringLiteral("The user has no push subscription.")));
    const QByteArray payload = QJsonDocument(QJsonObject{{QStringLiteral("title"), QStringLiteral("Test message")},
                                                         {QStringLiteral("test"), true}})
                                   .toJson(QJsonDocument::Compact);
    for (const PushSubscription &sub : *subs) {
        bool gone = false;
        if (auto r = post(sub, payload, QStringLiteral("normal"), QString(), &gone); !r)
            return tl::unexpected(r.error());
    }
    return int(subs->size());
}

Result<int> PushService::runRound()
{
    auto claimed = m_db.transact<QList<DeliveryRow>>([&](pqxx::work &tx) -> Result<QList<DeliveryRow>> {
        return DeliveryRepository(tx).claim(kPush, m_config.delivery.batch, m_config.delivery.leaseSeconds);
    });
    if (!claimed)
        return tl::unexpected(claimed.error());
    for (const DeliveryRow &row : *claimed) {
        bool gone = false;
        const Result<void> outcome = sendRow(row, &gone);
        recordSend(m_db, m_config.delivery, row, outcome, [&](pqxx::transaction_base &tx) {
            if (gone)
                PushRepository(tx).remove(row.target.toLongLong(), 0);
        });
    }
    return int(claimed->size());
}

} // namespace Notifications
