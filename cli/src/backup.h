// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Backups of a node's state, taken and restored on the node's host (not over the API):
/// the database as a pg_dump custom-format archive made with the embedded cluster's
/// binaries (EmbeddedPostgres::findBinDir), plus the files plugin's content-addressed
/// store, in one directory with a manifest.json (checksums, versions, migration level,
/// creation time). See docs/adr/0023-backup-and-outbound-faults.md.
///
/// Threading: blocking (runs pg_dump / pg_restore / the embedded cluster); one caller.

#include "community/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Community::Ctl {

/// Where a node keeps its state: the data directory (embedded cluster under
/// <dataDir>/postgres, files under <dataDir>/files), or an external database URL.
struct NodeState {
    QString dataDir;
    QString databaseUrl;  ///< empty: the embedded cluster of dataDir
    QString filesDir;     ///< empty: <dataDir>/files
    QString binDir;       ///< empty: found like the daemon finds it

    QString files() const;
    QString describe() const;   ///< "data directory /srv/x" / "database host=... (files /srv/f)"
};

struct BackupFile {
    QString path;    ///< relative to the backup directory
    qint64 bytes = 0;
    QString sha256;
};

struct Manifest {
    int format = 1;
    QDateTime createdAt;
    QJsonObject versions;     ///< communityctl, pg_dump, server
    QJsonObject migrations;   ///< plugin -> highest applied version
    int migrationCount = 0;   ///< rows of community_meta.schema_migrations
    BackupFile database;      ///< database.dump
    QList<BackupFile> files;  ///< files/<relative path>
    QString source;           ///< NodeState::describe() of the node it came from

    QJsonObject toJson() const;
    static Result<Manifest> fromJson(const QJsonObject &json);
};

/// Writes <parent>/<name>/ (name: community-<UTC timestamp>) and returns its manifest.
/// The directory is removed again when any step fails.
Result<Manifest> createBackup(const NodeState &node, const QString &parent, QString *created);

/// Backups (directories with a manifest.json) under @p parent, newest first.
QList<std::pair<QString, Manifest>> listBackups(const QString &parent);

/// Every checksum and size of the manifest, then `pg_restore --list` on the dump.
/// Errors name each mismatch (Validation with fields) or an unreadable dump.
Result<Manifest> verifyBackup(const QString &backupDir, const QString &binDir = {});

/// Why @p node cannot receive a restore (not empty); an empty list means it can.
QStringList restoreBlockers(const NodeState &node);

/// Restores into an empty node: a new embedded cluster (initdb) or the empty external
/// database, pg_restore, then the files. Refuses (Conflict) when restoreBlockers() is not
/// empty; verifies the backup first.
Result<void> restoreBackup(const QString &backupDir, const NodeState &node);

} // namespace Community::Ctl
