// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// The files tests' fixture: a daemon with two users, and what the tests look for on its
// disk after a request: the spool directory (streamed bodies' temporary files) and the
// content-addressed blobs.

#include "usershttp.h"

#include <QDir>
#include <QDirIterator>
#include <QString>
#include <QStringList>

namespace Files::Test {

/// Regular files below `dir`, at any depth (blobs are fanned out over two levels).
inline int fileCount(const QString &dir)
{
    int n = 0;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

inline QStringList spoolFiles(const QString &dataDir) { return QDir(dataDir + QStringLiteral("/spool")).entryList(QDir::Files); }
inline int spoolCount(const QString &dataDir) { return int(spoolFiles(dataDir).size()); }
inline int blobCount(const QString &dataDir) { return fileCount(dataDir + QStringLiteral("/files/blobs")); }

/// Starts the daemon with `sets` and registers ann and bob; empty on success, else why not.
inline QString startWithAnnAndBob(Users::Test::UsersHttp &http, const QStringList &sets, Users::Test::Account &ann,
                                  Users::Test::Account &bob)
{
    http.extraSets << sets;
    QString error;
    if (!http.start(&error))
        return error;
    ann = http.registerUser(QStringLiteral("ann"));
    bob = http.registerUser(QStringLiteral("bob"));
    return ann.token.isEmpty() || bob.token.isEmpty() ? QStringLiteral("registering ann and bob failed") : QString();
}

} // namespace Files::Test
