// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Composes one RFC 5322 message: UTF-8 headers (RFC 2047 encoded words), a stable
/// Message-ID, multipart/alternative with a text and an HTML part (base64, CRLF line
/// ends), and the RFC 8058 one-click unsubscribe headers. Pure; safe on any thread.

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace Notifications {

struct MailMessage {
    QString fromName, fromAddress, toAddress;
    QString subject;
    QString text;                   ///< plain text part
    QString html;                   ///< HTML part (already escaped where needed)
    QString messageId;              ///< without angle brackets: "d42.7f3a@forum.example"
    QString unsubscribeUrl;         ///< https URL for List-Unsubscribe (empty: no header)
    QDateTime date;
};

/// The message as sent over SMTP (CRLF line ends, lines under 78 characters).
QByteArray composeMail(const MailMessage &m);

/// An RFC 2047 encoded word for non-ASCII header text (ASCII text is returned as is).
QByteArray encodeHeaderText(const QString &text);

/// `text` with &, <, >, " escaped for HTML.
QString htmlEscape(const QString &text);

} // namespace Notifications
