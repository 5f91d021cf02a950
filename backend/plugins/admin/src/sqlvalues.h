// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Reading the admin repositories' columns: text (NULL = empty) and epoch seconds as
/// UTC times (NULL = invalid). Header-only, for the *repository.cpp files.

#include <pqxx/pqxx>

#include <QDateTime>
#include <QString>

namespace Admin::Sql {

inline QString text(const pqxx::field &f)
{
    return f.is_null() ? QString() : QString::fromUtf8(f.c_str());
}

/// A float8 column of epoch seconds (extract(epoch FROM ...)).
inline QDateTime time(const pqxx::field &f)
{
    return f.is_null() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(qint64(f.as<double>() * 1000.0), Qt::UTC);
}

} // namespace Admin::Sql
