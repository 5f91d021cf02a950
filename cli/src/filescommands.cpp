// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// communityctl's files commands on the files plugin's operator routes (ADR 0011, 0031):
//   files stats          GET  /v1/system/files/stats
//   files gc             POST /v1/system/files/gc[?dryRun=true]
//   files verify         GET  /v1/system/files/verify
//   files quota          GET  /v1/system/files/quota?userId=N (username via /v1/admin/users)
//   files quarantine     GET  /v1/system/files/quarantine
#include "filescommands.h"

#include "format.h"

#include "community/client/apiclient.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>

namespace Community::Ctl {

namespace {

ApiRequest get(const QString &path, const QList<std::pair<QString, QString>> &query = {})
{
    ApiRequest r;
    r.path = path;
    for (const auto &[k, v] : query)
        r.query.addQueryItem(k, v);
    return r;
}

ApiRequest gcRequest(bool dryRun)
{
    ApiRequest r;
    r.method = "POST";
    r.path = QStringLiteral("/v1/system/files/gc");
    if (dryRun)
        r.query.addQueryItem(QStringLiteral("dryRun"), QStringLiteral("true"));
    return r;
}

qint64 integer(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isString() ? v.toString().toLongLong() : v.toInteger();
}

QString renderStats(const QJsonObject &s)
{
    Table t;
    t.addRow({QStringLiteral("files:"), QString::number(integer(s, "files"))});
    t.addRow({QStringLiteral("blobs:"), QString::number(integer(s, "blobs"))});
    t.addRow({QStringLiteral("stored:"), QStringLiteral("%1 (%2 bytes)").arg(formatBytes(integer(s, "bytes"))).arg(integer(s, "bytes"))});
    t.addRow({QStringLiteral("unreferenced blobs:"), QString::number(integer(s, "unreferencedBlobs"))});
    t.addRow({QStringLiteral("uploads in flight:"), QString::number(integer(s, "uploadsInFlight"))});
    return t.render();
}

QString renderBlobList(const QJsonArray &names, const QString &empty)
{
    if (names.isEmpty())
        return empty + QLatin1Char('\n');
    Table t({QStringLiteral("BLOB (SHA-256)")});
    for (const QJsonValue &v : names)
        t.addRow({oneLine(v.toString())});
    return t.render();
}

QString renderVerify(const QJsonObject &v)
{
    const QJsonArray missing = v.value(QLatin1String("missing")).toArray();
    const QJsonArray orphans = v.value(QLatin1String("orphans")).toArray();
    if (missing.isEmpty() && orphans.isEmpty())
        return QStringLiteral("ok: every blob row has its blob and every stored blob its row\n");
    QString out = QStringLiteral("%1 row(s) without a blob, %2 blob(s) without a row\n").arg(missing.size()).arg(orphans.size());
    if (!missing.isEmpty())
        out += QStringLiteral("\nmissing (row, no blob)\n") + renderBlobList(missing, {});
    if (!orphans.isEmpty())
        out += QStringLiteral("\norphans (blob, no row)\n") + renderBlobList(orphans, {});
    return out;
}

QString renderQuota(const QJsonObject &q, const QString &who)
{
    const qint64 used = integer(q, "usedBytes");
    const qint64 quota = integer(q, "quotaBytes");
    Table t;
    t.addRow({QStringLiteral("user:"), who});
    t.addRow({QStringLiteral("files:"), QString::number(integer(q, "files"))});
    t.addRow({QStringLiteral("used:"), QStringLiteral("%1 (%2 bytes)").arg(formatBytes(used)).arg(used)});
    t.addRow({QStringLiteral("quota:"), QStringLiteral("%1 (%2 bytes)").arg(formatBytes(quota)).arg(quota)});
    t.addRow({QStringLiteral("used share:"),
              quota > 0 ? QString::number(100.0 * double(used) / double(quota), 'f', 1) + QLatin1Char('%') : QStringLiteral("-")});
    return t.render();
}

QString renderQuarantine(const QJsonObject &o)
{
    const QJsonArray files = o.value(QLatin1String("files")).toArray();
    if (files.isEmpty())
        return QStringLiteral("no quarantined files\n");
    Table t({QStringLiteral("ID"), QStringLiteral("OWNER"), QStringLiteral("NAME"), QStringLiteral("SIZE"),
             QStringLiteral("SIGNATURE"), QStringLiteral("SCANNER"), QStringLiteral("SINCE")});
    for (const QJsonValue &v : files) {
        const QJsonObject f = v.toObject();
        t.addRow({oneLine(f.value(QLatin1String("id")).toString()), oneLine(f.value(QLatin1String("ownerId")).toString()),
                  oneLine(f.value(QLatin1String("name")).toString()), formatBytes(integer(f, "size")),
                  oneLine(f.value(QLatin1String("signature")).toString()), oneLine(f.value(QLatin1String("scanner")).toString()),
                  oneLine(f.value(QLatin1String("quarantinedAt")).toString())});
    }
    return t.render();
}

} // namespace

QString formatBytes(qint64 bytes)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024.0 && u < 5) {
        v /= 1024.0;
        ++u;
    }
    return u == 0 ? QStringLiteral("%1 B").arg(bytes) : QStringLiteral("%1 %2").arg(v, 0, 'f', 1).arg(QLatin1String(units[u]));
}

void FilesCommands::addTo(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *files = app.add_subcommand("files", "Uploaded files: storage totals, garbage collection, consistency, quotas");
    files->require_subcommand(1);
    files->add_subcommand("stats", "Files, blobs, bytes stored, unreferenced blobs, uploads in flight")->callback([this, &action] {
        action = [this] { return stats(); };
    });
    auto *gc = files->add_subcommand("gc", "Remove blobs no file has referenced for longer than the grace period");
    gc->add_flag("--dry-run", o.safety.dryRun, "Only list the blobs that would be removed");
    gc->add_flag("-y,--yes", o.safety.yes, "Do not ask for confirmation");
    gc->callback([this, &action] { action = [this] { return this->gc(m_options.safety); }; });
    files->add_subcommand("verify", "Compare blob rows with the blob store (missing blobs, orphans)")->callback([this, &action] {
        action = [this] { return verify(); };
    });
    auto *quota = files->add_subcommand("quota", "A user's storage use against the quota");
    auto *name = quota->add_option("username", o.username, "The user's name");
    auto *id = quota->add_option("--id", o.userId, "The user's id instead of the name")->check(CLI::PositiveNumber);
    name->excludes(id);
    quota->callback([this, &action] { action = [this] { return this->quota(); }; });
    auto *quarantine = files->add_subcommand("quarantine", "Files the malware scan quarantined, with the verdict");
    quarantine->add_option("--limit", o.limit, "At most this many, newest first (1-500, default 50)")->check(CLI::Range(1, 500));
    quarantine->callback([this, &action] { action = [this] { return this->quarantine(m_options.limit); }; });
}

int FilesCommands::stats()
{
    return printReply(client().send(get(QStringLiteral("/v1/system/files/stats"))), renderStats);
}

int FilesCommands::gc(Safety safety)
{
    const Terminal *terminal = m_session.terminal;
    if (!safety.dryRun && precheckConfirmation(safety.yes, terminal && terminal->interactive) == Confirmation::Refused) {
        err() << refusedLine().toStdString() << '\n';
        return ExitUsage;
    }
    const auto [plan, code] = fetchObject(gcRequest(true));
    if (!plan)
        return code;
    const QJsonArray doomed = plan->value(QLatin1String("removed")).toArray();
    if (safety.dryRun || doomed.isEmpty()) {
        printResult(*plan, doomed.isEmpty() ? QStringLiteral("nothing to collect\n")
                                            : QStringLiteral("would remove %1 blob(s) (dry run, nothing changed)\n").arg(doomed.size())
                                                  + renderBlobList(doomed, {}));
        return ExitOk;
    }
    if (!safety.yes) {
        err() << QStringLiteral("about to remove %1 unreferenced blob(s) for good\n").arg(doomed.size()).toStdString();
        if (!m_session.target.isEmpty())
            err() << "Target: " << m_session.target.toStdString() << '\n';
        if (confirm(false, *terminal, err()) != Confirmation::Proceed) {
            err() << declinedLine().toStdString() << '\n';
            return ExitUsage;
        }
    }
    return printReply(client().send(gcRequest(false)), [](const QJsonObject &r) {
        const QJsonArray removed = r.value(QLatin1String("removed")).toArray();
        return QStringLiteral("removed %1 blob(s)\n").arg(removed.size()) + (removed.isEmpty() ? QString() : renderBlobList(removed, {}));
    });
}

int FilesCommands::verify()
{
    return printReply(client().send(get(QStringLiteral("/v1/system/files/verify"))), renderVerify);
}

int FilesCommands::quota()
{
    const Options &o = m_options;
    qint64 id = o.userId;
    QString who = QString::number(id);
    if (id <= 0) {
        if (o.username.empty()) {
            err() << "communityctl: files quota: give a username or --id\n";
            return ExitUsage;
        }
        who = QString::fromStdString(o.username);
        const auto [user, code] = fetchObject(get(QStringLiteral("/v1/admin/users/") + Client::ApiClient::pathSegment(who)));
        if (!user)
            return code;
        id = integer(user->value(QLatin1String("user")).toObject(), "id");   // {"user": {"id": …}, …}
        if (id <= 0)
            return failWith(QStringLiteral("communityctl: files quota: no user id in the answer for %1").arg(who));
    }
    return printReply(client().send(get(QStringLiteral("/v1/system/files/quota"), {{QStringLiteral("userId"), QString::number(id)}})),
                      [who](const QJsonObject &q) { return renderQuota(q, who); });
}

int FilesCommands::quarantine(int limit)
{
    QList<std::pair<QString, QString>> query;
    if (limit > 0)
        query.append({QStringLiteral("limit"), QString::number(limit)});
    return printReply(client().send(get(QStringLiteral("/v1/system/files/quarantine"), query)), renderQuarantine);
}

} // namespace Community::Ctl
