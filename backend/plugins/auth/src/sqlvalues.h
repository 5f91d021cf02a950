// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Conversions between libpqxx fields and Qt values shared by the auth repositories.
/// Pure functions; safe on any thread.

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <pqxx/pqxx>

#include <string>

namespace Auth::Internal {

/// A text field as QString (empty for NULL).
inline QString text(const pqxx::field &f)
{
    return f.is_null() ? QString() : QString::fromUtf8(f.c_str(), qsizetype(f.size()));
}

inline std::string str(const QString &s)
{
    return s.toStdString();
}

/// A bytea parameter.
inline pqxx::binarystring bytes(const QByteArray &b)
{
    return pqxx::binarystring(b.constData(), size_t(b.size()));
}

/// A bytea field.
inline QByteArray bytesOf(const pqxx::field &f)
{
    const pqxx::binarystring b(f);
    return QByteArray(reinterpret_cast<const char *>(b.data()), qsizetype(b.size()));
}

/// The select expression for a timestamptz column as epoch microseconds (see time()).
inline std::string micros(const std::string &column)
{
    return "(extract(epoch FROM " + column + ") * 1e6)::bigint";
}

/// A micros() field as UTC time (invalid for NULL).
QDateTime time(const pqxx::field &f);

} // namespace Auth::Internal
