// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/json.h"


namespace Community::Json {

namespace {
constexpr char kHex[] = "0123456789abcdef";

bool needsEscape(QByteArrayView s)
{
    for (char c : s) {
        if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
            return true;
    }
    return false;
}

void appendEscaped(QByteArray &out, QByteArrayView s)
{
    if (!needsEscape(s)) {
        out.append(s);
        return;
    }
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.append('\\');
            out.append(c);
        } else if (c == '\n') {
            out.append("\\n");
        } else if (u < 0x20) {
            out.append("\\u00");
            out.append(kHex[u >> 4]);
            out.append(kHex[u & 0xf]);
        } else {
            out.append(c);
        }
    }
}
} // namespace

QString iso(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QJsonValue isoOrNull(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(iso(t)) : QJsonValue(QJsonValue::Null);
}

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QString idString(qint64 id)
{
    return QString::number(id);
}

QDateTime fromMicros(qint64 micros)
{
    return QDateTime::fromMSecsSinceEpoch(micros / 1000, Qt::UTC);
}

void appendString(QByteArray &out, QByteArrayView utf8)
{
    out.append('"');
    appendEscaped(out, utf8);
    out.append('"');
}

QByteArray escape(const QString &text)
{
    QByteArray out;
    appendEscaped(out, text.toUtf8());
    return out;
}

} // namespace Community::Json
