// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Schema migrations per plugin. Each plugin owns one PostgreSQL schema named after it and
/// ships numbered SQL files (`NNNN_some_name.sql`) as Qt resources or in a directory.
/// Applied files are recorded in community_meta.schema_migrations with their SHA-256; an
/// applied file whose content changed is refused before anything runs.
/// Threading: a Migrator is used from one thread at a time; migrate() serialises runners
/// across threads and processes with a PostgreSQL advisory lock. Blocking: call from
/// startup code or tools, never from an event-loop thread.
/// A migration file runs inside a transaction together with its bookkeeping row, so it
/// must not contain BEGIN/COMMIT or statements that cannot run in a transaction.

#include "community/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace Community::Db { class Database; }

namespace Community {

struct Migration {
    int version = 0;
    QString name;       ///< "create_users" for 0001_create_users.sql
    QByteArray sql;
    QString checksum;   ///< SHA-256 of `sql`, lower-case hex
    QString fileName;   ///< "0001_create_users.sql", for messages
};

struct MigrationSet {
    QString plugin;     ///< plugin id = schema name ([a-z_][a-z0-9_]*)
    QList<Migration> migrations;  ///< sorted by version
};

/// Reads `NNNN_name.sql` files (at least four digits, version > 0) from a directory or a
/// Qt resource folder (":/..."), sorted by version. Other files are ignored; a .sql file
/// with a bad name, a duplicate version, an unreadable file or an invalid plugin name is
/// an Error (Config) that names the file.
Result<MigrationSet> loadMigrations(const QString &plugin, const QString &resourceDir);

/// Builds a Migration from a file name and content (same naming rules as above).
Result<Migration> makeMigration(const QString &fileName, const QByteArray &sql);

struct MigrationEntry {
    QString plugin;
    int version = 0;
    QString name;
    QString checksum;   ///< of the file
    QString state;      ///< "applied", "pending", "changed"
    QDateTime appliedAt;  ///< null unless applied/changed
};

class Migrator {
public:
    explicit Migrator(Db::Database &db);

    /// Every known file of every set with its state.
    Result<QList<MigrationEntry>> status(const QList<MigrationSet> &sets);
    /// Applies pending files in order (each in its own transaction, with search_path set
    /// to the plugin schema); returns the entries applied, or for a dry run the entries
    /// that would be. Refuses with Error Config if an applied file changed. On a failing
    /// file the earlier ones stay applied and the error names plugin, version and file.
    Result<QList<MigrationEntry>> migrate(const QList<MigrationSet> &sets, bool dryRun = false);
    /// True when every file is applied and none changed.
    Result<bool> isCurrent(const QList<MigrationSet> &sets);

    /// The advisory lock key migrate() holds ("communityd-migrations").
    static constexpr qint64 lockKey = 0x636f6d6d5f6d6967LL;

private:
    Db::Database &m_db;
};

} // namespace Community
