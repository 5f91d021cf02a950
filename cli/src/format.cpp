// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "format.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace Community::Ctl {

namespace {

constexpr qsizetype kMaxBodyExcerpt = 200;

bool isWide(char32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E)
        || (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF)
        || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60)
        || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F)
        || (c >= 0x20000 && c <= 0x3FFFD);
}

QString padRight(const QString &text, int width)
{
    const int pad = width - displayWidth(text);
    return pad > 0 ? text + QString(pad, QLatin1Char(' ')) : text;
}

} // namespace

Table::Table(QStringList headers)
    : m_headers(std::move(headers))
{
}

void Table::addRow(QStringList cells)
{
    m_rows.append(std::move(cells));
}

QString Table::render() const
{
    qsizetype columns = m_headers.size();
    for (const QStringList &row : m_rows)
        columns = std::max(columns, row.size());
    if (columns == 0)
        return {};

    auto cell = [](const QStringList &row, qsizetype i) {
        return i < row.size() ? oneLine(row.at(i)) : QString();
    };

    QList<int> widths(columns, 0);
    auto measure = [&](const QStringList &row) {
        for (qsizetype i = 0; i < columns; ++i)
            widths[i] = std::max(widths[i], displayWidth(cell(row, i)));
    };
    if (!m_headers.isEmpty())
        measure(m_headers);
    for (const QStringList &row : m_rows)
        measure(row);

    QString out;
    auto writeRow = [&](const QStringList &row) {
        QString line;
        for (qsizetype i = 0; i < columns; ++i) {
            if (i > 0)
                line += QLatin1String("  ");
            line += padRight(cell(row, i), widths[i]);
        }
        // Padding of the last column (or empty trailing cells) is noise.
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        out += line + QLatin1Char('\n');
    };
    if (!m_headers.isEmpty())
        writeRow(m_headers);
    for (const QStringList &row : m_rows)
        writeRow(row);
    return out;
}

int displayWidth(const QString &text)
{
    int width = 0;
    for (char32_t c : text.toUcs4()) {
        const auto category = QChar::category(c);
        if (category == QChar::Mark_NonSpacing || category == QChar::Mark_Enclosing
            || category == QChar::Other_Format)
            continue;
        width += isWide(c) ? 2 : 1;
    }
    return width;
}

QString oneLine(const QString &text)
{
    QString out;
    out.reserve(text.size());
    bool lastWasSpace = false;
    for (QChar c : text) {
        if (c == QLatin1Char('\n') || c == QLatin1Char('\r') || c == QLatin1Char('\t')
            || c == QLatin1Char(' ')) {
            if (!lastWasSpace && !out.isEmpty())
                out += QLatin1Char(' ');
            lastWasSpace = true;
            continue;
        }
        if (c.category() == QChar::Other_Control)
            continue;
        out += c;
        lastWasSpace = false;
    }
    while (out.endsWith(QLatin1Char(' ')))
        out.chop(1);
    return out;
}

QString errorLine(int status, const QByteArray &body, const QString &reasonPhrase)
{
    QString title;
    QString detail;
    QStringList fieldErrors;

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::NoError && doc.isObject()) {
        const QJsonObject problem = doc.object();
        title = oneLine(problem.value(QLatin1String("title")).toString());
        detail = oneLine(problem.value(QLatin1String("detail")).toString());
        const QJsonArray errors = problem.value(QLatin1String("errors")).toArray();
        for (const QJsonValue &e : errors) {
            const QJsonObject fe = e.toObject();
            const QString field = oneLine(fe.value(QLatin1String("field")).toString());
            const QString message = oneLine(fe.value(QLatin1String("message")).toString());
            if (!message.isEmpty())
                fieldErrors << (field.isEmpty() ? message : field + QLatin1String(": ") + message);
        }
        // A not-ready /readyz answers with reasons instead of field errors.
        const QJsonArray reasons = problem.value(QLatin1String("reasons")).toArray();
        for (const QJsonValue &r : reasons)
            fieldErrors << oneLine(r.toString());
    } else if (!body.trimmed().isEmpty()) {
        detail = oneLine(QString::fromUtf8(body));
        if (detail.size() > kMaxBodyExcerpt)
            detail = detail.left(kMaxBodyExcerpt) + QStringLiteral("…");
    }

    if (title.isEmpty())
        title = oneLine(reasonPhrase);
    if (title.isEmpty())
        title = reasonPhraseFor(status);
    if (title.isEmpty())
        title = QStringLiteral("HTTP error");
    if (!fieldErrors.isEmpty())
        detail += (detail.isEmpty() ? QString() : QStringLiteral(" ")) + QLatin1Char('(')
            + fieldErrors.join(QLatin1String("; ")) + QLatin1Char(')');

    QString line = QStringLiteral("communityctl: %1 %2").arg(status).arg(title);
    if (!detail.isEmpty())
        line += QLatin1String(": ") + detail;
    return line;
}

QString unreachableLine(const QString &url, const QString &reason)
{
    return QStringLiteral("communityctl: cannot reach %1: %2").arg(oneLine(url), oneLine(reason));
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        seconds = 0;
    const qint64 days = seconds / 86400;
    const qint64 hours = seconds % 86400 / 3600;
    const qint64 minutes = seconds % 3600 / 60;
    const qint64 secs = seconds % 60;
    QStringList parts;
    if (days > 0)
        parts << QStringLiteral("%1d").arg(days);
    if (days > 0 || hours > 0)
        parts << QStringLiteral("%1h").arg(hours);
    if (days > 0 || hours > 0 || minutes > 0)
        parts << QStringLiteral("%1m").arg(minutes);
    parts << QStringLiteral("%1s").arg(secs);
    return parts.join(QLatin1Char(' '));
}

QByteArray prettyJson(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented);
    // Scalars: wrap in an array and strip the brackets so numbers/strings print as JSON.
    QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2) + '\n';
}

QString reasonPhraseFor(int status)
{
    switch (status) {
    case 400: return QStringLiteral("Bad Request");
    case 401: return QStringLiteral("Unauthorized");
    case 403: return QStringLiteral("Forbidden");
    case 404: return QStringLiteral("Not Found");
    case 405: return QStringLiteral("Method Not Allowed");
    case 408: return QStringLiteral("Request Timeout");
    case 409: return QStringLiteral("Conflict");
    case 413: return QStringLiteral("Content Too Large");
    case 415: return QStringLiteral("Unsupported Media Type");
    case 422: return QStringLiteral("Unprocessable Content");
    case 429: return QStringLiteral("Too Many Requests");
    case 431: return QStringLiteral("Request Header Fields Too Large");
    case 500: return QStringLiteral("Internal Server Error");
    case 501: return QStringLiteral("Not Implemented");
    case 502: return QStringLiteral("Bad Gateway");
    case 503: return QStringLiteral("Service Unavailable");
    case 504: return QStringLiteral("Gateway Timeout");
    default: return {};
    }
}

} // namespace Community::Ctl
