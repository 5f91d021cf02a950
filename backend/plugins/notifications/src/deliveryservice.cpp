// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "deliveryservice.h"

#include "mailmessage.h"
#include "mailtemplates.h"
#include "preferencesrepository.h"
#include "projector.h"

#include "community/contracts/auth.h"
#include "community/contracts/authmail.h"
#include "community/database.h"
#include "community/request.h"

#include <QCryptographicHash>
#include <QDebug>
#include <QHash>
#include <QRandomGenerator>
#include <QUrl>

using namespace Community;

namespace Notifications {

namespace {

const QString kEmail = QStringLiteral("email");

QString domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    return at < 0 ? QStringLiteral("localhost") : address.mid(at + 1);
}

} // namespace

Result<void> DeliveryService::loadKey()
{
    QByteArray candidate(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(candidate.data()), candidate.size() / 4);
    auto key = m_db.transact<QByteArray>([&](pqxx::work &tx) -> Result<QByteArray> {
        return DeliveryRepository(tx).key(QStringLiteral("unsubscribe"), candidate);
    });
    if (!key)
        return tl::unexpected(key.error());
    m_key = *key;
    return {};
}

QString DeliveryService::messageId(qint64 userId, const QString &sourceKey, const QString &channel) const
{
    const QByteArray h = QCryptographicHash::hash((QString::number(userId) + u'|' + sourceKey + u'|' + channel).toUtf8(),
                                                  QCryptographicHash::Sha256).toHex().left(24);
    return QStringLiteral("n%1.%2@%3").arg(userId).arg(QString::fromLatin1(h), domainOf(m_config.email.from));
}

void DeliveryService::enqueue(pqxx::transaction_base &tx, const Preferences &prefs, const Draft &draft,
                              const QJsonObject &notification, qint64 itemId)
{
    if (!m_config.email.enabled() || !prefs.enabled(draft.kind, Channel::Email)
        || prefs.emailFrequency == QLatin1String("never"))
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    DeliveryRow row;
    row.userId = draft.recipientId;
    row.itemId = itemId;
    row.sourceKey = draft.sourceKey;
    row.channel = kEmail;
    row.kind = draft.kind;
    row.content = notification;
    row.messageId = messageId(draft.recipientId, draft.sourceKey, kEmail);
    row.digest = prefs.emailFrequency != QLatin1String("instant");
    row.dueAt = row.digest ? nextDigest(prefs, now, m_config.delivery.digestHour) : quietUntil(prefs, now).value_or(now);
    DeliveryRepository(tx).enqueue(row);
}

QDateTime backoffAt(const DeliveryConfig &config, int attempts)
{
    qint64 wait = config.backoffBaseMs;
    for (int i = 1; i < attempts && wait < 3'600'000; ++i)
        wait *= 4;
    return QDateTime::currentDateTimeUtc().addMSecs(std::min<qint64>(wait, 3'600'000));
}

void recordSend(Db::Database &db, const DeliveryConfig &config, const DeliveryRow &row, const Result<void> &outcome,
                const std::function<void(pqxx::transaction_base &)> &alsoOnFailure)
{
    auto r = db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        DeliveryRepository repo(tx);
        if (outcome) {
            repo.markSent(row.id);
            return {};
        }
        if (alsoOnFailure)
            alsoOnFailure(tx);
        const bool dead = outcome.error().code != ErrorCode::Unavailable || row.attempts >= config.maxAttempts;
        repo.markFailed(row.id, outcome.error().message, dead, backoffAt(config, row.attempts));
        return {};
    });
    if (!r)
        qWarning().noquote() << "notifications: recording" << row.channel << "delivery" << row.id << "failed:" << r.error().message;
}

void DeliveryService::record(const QList<DeliveryRow> &rows, const Result<void> &outcome)
{
    for (const DeliveryRow &row : rows)
        recordSend(m_db, m_config.delivery, row, outcome);
}

void DeliveryService::sendUserRows(const QList<DeliveryRow> &rows, const QString &address, const Preferences &prefs)
{
    if (address.isEmpty())
        return record(rows, fail(ErrorCode::InvalidArgument, QStringLiteral("the account has no email address")));
    const bool single = rows.size() == 1 && !rows.first().digest;
    QList<QJsonObject> contents;
    for (const DeliveryRow &row : rows)
        contents.append(row.content);
    const RenderedMail rendered = single ? renderNotification(contents.first(), prefs.language, m_config.email.publicBaseUrl)
                                         : renderDigest(contents, prefs.language, m_config.email.publicBaseUrl);
    MailMessage m{m_config.email.fromName, m_config.email.from, address, rendered.subject, rendered.text, rendered.html,
                  single ? rows.first().messageId : QStringLiteral("digest.") + rows.first().messageId,
                  unsubscribeUrl(rows.first().userId, single ? rows.first().kind : QStringLiteral("*")),
                  QDateTime::currentDateTimeUtc()};
    record(rows, m_mailer.send(address, composeMail(m)));
}

Result<int> DeliveryService::takeOverAuthMail()
{
    if (!m_authMail || !m_config.email.enabled())
        return 0;
    auto mails = m_authMail->pending(m_config.delivery.batch);
    if (!mails)
        return tl::unexpected(mails.error());
    if (mails->isEmpty())
        return 0;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto stored = m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        DeliveryRepository repo(tx);
        for (const Contracts::AuthMail &mail : *mails) {
            DeliveryRow row;
            row.userId = mail.userId;
            row.sourceKey = QStringLiteral("auth:%1").arg(mail.id);
            row.channel = kEmail;
            row.kind = mail.kind == Contracts::AuthMail::Kind::VerifyEmail ? QString(kAuthVerifyEmail) : QString(kAuthResetPassword);
            const QDateTime expires = mail.createdAt.addSecs(mail.expiresInSeconds);
            row.content = QJsonObject{{QStringLiteral("email"), mail.email},
                                      {QStringLiteral("token"), mail.token},
                                      {QStringLiteral("validMinutes"), mail.expiresInSeconds / 60},
                                      {QStringLiteral("expiresAt"), expires.toString(Qt::ISODateWithMs)}};
            if (!mail.languageHint.isEmpty()) {
                row.content.insert(QStringLiteral("language"), mail.languageHint);
                // A new account's first language is the one its registration asked in; a
                // language the user chose (a stored row) is kept. Not from a password reset:
                // whoever asks for one need not be the account's owner.
                if (mail.kind == Contracts::AuthMail::Kind::VerifyEmail)
                    PreferencesRepository(tx).adoptLanguage(mail.userId, mail.languageHint);
            }
            row.messageId = messageId(mail.userId, row.sourceKey, kEmail);
            row.dueAt = now;   // transactional: no quiet hours, no digest, no preference
            repo.enqueue(row);   // a second take after a crash changes nothing (unique key)
        }
        return {};
    });
    if (!stored)
        return tl::unexpected(stored.error());
    QList<qint64> ids;
    for (const Contracts::AuthMail &mail : *mails)
        ids.append(mail.id);
    if (auto r = m_authMail->handedOver(ids); !r)
        return tl::unexpected(r.error());
    return int(mails->size());
}

void DeliveryService::sendAuthMail(const DeliveryRow &row, const QString &language)
{
    const QString address = row.content.value(QStringLiteral("email")).toString();
    const QString token = row.content.value(QStringLiteral("token")).toString();
    const QDateTime expires = QDateTime::fromString(row.content.value(QStringLiteral("expiresAt")).toString(), Qt::ISODateWithMs);
    if (address.isEmpty() || token.isEmpty())
        return record({row}, fail(ErrorCode::InvalidArgument, QStringLiteral("no address or token (removed after a failure)")));
    if (!expires.isValid() || expires <= QDateTime::currentDateTimeUtc())
        return record({row}, fail(ErrorCode::InvalidArgument, QStringLiteral("the token expired before the mail could be sent")));
    const RenderedMail rendered = renderAuthMail(row.kind, token, row.content.value(QStringLiteral("validMinutes")).toInteger(),
                                                 language, m_config.email.publicBaseUrl);
    // Transactional: no List-Unsubscribe (an account mail cannot be unsubscribed from).
    const MailMessage m{m_config.email.fromName, m_config.email.from, address, rendered.subject, rendered.text, rendered.html,
                        row.messageId, QString(), QDateTime::currentDateTimeUtc()};
    record({row}, m_mailer.send(address, composeMail(m)));
}

Result<int> DeliveryService::runEmailRound()
{
    auto claimed = m_db.transact<QList<DeliveryRow>>([&](pqxx::work &tx) -> Result<QList<DeliveryRow>> {
        return DeliveryRepository(tx).claim(kEmail, m_config.delivery.batch, m_config.delivery.leaseSeconds);
    });
    if (!claimed || claimed->isEmpty())
        return claimed ? Result<int>(0) : tl::unexpected(claimed.error());
    QList<DeliveryRow> rows, authRows;
    QList<qint64> ids;
    for (const DeliveryRow &row : *claimed) {
        (isAuthMailKind(row.kind) ? authRows : rows).append(row);
        if (!ids.contains(row.userId))
            ids.append(row.userId);
    }
    auto prefs = m_db.read<QHash<qint64, Preferences>>([&](pqxx::nontransaction &tx) -> Result<QHash<qint64, Preferences>> {
        QHash<qint64, Preferences> out;
        for (qint64 id : ids)
            out.insert(id, PreferencesRepository(tx).load(id));
        return out;
    });
    if (!prefs)
        return tl::unexpected(prefs.error());
    for (const DeliveryRow &row : authRows) {
        // The account's language, else the hint of the request that caused the mail.
        const Preferences p = prefs->value(row.userId);
        const QString hint = row.content.value(QStringLiteral("language")).toString();
        sendAuthMail(row, p.stored || hint.isEmpty() ? p.language : hint);
    }
    if (rows.isEmpty())
        return int(claimed->size());
    if (!m_directory) {
        record(rows, fail(ErrorCode::Unavailable, QStringLiteral("no user directory on this node")));
        return int(claimed->size());
    }
    QHash<qint64, QList<DeliveryRow>> digests;
    ids.clear();
    for (const DeliveryRow &row : rows)
        if (!ids.contains(row.userId))
            ids.append(row.userId);
    auto users = m_directory->findByIds(ids);
    if (!users) {
        record(rows, tl::unexpected(users.error()));
        return int(claimed->size());
    }
    QHash<qint64, QString> addresses;
    for (const Contracts::UserRecord &u : *users)
        addresses.insert(u.id, u.email);
    for (const DeliveryRow &row : rows) {
        if (row.digest)
            digests[row.userId].append(row);
        else
            sendUserRows({row}, addresses.value(row.userId), prefs->value(row.userId));
    }
    for (auto it = digests.begin(); it != digests.end(); ++it)
        sendUserRows(*it, addresses.value(it.key()), prefs->value(it.key()));
    return int(claimed->size());
}

Result<QList<DeliveryRow>> DeliveryService::list(const DeliveryFilter &filter)
{
    return m_db.read<QList<DeliveryRow>>([&](pqxx::nontransaction &tx) -> Result<QList<DeliveryRow>> {
        return DeliveryRepository(tx).list(filter);
    });
}

Result<void> DeliveryService::retry(qint64 id)
{
    return m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
        if (!DeliveryRepository(tx).retry(id))
            return tl::unexpected(notFound(QStringLiteral("No such dead or pending delivery.")));
        return {};
    });
}

Result<void> DeliveryService::sendTest(const QString &userText)
{
    if (!m_config.email.enabled())
        return fail(ErrorCode::Conflict, QStringLiteral("Email is not configured (plugins.notifications.email.smtpUrl)."));
    auto user = findUser(userText);
    if (!user)
        return tl::unexpected(user.error());
    const qint64 userId = user->id;
    const QString id = QStringLiteral("test.%1.%2@%3").arg(userId).arg(QDateTime::currentMSecsSinceEpoch()).arg(domainOf(m_config.email.from));
    const QString text = QStringLiteral("This is a test message from the notifications plugin.");
    const MailMessage m{m_config.email.fromName, m_config.email.from, user->email, QStringLiteral("Test message"), text,
                        QStringLiteral("<p>%1</p>").arg(text), id, QString(), QDateTime::currentDateTimeUtc()};
    return m_mailer.send(user->email, composeMail(m));
}

Result<Contracts::UserRecord> DeliveryService::findUser(const QString &userText) const
{
    if (!m_directory)
        return fail(ErrorCode::Unavailable, QStringLiteral("No user directory on this node."));
    const std::optional<qint64> givenId = Http::parseId(userText);
    return givenId ? m_directory->findById(*givenId) : m_directory->findByUsername(userText);
}

Result<qint64> DeliveryService::resolveUser(const QString &userText) const
{
    auto user = findUser(userText);
    if (!user)
        return tl::unexpected(user.error());
    return user->id;
}

QString DeliveryService::unsubscribeUrl(qint64 userId, const QString &kind) const
{
    if (m_config.email.publicBaseUrl.isEmpty() || m_key.isEmpty())
        return {};
    return m_config.email.publicBaseUrl + QStringLiteral("/v1/notifications/unsubscribe?token=")
           + QString::fromLatin1(QUrl::toPercentEncoding(signUnsubscribe({userId, kind}, m_key)));
}

Result<Unsubscribe> DeliveryService::checkToken(const QString &token) const
{
    const auto u = verifyUnsubscribe(token, m_key);
    if (!u || (u->kind != QLatin1String("*") && !allKinds().contains(u->kind)))
        return tl::unexpected(invalidField(QStringLiteral("token"), QStringLiteral("is not a valid unsubscribe link"),
                                           QStringLiteral("invalid_token")));
    return *u;
}

Result<Unsubscribe> DeliveryService::unsubscribe(const QString &token)
{
    auto u = checkToken(token);
    if (!u)
        return u;
    return m_db.transact<Unsubscribe>([&](pqxx::work &tx) -> Result<Unsubscribe> {
        PreferencesRepository repo(tx);
        Preferences p = repo.loadForUpdate(u->userId);
        for (const QString &kind : u->kind == QLatin1String("*") ? allKinds() : QStringList{u->kind})
            p.overrides[kind][Channel::Email] = false;
        repo.save(u->userId, p);
        return *u;
    });
}

} // namespace Notifications
