// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Plain-text building blocks for communityctl's output: aligned tables, the one-line
/// error messages, durations and stable JSON. Pure functions, no I/O.

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace Community::Ctl {

/// Columns aligned on display width, separated by two spaces; no trailing blanks.
/// Without headers it renders key/value style blocks.
class Table
{
public:
    explicit Table(QStringList headers = {});

    void addRow(QStringList cells);
    bool isEmpty() const { return m_rows.isEmpty(); }
    qsizetype rowCount() const { return m_rows.size(); }

    /// Every line ends in '\n'; an empty table with headers renders the header only.
    QString render() const;

private:
    QStringList m_headers;
    QList<QStringList> m_rows;
};

/// Terminal columns a string occupies (East Asian wide characters count 2, combining marks 0).
int displayWidth(const QString &text);

/// Collapses a server-supplied string to one safe line: newlines/tabs become spaces,
/// other control characters (terminal escapes) are dropped, runs of blanks shrink.
QString oneLine(const QString &text);

/// "communityctl: <status> <title>: <detail>" from an error response. Uses the
/// problem+json title/detail (and field errors) when present, otherwise the reason
/// phrase and a short excerpt of the body.
QString errorLine(int status, const QByteArray &body, const QString &reasonPhrase = {});

/// "communityctl: cannot reach <url>: <reason>".
QString unreachableLine(const QString &url, const QString &reason);

/// "3d 4h 5m 6s" style, largest unit first, zero units inside are kept ("1h 0m 5s").
QString formatDuration(qint64 seconds);

/// Indented JSON with a trailing newline; object keys come out sorted, so output is stable.
QByteArray prettyJson(const QJsonValue &value);

/// Standard reason phrase for an HTTP status ("Not Found"); empty when unknown.
QString reasonPhraseFor(int status);

} // namespace Community::Ctl
