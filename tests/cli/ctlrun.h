// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// runCtl() in-process for the CLI's unit tests: arguments after "communityctl", a given
/// stdin (and whether it counts as a terminal); exit code, stdout and stderr back.

#include "ctlapp.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <sstream>
#include <string>
#include <vector>

namespace Community::Ctl::Test {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
    /// stdout as a JSON object (for `-o json`).
    QJsonObject json() const { return QJsonDocument::fromJson(out.toUtf8()).object(); }
};

inline Run run(QStringList args, const std::string &stdinText = {}, bool tty = false)
{
    args.prepend("communityctl");
    std::vector<QByteArray> storage;
    std::vector<const char *> argv;
    for (const QString &a : args)
        storage.push_back(a.toUtf8());
    for (const QByteArray &a : storage)
        argv.push_back(a.constData());
    std::ostringstream out;
    std::ostringstream err;
    std::istringstream in(stdinText);
    Run r;
    r.exitCode = runCtl(int(argv.size()), argv.data(), out, err, in, tty);
    r.out = QString::fromStdString(out.str());
    r.err = QString::fromStdString(err.str());
    return r;
}

} // namespace Community::Ctl::Test
