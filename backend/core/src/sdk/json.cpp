// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/json.h"


namespace Community::Json {

namespace {
constexpr char kHex[] = "0123456789abcdef";

// Escapes as QJsonDocument writes (short forms for \b \f \n \r \t), so hand-written
// answers are byte for byte what QJsonDocument would produce. Copies unescaped runs whole.
void appendEscaped(QByteArray &out, QByteArrayView s)
{
    const char *p = s.data();
    const qsizetype n = s.size();
    qsizetype run = 0;   // start of the bytes not yet copied
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(p + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    out.append(p + run, n - run);
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
