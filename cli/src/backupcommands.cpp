// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "backupcommands.h"

#include "format.h"

#include <CLI/CLI.hpp>

#include <QDir>
#include <QJsonArray>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QUrl>

#include <istream>
#include <ostream>

namespace Community::Ctl {

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

QString summary(const QString &dir, const Manifest &m)
{
    qint64 bytes = 0;
    for (const BackupFile &f : m.files)
        bytes += f.bytes;
    return QStringLiteral("%1\n  created %2 from %3\n  database %4 bytes, %5 migration(s) applied, server %6\n"
                          "  files %7 (%8 bytes)\n")
        .arg(dir, m.createdAt.toString(Qt::ISODate), m.source)
        .arg(m.database.bytes)
        .arg(m.migrationCount)
        .arg(m.versions.value(QLatin1String("server")).toString())
        .arg(m.files.size())
        .arg(bytes);
}

QJsonObject withPath(const QString &dir, const Manifest &m)
{
    QJsonObject o = m.toJson();
    o.insert(QStringLiteral("path"), dir);
    return o;
}

} // namespace

void BackupCommands::addTo(CLI::App &app, Action &action)
{
    auto *backup = app.add_subcommand("backup", "Back up and restore the node's database and files (on the node's host)");
    backup->require_subcommand(1);
    auto local = [this, &action](std::function<int()> run) {
        m_session.local = true;
        action = std::move(run);
    };
    auto nodeOptions = [this](CLI::App *cmd) {
        cmd->add_option("--data-dir", m_dataDir, "The node's data directory (embedded PostgreSQL, files)");
        cmd->add_option("--database-url", m_databaseUrl, "An external database instead of the embedded cluster");
        cmd->add_option("--files-dir", m_filesDir, "The files store (default <data-dir>/files)");
        cmd->add_option("--bin-dir", m_binDir, "PostgreSQL binaries (default: found like communityd finds them)");
    };
    const std::string dirHelp = "Folder of backups (default $XDG_DATA_HOME/communityctl/backups)";

    auto *create = backup->add_subcommand("create", "Dump the database and copy the files store into a new backup");
    nodeOptions(create);
    create->add_option("--dir", m_dir, dirHelp);
    create->callback([this, local] { local([this] { return this->create(); }); });

    auto *list = backup->add_subcommand("list", "List the backups in a folder, newest first");
    list->add_option("--dir", m_dir, dirHelp);
    list->callback([this, local] { local([this] { return this->list(); }); });

    auto *verify = backup->add_subcommand("verify", "Check every checksum and that pg_restore reads the dump");
    verify->add_option("backup", m_backup, "Backup directory")->required();
    verify->add_option("--bin-dir", m_binDir, "PostgreSQL binaries");
    verify->callback([this, local] { local([this] { return this->verify(); }); });

    auto *restore = backup->add_subcommand("restore", "Restore into an empty data directory or empty database");
    restore->add_option("backup", m_backup, "Backup directory")->required();
    nodeOptions(restore);
    restore->add_flag("--dry-run", m_safety.dryRun, "Show what would be restored, change nothing");
    restore->add_flag("-y,--yes", m_safety.yes, "Do not ask for the target's name");
    restore->callback([this, local] { local([this] { return this->restore(); }); });
}

NodeState BackupCommands::node() const
{
    return NodeState{q(m_dataDir), q(m_databaseUrl), q(m_filesDir), q(m_binDir)};
}

QString BackupCommands::backupsDir() const
{
    if (!m_dir.empty())
        return q(m_dir);
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/communityctl/backups");
}

int BackupCommands::failed(const Error &error)
{
    QString line = error.message;
    for (const FieldError &f : error.fields)
        line += QStringLiteral("\n  %1: %2").arg(f.field, f.message);
    note(line);
    return ExitServerError;
}

int BackupCommands::create()
{
    if (m_dataDir.empty() && (m_databaseUrl.empty() || m_filesDir.empty())) {
        note(QStringLiteral("backup create needs --data-dir (or --database-url with --files-dir)"));
        return ExitUsage;
    }
    // The embedded cluster's start/stop lines are for the daemon's log, not this output.
    QLoggingCategory::setFilterRules(QStringLiteral("default.info=false"));
    QString dir;
    auto m = createBackup(node(), backupsDir(), &dir);
    if (!m)
        return failed(m.error());
    printResult(withPath(dir, *m), QStringLiteral("backup created: ") + summary(dir, *m));
    return ExitOk;
}

int BackupCommands::list()
{
    const auto backups = listBackups(backupsDir());
    QJsonArray items;
    QString text;
    for (const auto &[dir, m] : backups) {
        items.append(withPath(dir, m));
        text += summary(dir, m);
    }
    if (backups.isEmpty())
        text = QStringLiteral("no backups in %1\n").arg(backupsDir());
    printResult(QJsonObject{{QStringLiteral("items"), items}}, text);
    return ExitOk;
}

int BackupCommands::verify()
{
    auto m = verifyBackup(q(m_backup), q(m_binDir));
    if (!m)
        return failed(m.error());
    printResult(withPath(q(m_backup), *m),
                QStringLiteral("backup verified: %1 checksum(s) match, pg_restore reads the dump\n").arg(m->files.size() + 1)
                    + summary(q(m_backup), *m));
    return ExitOk;
}

QString BackupCommands::targetName() const
{
    if (m_databaseUrl.empty())
        return QDir(q(m_dataDir)).absolutePath();
    const QUrl url(q(m_databaseUrl));
    if (url.isValid() && !url.scheme().isEmpty())
        return url.path().mid(1);
    for (const QString &part : q(m_databaseUrl).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (part.startsWith(QLatin1String("dbname=")))
            return part.mid(7);
    }
    return q(m_databaseUrl);
}

bool BackupCommands::typedConfirmation(const QString &plan)
{
    err() << plan.toStdString() << "Type the target (" << targetName().toStdString() << ") to confirm: ";
    err().flush();
    std::string line;
    if (!std::getline(m_session.terminal->in, line) || q(line).trimmed() != targetName()) {
        err() << declinedLine().toStdString() << '\n';
        return false;
    }
    return true;
}

int BackupCommands::restore()
{
    if (m_dataDir.empty() && (m_databaseUrl.empty() || m_filesDir.empty())) {
        note(QStringLiteral("backup restore needs --data-dir (or --database-url with --files-dir)"));
        return ExitUsage;
    }
    const Terminal *terminal = m_session.terminal;
    if (!m_safety.dryRun && precheckConfirmation(m_safety.yes, terminal && terminal->interactive) == Confirmation::Refused) {
        err() << refusedLine().toStdString() << '\n';
        return ExitUsage;
    }
    QLoggingCategory::setFilterRules(QStringLiteral("default.info=false"));
    auto m = verifyBackup(q(m_backup), q(m_binDir));
    if (!m)
        return failed(m.error());
    const QStringList blockers = restoreBlockers(node());
    if (!blockers.isEmpty())
        return failed(Error::make(ErrorCode::Conflict, QStringLiteral("refusing to restore: %1; restore only fills an "
                                                                      "empty data directory or database")
                                                           .arg(blockers.join(QStringLiteral("; ")))));
    const QString plan = QStringLiteral("restore %1\n  into %2\n").arg(summary(q(m_backup), *m), node().describe());
    if (m_safety.dryRun) {
        printResult(QJsonObject{{QStringLiteral("dryRun"), true}, {QStringLiteral("target"), node().describe()},
                                {QStringLiteral("backup"), withPath(q(m_backup), *m)}},
                    QStringLiteral("would ") + plan + QStringLiteral("(dry run, nothing changed)\n"));
        return ExitOk;
    }
    if (!m_safety.yes && !typedConfirmation(plan))
        return ExitUsage;
    if (auto r = restoreBackup(q(m_backup), node()); !r)
        return failed(r.error());
    printResult(QJsonObject{{QStringLiteral("restored"), withPath(q(m_backup), *m)}, {QStringLiteral("target"), node().describe()}},
                QStringLiteral("restored ") + plan);
    return ExitOk;
}

} // namespace Community::Ctl
