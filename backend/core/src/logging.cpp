// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/logging.h"

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
        line = "{\"ts\":\"" + ts + "\",\"level\":\"" + levelName(type) + "\",\"category\":\"" + jsonEscape(QString::fromUtf8(category))
               + "\",\"msg\":\"" + jsonEscape(msg) + "\"}\n";
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

QByteArray jsonEscape(const QString &text)
{
    static constexpr char hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 8);
    for (char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.append('\\').append(c);
        } else if (c == '\n') {
            out.append("\\n");
        } else if (u < 0x20) {
            out.append("\\u00").append(hex[u >> 4]).append(hex[u & 0xf]);
        } else {
            out.append(c);
        }
    }
    return out;
}

void installLogHandler(LogFormat format)
{
    g_format = format;
    qInstallMessageHandler(handler);
}

} // namespace Community
