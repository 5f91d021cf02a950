// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Small JSON helpers shared by the typed event payloads in contracts/events/ (header
/// only, so contracts depend on nothing but Qt and shared). Ids travel as decimal strings,
/// times as ISO 8601 UTC with milliseconds. Readers are lenient (an absent value gives
/// the default) so that older events still replay; a payload without its main id is
/// refused by the event's fromJson().

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace Community::Contracts::Events::Json {

inline QJsonValue id(qint64 v)
{
    return QString::number(v);
}

inline QJsonValue idOrNull(std::optional<qint64> v)
{
    return v ? id(*v) : QJsonValue(QJsonValue::Null);
}

inline QJsonValue time(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue(QJsonValue::Null);
}

/// An id sent as a decimal string or a positive number.
inline std::optional<qint64> toId(const QJsonValue &v)
{
    if (v.isString()) {
        bool ok = false;
        const qint64 n = v.toString().toLongLong(&ok);
        return ok && n > 0 ? std::optional<qint64>(n) : std::nullopt;
    }
    if (v.isDouble() && v.toDouble() >= 1)
        return qint64(v.toDouble());
    return std::nullopt;
}

inline QDateTime toTime(const QJsonValue &v)
{
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
}

inline QStringList toStrings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out.append(x.toString());
    return out;
}

/// Inserts `key` only when the optional holds a value.
template<typename T>
void insertIf(QJsonObject &o, const QString &key, const std::optional<T> &v)
{
    if (v)
        o.insert(key, QJsonValue(*v));
}

inline void insertIdIf(QJsonObject &o, const QString &key, std::optional<qint64> v)
{
    if (v)
        o.insert(key, id(*v));
}

} // namespace Community::Contracts::Events::Json
