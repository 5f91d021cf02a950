// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// libFuzzer target: the files plugin's streaming multipart/form-data parser (ADR 0029).
// Input: one byte choosing a slice size, a first line taken as the Content-Type (its
// boundary, if multipartBoundary() accepts it; else "XyZ"), then the body. The body is
// parsed twice, whole and in slices; checks: both runs agree (outcome, error code, parts
// and their bytes); content never exceeds the input; accepted boundaries are 1-70 bchars;
// errors carry the malformed-multipart type or a field code; baseFileName() leaves no
// separator.

#include "multipart.h"

#include <QByteArray>
#include <QStringList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Files;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_multipart: contract broken: %s\n", what);
        std::abort();
    }
}

struct Run {
    bool ok = false;
    QString code;
    QStringList parts;
    qint64 bytes = 0;
};

Run parse(const QByteArray &boundary, const QByteArray &body, qsizetype slice)
{
    Run out;
    QString current;
    QByteArray content;
    bool inPart = false;
    MultipartParser::Handlers h;
    h.begin = [&](const MultipartPart &p) -> Community::Result<void> {
        check(!inPart, "begin inside a part");
        inPart = true;
        current = p.name + QLatin1Char('|') + p.filename.value_or(QStringLiteral("-")) + QLatin1Char('|')
                  + QString::fromLatin1(p.contentType);
        check(!p.name.isEmpty(), "a part without a name was accepted");
        if (p.filename) {
            const QString base = baseFileName(*p.filename);
            check(!base.contains(QLatin1Char('/')) && !base.contains(QLatin1Char('\\')), "baseFileName kept a separator");
        }
        content.clear();
        return {};
    };
    h.data = [&](const char *d, qsizetype n) -> Community::Result<void> {
        check(inPart && n > 0, "data outside a part or empty");
        content.append(d, n);
        out.bytes += n;
        return {};
    };
    h.end = [&]() -> Community::Result<void> {
        check(inPart, "end outside a part");
        inPart = false;
        out.parts << current + QLatin1Char('|') + QString::fromLatin1(content.toHex());
        return {};
    };
    MultipartParser parser(boundary, h);
    bool fed = true;
    for (qsizetype at = 0; fed && at < body.size(); at += slice)
        fed = parser.feed(body.constData() + at, qMin(slice, body.size() - at));
    out.ok = fed && parser.finish();
    if (!out.ok) {
        const auto &e = parser.error();
        check(e.type == QLatin1String("malformed-multipart") && !e.fields.isEmpty(), "error without type or field");
        out.code = e.fields.first().code;
        check(!parser.feed("x", 1), "a failed parser accepted more input");
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype slice = 1 + data[0] % 64;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype eol = rest.indexOf('\n');
    QByteArray boundary = "XyZ";
    QByteArray body = rest;
    if (eol >= 0 && eol <= 200) {
        body = rest.mid(eol + 1);
        if (auto b = multipartBoundary(rest.left(eol))) {
            if (*b) {
                check(!(**b).isEmpty() && (**b).size() <= 70, "boundary length");
                boundary = **b;
            } else {
                check(b->error().type == QLatin1String("malformed-multipart"), "boundary error type");
            }
        }
    }
    const Run whole = parse(boundary, body, body.size() + 1);
    const Run sliced = parse(boundary, body, slice);
    check(whole.ok == sliced.ok, "whole and sliced runs disagree on the outcome");
    check(whole.code == sliced.code, "whole and sliced runs disagree on the error");
    if (whole.ok)
        check(whole.parts == sliced.parts, "whole and sliced runs disagree on the parts");
    check(whole.bytes <= body.size() && sliced.bytes <= body.size(), "more content than input");
    return 0;
}
