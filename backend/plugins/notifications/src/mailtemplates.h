// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What an email says, per notification kind, in English and Korean: a subject, a text
/// body and an HTML body with a link to the thing and to the preferences. Input is the
/// notification's JSON form (notificationjson.h). Pure; safe on any thread.

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Notifications {

struct RenderedMail {
    QString subject, text, html;
};

QStringList mailLanguages();   ///< en, ko

/// One notification (instant email).
RenderedMail renderNotification(const QJsonObject &notification, const QString &language, const QString &baseUrl);
/// Several notifications in one digest.
RenderedMail renderDigest(const QList<QJsonObject> &notifications, const QString &language, const QString &baseUrl);

/// Auth's transactional mails (ADR 0028): `kind` is kAuthVerifyEmail or kAuthResetPassword.
/// The link (`<baseUrl>/verify-email?token=…`, `<baseUrl>/reset-password?token=…`) and
/// the text carry the token; `validMinutes` says how long it works.
RenderedMail renderAuthMail(const QString &kind, const QString &token, qint64 validMinutes, const QString &language,
                            const QString &baseUrl);
inline constexpr QLatin1StringView kAuthVerifyEmail("auth.verify_email");
inline constexpr QLatin1StringView kAuthResetPassword("auth.reset_password");
/// Whether a delivery row's kind is one of auth's mails (never a digest, no unsubscribe).
inline bool isAuthMailKind(const QString &kind) { return kind == kAuthVerifyEmail || kind == kAuthResetPassword; }

} // namespace Notifications
