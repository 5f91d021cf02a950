// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "cursor.h"

#include <QByteArray>
#include <QByteArrayList>

namespace Users {

namespace {

constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QString wrap(const QByteArray &plain)
{
    return QString::fromLatin1(plain.toBase64(kB64));
}

std::optional<QByteArrayList> unwrap(const QString &text, const QByteArray &kind, int parts)
{
    if (text.isEmpty() || text.size() > 128)
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), kB64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.toBase64(kB64) != text.toLatin1())
        return std::nullopt;   // only the canonical spelling is accepted
    QByteArrayList list = decoded.decoded.split(':');
    if (list.size() != parts + 1 || list.first() != kind)
        return std::nullopt;
    list.removeFirst();
    return list;
}

std::optional<qint64> number(const QByteArray &s)
{
    bool ok = false;
    const qint64 v = s.toLongLong(&ok);
    if (!ok || QByteArray::number(v) != s)
        return std::nullopt;
    return v;
}

} // namespace

QString encodeKeysetCursor(const KeysetCursor &c)
{
    return wrap("k1:" + QByteArray::number(c.micros) + ':' + QByteArray::number(c.id));
}

std::optional<KeysetCursor> decodeKeysetCursor(const QString &text)
{
    auto parts = unwrap(text, "k1", 2);
    if (!parts)
        return std::nullopt;
    auto micros = number(parts->at(0));
    auto id = number(parts->at(1));
    if (!micros || !id || *id < 0)
        return std::nullopt;
    return KeysetCursor{*micros, *id};
}

QString encodeOffsetCursor(int offset)
{
    return wrap("o1:" + QByteArray::number(offset));
}

std::optional<int> decodeOffsetCursor(const QString &text, int maxOffset)
{
    auto parts = unwrap(text, "o1", 1);
    if (!parts)
        return std::nullopt;
    auto v = number(parts->at(0));
    if (!v || *v < 0 || *v > maxOffset)
        return std::nullopt;
    return int(*v);
}

} // namespace Users
