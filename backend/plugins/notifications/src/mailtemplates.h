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

} // namespace Notifications
