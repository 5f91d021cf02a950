// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Shared setup for the admin HTTP tests: the content harness (real auth, users, content
// and admin plugins over real HTTP) plus helpers to wait for audit rows (other plugins'
// staff actions reach the audit log through the event bus, so they appear shortly after
// the response) and to create API keys.

#include "contenthttp.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QThread>

#include <memory>

namespace Admin::Test {

using Community::Test::HttpResult;
using Users::Test::Account;
using Users::Test::isProblem;

class AdminHttp : public Content::Test::ContentHttp {
public:
    /// GET as the operator (communityctl's credential).
    HttpResult op(const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        return daemon.operatorRequest(method, path, body);
    }

    /// Audit rows matching `query` ("action=user.suspend&targetId=4"), polled until at
    /// least `count` exist or 15 s pass.
    QJsonArray waitForAudit(const QString &query, int count = 1)
    {
        QDeadlineTimer deadline(15'000);
        QJsonArray rows;
        while (!deadline.hasExpired()) {
            const auto r = op("GET", QStringLiteral("/v1/admin/audit?") + query);
            rows = r.json().value(QStringLiteral("items")).toArray();
            if (r.status == 200 && rows.size() >= count)
                return rows;
            QThread::msleep(100);
        }
        qWarning() << "audit rows for" << query << ":" << rows.size();
        return rows;
    }

    /// The queue item of a target with at least `reports` open reports, polled until it
    /// appears or 15 s pass (reports and flags reach the queue through events); empty if none.
    QJsonObject waitForQueueItem(const QString &targetId, int reports = 0)
    {
        QDeadlineTimer deadline(15'000);
        while (!deadline.hasExpired()) {
            for (const QJsonValue &v : op("GET", QStringLiteral("/v1/admin/queue?limit=100")).json().value("items").toArray()) {
                const QJsonObject o = v.toObject();
                if (o.value("target").toObject().value("id").toString() == targetId && o.value("openReports").toInt() >= reports)
                    return o;
            }
            QThread::msleep(100);
        }
        return {};
    }

    /// An API key created by the admin with `scopes`; empty on failure.
    QByteArray createKey(const QJsonArray &scopes)
    {
        auto r = call("POST", QStringLiteral("/v1/admin/api-keys"), admin.token,
                      json({{"name", "admin-test"}, {"scopes", scopes}}));
        if (r.status != 201)
            qWarning() << "create key" << r.status << r.body;
        return r.json().value(QStringLiteral("key")).toString().toLatin1();
    }

    struct CtlRun {
        int exitCode = -1;
        QString out, err;
    };

    /// The built communityctl with the operator token against this daemon, started (for
    /// commands that run until stopped: `audit tail -f`).
    std::unique_ptr<QProcess> startCtl(QStringList args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &key : env.keys())
            if (key.startsWith(QLatin1String("COMMUNITY_")))
                env.remove(key);
        args = QStringList{QStringLiteral("--server"), daemon.baseUrl().toString(), QStringLiteral("--token"),
                           daemon.operatorToken()} + args;
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(env);
        process->start(QStringLiteral(COMMUNITY_BIN_DIR "/communityctl"), args);
        return process;
    }

    /// The built communityctl with the operator token against this daemon; `input` on stdin.
    CtlRun ctl(QStringList args, const QByteArray &input = {})
    {
        const std::unique_ptr<QProcess> started = startCtl(std::move(args));
        QProcess &process = *started;
        CtlRun r;
        if (!process.waitForStarted(10'000))
            return r;
        process.write(input);
        process.closeWriteChannel();
        if (!process.waitForFinished(60'000)) {
            process.kill();
            process.waitForFinished();
            return r;
        }
        r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
        r.out = QString::fromUtf8(process.readAllStandardOutput());
        r.err = QString::fromUtf8(process.readAllStandardError());
        return r;
    }

    /// Runs `sql` on the daemon's database; false (with a warning) on error.
    bool exec(const std::string &sql)
    {
        try {
            pqxx::connection c(daemon.database()->conninfo());
            pqxx::work tx(c);
            tx.exec(sql);
            tx.commit();
            return true;
        } catch (const std::exception &e) {
            qWarning() << "exec" << sql.c_str() << e.what();
            return false;
        }
    }
};

} // namespace Admin::Test
