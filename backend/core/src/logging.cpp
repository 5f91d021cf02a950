// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/host/logging.h"
#include "community/json.h"

#include <QDateTime>

#include <cstdio>
#include <mutex>
#include <unistd.h>

namespace Community {

namespace {

LogFormat g_format = LogFormat::Json;
std::mutex g_mutex;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

void handler(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    QByteArray line;
    const QByteArray ts = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
    const char *category = ctx.category ? ctx.category : "default";
    if (g_format == LogFormat::Json) {
        line = "{\"ts\":\"" + ts + "\",\"level\":\"" + levelName(type) + "\",\"category\":\"" + Json::escape(QString::fromUtf8(category))
               + "\",\"msg\":\"" + Json::escape(msg) + "\"}\n";
    } else {
        line = ts + ' ' + levelName(type) + ' ' + category + ": " + msg.toUtf8() + '\n';
    }
    {
        std::lock_guard lock(g_mutex);
        [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.constData(), size_t(line.size()));
    }
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace


void installLogHandler(LogFormat format)
{
    g_format = format;
    qInstallMessageHandler(handler);
}

} // namespace Community
