// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// libFuzzer target: the SDK's JSON body reader. The input is a request body; readBody()
// parses it, then every field is read with a typed getter chosen from its name (nested
// objects through their own BodyReader), finish() reports what is left, and the error
// becomes the 400 problem+json a handler would send. Checks the contracts on the way:
// exactly one answer on failure, none on success; a failed finish() names every field
// left unread; the problem body is JSON; Json::escape() writes what QJsonDocument writes.

#include "community/json.h"
#include "community/problem.h"
#include "community/request.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <limits>
#include <cstdio>
#include <cstdlib>

using namespace Community;
using namespace Community::Http;

namespace {

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_body: contract broken: %s\n", what);
        std::abort();
    }
}

bool hasLoneSurrogate(const QString &s)
{
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s.at(i).isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate())
            ++i;
        else if (s.at(i).isSurrogate())
            return true;
    }
    return false;
}

/// Json::escape must agree with QJsonDocument on well-formed text. Strings with lone
/// surrogates are not compared: escape() goes through QString::toUtf8(), which replaces them.
void checkEscape(const QString &s)
{
    if (hasLoneSurrogate(s))
        return;
    const QByteArray doc = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    const QByteArray mine = "[\"" + Json::escape(s) + "\"]";
    check(doc == mine, "Json::escape differs from QJsonDocument");
    QByteArray appended;
    Json::appendString(appended, s.toUtf8());
    check("[" + appended + "]" == doc, "Json::appendString differs from QJsonDocument");
}

/// The string helpers beside BodyReader, on every string the body holds.
void checkText(const QString &s)
{
    const qsizetype cps = codePoints(s);
    check(cps <= s.size() && (s.isEmpty() || cps > 0), "codePoints out of range");
    if (hasControlCharacters(s, true))
        check(hasControlCharacters(s, false), "multiline allows more than single-line");
    if (const auto id = parseId(s))
        check(*id > 0 && QString::number(*id) == s.mid(s.size() - QString::number(*id).size()), "parseId");
    for (int keys = 1; keys <= 3; ++keys) {
        if (const auto decoded = decodeCursor(QLatin1StringView("k"), s, keys)) {
            check(decoded->size() == keys, "decodeCursor key count");
            const auto again = decodeCursor(QLatin1StringView("k"), encodeCursor(QLatin1StringView("k"), *decoded), keys);
            check(again && *again == *decoded, "cursor round trip");
        }
    }
    if (const auto limit = parseLimit(s, 20, 100))
        check(*limit >= 1 && *limit <= 100, "parseLimit range");
    checkEscape(s);
}

void visitStrings(const QJsonValue &v, int depth)
{
    if (depth > 64)
        return;
    if (v.isString()) {
        checkText(v.toString());
    } else if (v.isArray()) {
        for (const QJsonValue &x : v.toArray())
            visitStrings(x, depth + 1);
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            checkText(it.key());
            visitStrings(it.value(), depth + 1);
        }
    }
}

constexpr qint64 kMins[] = {std::numeric_limits<qint64>::min(), -1000, 0, 1};
constexpr qint64 kMaxs[] = {std::numeric_limits<qint64>::max(), 1000, 1, 100};

/// Reads every field with a getter picked from a hash of its name, as a handler would;
/// returns the fields deliberately left unread.
QStringList readFields(BodyReader &r, int depth)
{
    QStringList unread;
    const QStringList keys = r.json().keys();
    for (const QString &k : keys) {
        // Seed 0: with any other seed Qt mixes in its per-process random seed (not reproducible).
        const size_t h = qHash(k);
        const Presence p = (h & 0x10) ? Presence::Required : Presence::Optional;
        const int len = int(1 + (h >> 8) % 300);
        switch (h % 12) {
        case 0: {
            if (const auto s = r.string(k, p, len))
                check(codePoints(*s) <= len, "string() longer than maxLength");
            break;
        }
        case 1: {
            TextRule rule{len, p, bool(h & 0x20), bool(h & 0x40)};
            if (const auto s = r.text(k, rule)) {
                check(codePoints(*s) <= len, "text() longer than maxLength");
                check(!hasControlCharacters(*s, rule.multiline), "text() let a control character through");
                check(rule.allowEmpty || !s->trimmed().isEmpty(), "text() empty");
            }
            break;
        }
        case 2: {
            const qint64 min = kMins[(h >> 5) % 4];
            const qint64 max = kMaxs[(h >> 7) % 4];
            if (const auto n = r.integer(k, p, min, max))
                check(*n >= min && *n <= max, "integer() out of range");
            break;
        }
        case 3: r.boolean(k, p); break;
        case 4: {
            if (const auto id = r.id(k, p))
                check(*id > 0, "id() not positive");
            break;
        }
        case 5: {
            const int items = int(1 + (h >> 5) % 20);
            if (const auto list = r.stringList(k, p, items, len))
                check(list->size() <= items, "stringList() too many");
            break;
        }
        case 6: {
            if (const auto o = r.object(k, p); o && depth < 4) {
                BodyReader sub(*o);
                readFields(sub, depth + 1);
                (void)sub.finish();
            }
            break;
        }
        case 7: r.array(k, p); break;
        case 8: r.value(k); break;
        case 9: r.has(k); break;
        case 10: r.accept(k); break;
        default: unread << k; break;
        }
    }
    // Fields a handler expects whether or not they were sent.
    r.text(QStringLiteral("title"), TextRule{200, Presence::Required});
    r.integer(QStringLiteral("limit"), Presence::Optional, 1, 100);
    unread.removeAll(QStringLiteral("title"));   // read just now
    unread.removeAll(QStringLiteral("limit"));
    return unread;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    HttpRequest request;
    request.method = "POST";
    request.requestId = QStringLiteral("fuzz");
    request.body = QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));

    int answers = 0;
    HttpResponse answer;
    const Responder responder([&](HttpResponse &&r) {
        ++answers;
        answer = std::move(r);
    });
    const bool allowEmpty = size % 2 == 1;
    std::optional<BodyReader> reader = readBody(request, responder, allowEmpty);
    if (!reader) {
        check(answers == 1 && answer.status == 400, "readBody failed without one 400");
        QJsonParseError err{};
        QJsonDocument::fromJson(answer.body, &err);
        check(err.error == QJsonParseError::NoError, "problem body is not JSON");
        return 0;
    }
    check(answers == 0, "readBody answered a good body");
    visitStrings(reader->json(), 0);

    const QStringList unread = readFields(*reader, 0);
    const Result<void> done = reader->finish();
    if (done) {
        check(unread.isEmpty() && !reader->hasErrors(), "finish() passed with errors or unread fields");
        return 0;
    }
    for (const QString &k : unread) {
        bool named = false;
        for (const FieldError &f : done.error().fields)
            named = named || (f.field == k && f.code == QLatin1String("unknown_field"));
        check(named, "finish() did not name an unread field");
    }
    const HttpResponse problemResponse = problemFromError(done.error(), request.requestId);
    check(problemResponse.status == 400, "a body error is not a 400");
    QJsonParseError err{};
    QJsonDocument::fromJson(problemResponse.body, &err);
    check(err.error == QJsonParseError::NoError, "problem body is not JSON");
    return 0;
}
