// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// JSON formatting every plugin shares: one timestamp format, ids as strings, nulls for
/// empty values, and one string escaper for hand-built JSON (logs, hot paths).
/// Pure functions; safe on any thread.

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QJsonValue>
#include <QString>

namespace Community::Json {

/// The API's one timestamp format: UTC, milliseconds, "2026-11-23T23:24:13.903Z".
QString iso(const QDateTime &t);
/// iso(t), or null for an invalid time.
QJsonValue isoOrNull(const QDateTime &t);
/// The string, or null when it is empty.
QJsonValue orNull(const QString &s);
/// Ids travel as strings (JavaScript numbers stop at 2^53).
QString idString(qint64 id);
/// A timestamptz selected as epoch microseconds (`(extract(epoch from col) * 1e6)::bigint`),
/// as a UTC QDateTime.
QDateTime fromMicros(qint64 micros);

/// Appends `utf8` as a quoted JSON string literal ("a\"b"), escaped exactly as
/// QJsonDocument does (quote, backslash, \b \f \n \r \t, other controls as \u00XX);
/// other bytes copied (the input must be UTF-8).
void appendString(QByteArray &out, QByteArrayView utf8);
/// The escaped body of a JSON string literal, without the quotes.
QByteArray escape(const QString &text);

} // namespace Community::Json
