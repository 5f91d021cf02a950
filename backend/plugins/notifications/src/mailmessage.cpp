// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mailmessage.h"

#include <QCryptographicHash>
#include <QLocale>

namespace Notifications {

namespace {

bool isPlainAscii(const QString &s)
{
    for (QChar c : s)
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    return true;
}

/// base64 in lines of 76 characters (RFC 2045).
QByteArray base64Lines(const QByteArray &data)
{
    const QByteArray b = data.toBase64();
    QByteArray out;
    for (qsizetype i = 0; i < b.size(); i += 76)
        out += b.mid(i, 76) + "\r\n";
    return out;
}

QByteArray part(const QByteArray &contentType, const QString &body)
{
    return "Content-Type: " + contentType + "; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + base64Lines(body.toUtf8());
}

QByteArray rfc5322Date(const QDateTime &t)
{
    return QLocale::c().toString(t.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss")).toLatin1() + " +0000";
}

} // namespace

QByteArray encodeHeaderText(const QString &text)
{
    if (isPlainAscii(text))
        return text.toLatin1();
    // One encoded word per chunk of whole characters, each under 75 characters.
    QByteArray out;
    QString chunk;
    auto flush = [&] {
        if (chunk.isEmpty())
            return;
        if (!out.isEmpty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + chunk.toUtf8().toBase64() + "?=";
        chunk.clear();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const bool pair = text[i].isHighSurrogate() && i + 1 < text.size();
        const QString c = pair ? text.mid(i, 2) : QString(text[i]);
        if ((chunk + c).toUtf8().size() > 45)
            flush();
        chunk += c;
        i += pair ? 1 : 0;
    }
    flush();
    return out;
}

QString htmlEscape(const QString &text)
{
    return text.toHtmlEscaped();
}

QByteArray composeMail(const MailMessage &m)
{
    const QByteArray boundary = "=_alt_" + QCryptographicHash::hash(m.messageId.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    QByteArray out;
    out += "From: " + encodeHeaderText(m.fromName) + " <" + m.fromAddress.toLatin1() + ">\r\n";
    out += "To: <" + m.toAddress.toLatin1() + ">\r\n";
    out += "Subject: " + encodeHeaderText(m.subject) + "\r\n";
    out += "Date: " + rfc5322Date(m.date) + "\r\n";
    out += "Message-ID: <" + m.messageId.toLatin1() + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Auto-Submitted: auto-generated\r\n";
    if (!m.unsubscribeUrl.isEmpty()) {
        out += "List-Unsubscribe: <" + m.unsubscribeUrl.toLatin1() + ">\r\n";
        out += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
    }
    out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    out += "--" + boundary + "\r\n" + part("text/plain", m.text);
    out += "--" + boundary + "\r\n" + part("text/html", m.html);
    out += "--" + boundary + "--\r\n";
    return out;
}

} // namespace Notifications
