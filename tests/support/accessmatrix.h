// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Authorization matrices (route × caller → status) as QtTest data: one row per route and
// caller, columns method, path, body, caller (index into the test's caller list) and
// expected (the status). Each test keeps its own callers and its own table.

#include "httpclient.h"

#include <QByteArray>
#include <QString>
#include <QtTest>

#include <array>
#include <cstddef>

namespace Community::Test {

template<std::size_t Callers>
struct AccessRow {
    const char *method;
    const char *path;
    const char *body;
    std::array<int, Callers> expected;
};

/// Call from a `_data()` slot.
template<std::size_t Callers, std::size_t Rows>
void addAccessRows(const AccessRow<Callers> (&rows)[Rows], const char *const (&callerNames)[Callers])
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("caller");
    QTest::addColumn<int>("expected");
    for (const AccessRow<Callers> &r : rows)
        for (std::size_t c = 0; c < Callers; ++c)
            QTest::addRow("%s %s as %s", r.method, r.path, callerNames[c])
                << QByteArray(r.method) << QString::fromLatin1(r.path) << QByteArray(r.body) << int(c) << r.expected[c];
}

/// Call from the test slot: fetches the row, sends it with `send(method, path, body,
/// caller)` (returning an HttpResult) and checks the status, and problem+json for errors.
template<typename Send>
void checkAccess(Send send)
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, caller);
    QFETCH(int, expected);
    const HttpResult r = send(method, path, body, caller);
    QVERIFY2(r.status == expected, qPrintable(QStringLiteral("%1 (%2)").arg(r.status).arg(QString::fromUtf8(r.body.left(300)))));
    if (expected >= 400)
        QVERIFY(r.header("content-type").startsWith("application/problem+json"));
}

} // namespace Community::Test
