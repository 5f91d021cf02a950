// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "jsonwriter.h"

#include "community/json.h"

#include <QJsonDocument>

#include <charconv>
#include <cstdio>

namespace Content::JsonWriter {

void appendText(QByteArray &out, QStringView text)
{
    Community::Json::appendString(out, text.toUtf8());
}

void appendNumber(QByteArray &out, qint64 n)
{
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
    out.append(buf, end - buf);
}

void appendId(QByteArray &out, qint64 id)
{
    out += '"';
    appendNumber(out, id);
    out += '"';
}

void appendTime(QByteArray &out, const QDateTime &t)
{
    if (!t.isValid()) {
        out += "null";
        return;
    }
    const qint64 ms = t.toMSecsSinceEpoch();
    const qint64 days = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
    const qint64 inDay = ms - days * 86'400'000;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    const qint64 z = days + 719'468;
    const qint64 era = (z >= 0 ? z : z - 146'096) / 146'097;
    const qint64 doe = z - era * 146'097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 day = doy - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 1000 || year > 9999) {   // not four digits: leave it to Qt
        appendText(out, Community::Json::iso(t));
        return;
    }
    char buf[32];
    const int len = std::snprintf(buf, sizeof buf, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"", int(year), int(month),
                                  int(day), int(inDay / 3'600'000), int(inDay / 60'000 % 60), int(inDay / 1000 % 60),
                                  int(inDay % 1000));
    out.append(buf, len);
}

QByteArray withRawMember(const QJsonObject &envelope, const char *key, const QByteArray &raw)
{
    QByteArray body = QJsonDocument(envelope).toJson(QJsonDocument::Compact);
    body.chop(1);   // the closing brace
    body.reserve(body.size() + raw.size() + 32);
    if (body.size() > 1)
        body += ',';
    body += '"';
    body += key;
    body += "\":";
    body += raw;
    body += '}';
    return body;
}

} // namespace Content::JsonWriter
