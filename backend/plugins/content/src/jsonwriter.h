// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// JSON written as bytes for the hot answers (post page comments, feeds): building
/// QJsonObjects (sorted inserts into CBOR containers) and serialising them costs more
/// than the database work there. The output is what QJsonDocument writes (compact, the
/// same escapes). Pure functions; thread-safe.

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QStringView>

namespace Content::JsonWriter {

/// A JSON string literal of `text`, escaped as QJsonDocument does.
void appendText(QByteArray &out, QStringView text);
void appendNumber(QByteArray &out, qint64 n);
/// An id as a JSON string ("42").
void appendId(QByteArray &out, qint64 id);
/// The same text as Json::iso() ("2026-11-24T02:24:52.175Z"), without QDateTime's
/// formatter; null when invalid.
void appendTime(QByteArray &out, const QDateTime &t);
/// An object's JSON: `envelope` (compact) plus one member whose JSON is already written.
QByteArray withRawMember(const QJsonObject &envelope, const char *key, const QByteArray &raw);

} // namespace Content::JsonWriter
