// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/request.h"

#include "community/problem.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QStringDecoder>

namespace Community::Http {

namespace {

Error malformed(const QString &message, const QString &code)
{
    Error e = invalidField(QStringLiteral("body"), message, code);
    e.type = QStringLiteral("malformed-json");
    return e;
}

/// A second, light pass over a body QJsonDocument has already accepted, for what
/// QJsonDocument hides: a key sent twice in one object (it keeps the last), an escape that
/// leaves a lone surrogate (it keeps it in the QString), and how each top-level number was
/// written (it keeps a double, so `10.0` and `1e1` look like 10). The input is known to be
/// well-formed, so this pass only walks it; every read is still bounds-checked.
class RawJsonScan {
public:
    explicit RawJsonScan(const QByteArray &body) : m_p(body.constData()), m_end(body.constData() + body.size()) {}

    std::optional<FieldError> run(QHash<QString, QByteArray> &numbers)
    {
        m_numbers = &numbers;
        value(QString(), 0);
        return m_error;
    }

private:
    char peek() const { return m_p < m_end ? *m_p : '\0'; }
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }
    void fail(const QString &path, const QString &message, const QString &code)
    {
        if (!m_error)
            m_error = FieldError{path.isEmpty() ? QStringLiteral("body") : path, message, code};
    }

    /// At the opening quote; walks to after the closing one. Decodes into `out` when given
    /// (keys: short); for values only the escapes are looked at, since a lone surrogate can
    /// only come from one (the UTF-8 decoder has refused encoded surrogates already).
    void string(const QString &path, QString *out = nullptr)
    {
        ++m_p;
        const char *run = m_p;
        bool pendingHigh = false;   // the last thing was a \uD800..\uDBFF escape
        bool lone = false;
        auto flush = [&] {
            if (out && m_p > run)
                out->append(QString::fromUtf8(run, m_p - run));
        };
        while (m_p < m_end && *m_p != '"') {
            if (*m_p != '\\') {
                lone = lone || pendingHigh;
                pendingHigh = false;
                ++m_p;
                continue;
            }
            flush();
            if (++m_p >= m_end)
                break;
            const char c = *m_p++;
            char16_t unit = 0;
            switch (c) {
            case 'b': unit = u'\b'; break;
            case 'f': unit = u'\f'; break;
            case 'n': unit = u'\n'; break;
            case 'r': unit = u'\r'; break;
            case 't': unit = u'\t'; break;
            case 'u': {
                bool ok = false;
                unit = m_end - m_p >= 4 ? QByteArray(m_p, 4).toUShort(&ok, 16) : 0;
                m_p = qMin(m_p + 4, m_end);
                if (!ok)
                    unit = 0xfffd;
                break;
            }
            default: unit = char16_t(uchar(c)); break;   // " \ /
            }
            const QChar ch(unit);
            if (ch.isLowSurrogate())
                lone = lone || !pendingHigh;
            else
                lone = lone || pendingHigh;
            pendingHigh = ch.isHighSurrogate();
            if (out)
                out->append(ch);
            run = m_p;
        }
        flush();
        if (m_p < m_end)
            ++m_p;
        if (lone || pendingHigh)
            fail(path, QStringLiteral("must not contain a lone surrogate (invalid Unicode)"), QStringLiteral("invalid_characters"));
    }

    /// Walks one value; returns the token of a scalar (number, true, false, null).
    QByteArray value(const QString &path, int depth)
    {
        skipSpace();
        const char c = peek();
        if (c == '{') {
            ++m_p;
            QSet<QString> keys;
            while (!m_error) {
                skipSpace();
                if (peek() != '"')
                    break;   // "}" of an empty object
                QString key;
                string(path, &key);
                const QString child = path.isEmpty() ? key : path + QLatin1Char('.') + key;
                if (keys.contains(key))
                    fail(child, QStringLiteral("is sent more than once"), QStringLiteral("duplicate_key"));
                keys.insert(key);
                skipSpace();
                if (peek() == ':')
                    ++m_p;
                const QByteArray token = value(child, depth + 1);
                if (depth == 0 && !token.isEmpty())
                    m_numbers->insert(key, token);
                skipSpace();
                if (peek() != ',')
                    break;
                ++m_p;
            }
            skipSpace();
            if (peek() == '}')
                ++m_p;
            return {};
        }
        if (c == '[') {
            ++m_p;
            for (int i = 0; !m_error; ++i) {
                skipSpace();
                if (peek() == ']')
                    break;
                value(path + QStringLiteral("[%1]").arg(i), depth + 1);
                skipSpace();
                if (peek() != ',')
                    break;
                ++m_p;
            }
            skipSpace();
            if (peek() == ']')
                ++m_p;
            return {};
        }
        if (c == '"') {
            string(path);
            return {};
        }
        const char *start = m_p;
        while (m_p < m_end && *m_p != ',' && *m_p != '}' && *m_p != ']' && *m_p != ' ' && *m_p != '\t'
               && *m_p != '\n' && *m_p != '\r')
            ++m_p;
        const QByteArray token(start, m_p - start);
        // Only numbers are remembered (true/false/null need no second look).
        return token.isEmpty() || (token.front() != '-' && (token.front() < '0' || token.front() > '9')) ? QByteArray() : token;
    }

    const char *m_p;
    const char *m_end;
    QHash<QString, QByteArray> *m_numbers = nullptr;
    std::optional<FieldError> m_error;
};

bool isPlainInteger(const QByteArray &token)
{
    return !token.contains('.') && !token.contains('e') && !token.contains('E');
}

} // namespace

// ---- BodyReader ---------------------------------------------------------------------

Result<BodyReader> BodyReader::parse(const QByteArray &body, bool allowEmpty)
{
    if (allowEmpty && body.trimmed().isEmpty())
        return BodyReader();
    QStringDecoder dec(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = dec.decode(body);
    Q_UNUSED(decoded);
    if (dec.hasError())
        return tl::unexpected(invalidField(QStringLiteral("body"), QStringLiteral("the request body is not valid UTF-8"),
                                           QStringLiteral("invalid_utf8")));
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return tl::unexpected(malformed(QStringLiteral("Malformed JSON at offset %1: %2").arg(err.offset).arg(err.errorString()),
                                        QStringLiteral("malformed_json")));
    if (!doc.isObject())
        return tl::unexpected(malformed(QStringLiteral("The body must be a JSON object."), QStringLiteral("type")));
    BodyReader reader(doc.object());
    if (auto error = RawJsonScan(body).run(reader.m_numbers))
        return tl::unexpected(invalidFields({*error}));
    return reader;
}

std::optional<QJsonValue> BodyReader::present(const QString &field, Presence presence)
{
    m_known.insert(field);
    const QJsonValue v = m_object.value(field);
    if (v.isUndefined() || v.isNull()) {
        if (presence == Presence::Required)
            addError(field, QStringLiteral("is required"), QStringLiteral("required"));
        return std::nullopt;
    }
    return v;
}

std::optional<QString> BodyReader::string(const QString &field, Presence presence, int maxLength)
{
    const auto v = present(field, presence);
    if (!v)
        return std::nullopt;
    if (!v->isString()) {
        addError(field, QStringLiteral("must be a string"), QStringLiteral("type"));
        return std::nullopt;
    }
    QString s = v->toString();
    if (codePoints(s) > maxLength) {
        addError(field, QStringLiteral("must be at most %1 characters").arg(maxLength), QStringLiteral("too_long"));
        return std::nullopt;
    }
    // Tabs and line breaks stay allowed: a secret set before the text rule may hold one.
    if (hasInvalidCharacters(s, true)) {
        addError(field, QStringLiteral("must not contain control characters or invalid Unicode"),
                 QStringLiteral("invalid_characters"));
        return std::nullopt;
    }
    return s;
}

std::optional<QString> BodyReader::text(const QString &field, const TextRule &rule)
{
    const auto v = present(field, rule.presence);
    if (!v)
        return std::nullopt;
    if (!v->isString()) {
        addError(field, QStringLiteral("must be a string"), QStringLiteral("type"));
        return std::nullopt;
    }
    if (!QStringView(v->toString()).isValidUtf16()) {   // a reader built from a QJsonObject, not parse()
        addError(field, QStringLiteral("must not contain invalid Unicode"), QStringLiteral("invalid_characters"));
        return std::nullopt;
    }
    // NFC first: the length rule counts what is stored, and "한" stays one code point
    // whether it was sent composed or as three jamo.
    const QString normalized = v->toString().normalized(QString::NormalizationForm_C);
    const QString text = rule.multiline ? normalized : normalized.trimmed();
    if (text.trimmed().isEmpty() && !rule.allowEmpty) {
        addError(field, QStringLiteral("must not be empty"), QStringLiteral("required"));
        return std::nullopt;
    }
    if (codePoints(text) > rule.maxLength) {
        addError(field, QStringLiteral("must be at most %1 characters").arg(rule.maxLength), QStringLiteral("too_long"));
        return std::nullopt;
    }
    if (hasControlCharacters(text, rule.multiline)) {
        addError(field, QStringLiteral("must not contain control characters"), QStringLiteral("invalid_characters"));
        return std::nullopt;
    }
    return text;
}

NullableText BodyReader::nullableText(const QString &field, const TextRule &rule)
{
    NullableText t;
    m_known.insert(field);
    const QJsonValue v = m_object.value(field);
    if (v.isUndefined()) {
        if (rule.presence == Presence::Required)
            addError(field, QStringLiteral("is required"), QStringLiteral("required"));
        return t;
    }
    if (v.isNull()) {
        t.present = t.null = true;
        return t;
    }
    if (auto s = text(field, rule)) {
        t.present = true;
        t.value = *s;
    }
    return t;
}

std::optional<qint64> BodyReader::integer(const QString &field, Presence presence, qint64 min, qint64 max)
{
    const auto v = present(field, presence);
    if (!v)
        return std::nullopt;
    // The token as sent when parse() saw it; the double only for a reader built from an object.
    const QByteArray token = numberToken(field);
    const double d = v->toDouble();
    const bool integral = token.isEmpty() ? (d >= -9.2e18 && d <= 9.2e18 && d == double(qint64(d))) : isPlainInteger(token);
    if (!v->isDouble() || !integral) {
        addError(field, QStringLiteral("must be an integer"), QStringLiteral("type"));
        return std::nullopt;
    }
    bool exact = token.isEmpty();
    const qint64 n = token.isEmpty() ? qint64(d) : token.toLongLong(&exact);
    if (!exact || n < min || n > max) {
        addError(field, QStringLiteral("must be from %1 to %2").arg(min).arg(max), QStringLiteral("out_of_range"));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> BodyReader::boolean(const QString &field, Presence presence)
{
    const auto v = present(field, presence);
    if (!v)
        return std::nullopt;
    if (!v->isBool()) {
        addError(field, QStringLiteral("must be true or false"), QStringLiteral("type"));
        return std::nullopt;
    }
    return v->toBool();
}

std::optional<qint64> BodyReader::id(const QString &field, Presence presence)
{
    const auto v = present(field, presence);
    if (!v)
        return std::nullopt;
    std::optional<qint64> parsed;
    if (v->isString())
        parsed = parseId(v->toString());
    else if (v->isDouble() && isPlainInteger(numberToken(field)) && v->toDouble() >= 1 && v->toDouble() < 9.0e15
             && v->toDouble() == double(qint64(v->toDouble())))
        parsed = qint64(v->toDouble());
    if (!parsed)
        addError(field, QStringLiteral("must be an id"), QStringLiteral("invalid"));
    return parsed;
}

std::optional<QStringList> BodyReader::stringList(const QString &field, Presence presence, int maxItems, int maxLength)
{
    const auto v = present(field, presence);
    if (!v)
        return std::nullopt;
    if (!v->isArray()) {
        addError(field, QStringLiteral("must be an array of strings"), QStringLiteral("type"));
        return std::nullopt;
    }
    const QJsonArray a = v->toArray();
    if (a.size() > maxItems) {
        addError(field, QStringLiteral("at most %1 items").arg(maxItems), QStringLiteral("too_many"));
        return std::nullopt;
    }
    QStringList out;
    for (const QJsonValue &x : a) {
        if (!x.isString()) {
            addError(field, QStringLiteral("must be an array of strings"), QStringLiteral("type"));
            return std::nullopt;
        }
        const QString s = x.toString().normalized(QString::NormalizationForm_C);
        if (s.isEmpty() || codePoints(s) > maxLength || hasInvalidCharacters(s, false)) {
            addError(field, QStringLiteral("items must be 1 to %1 printable characters").arg(maxLength),
                     QStringLiteral("invalid"));
            return std::nullopt;
        }
        out << s;
    }
    return out;
}

std::optional<QJsonObject> BodyReader::object(const QString &field, Presence presence)
{
    const auto v = present(field, presence);
    if (!v)
        return std::nullopt;
    if (!v->isObject()) {
        addError(field, QStringLiteral("must be an object"), QStringLiteral("type"));
        return std::nullopt;
    }
    return v->toObject();
}

std::optional<QJsonArray> BodyReader::array(const QString &field, Presence presence)
{
    const auto v = present(field, presence);
    if (!v)
        return std::nullopt;
    if (!v->isArray()) {
        addError(field, QStringLiteral("must be an array"), QStringLiteral("type"));
        return std::nullopt;
    }
    return v->toArray();
}

QJsonValue BodyReader::value(const QString &field)
{
    m_known.insert(field);
    return m_object.value(field);
}

bool BodyReader::has(const QString &field)
{
    m_known.insert(field);
    return m_object.contains(field);
}

void BodyReader::addError(const QString &field, const QString &message, const QString &code)
{
    m_errors.append({field, message, code});
}

bool BodyReader::hasError(const QString &field) const
{
    for (const FieldError &e : m_errors) {
        if (e.field == field)
            return true;
    }
    return false;
}

Result<void> BodyReader::finish()
{
    QList<FieldError> errors = m_errors;
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!m_known.contains(it.key()))
            errors.append({it.key(), QStringLiteral("unknown field"), QStringLiteral("unknown_field")});
    }
    if (errors.isEmpty())
        return {};
    return tl::unexpected(invalidFields(std::move(errors)));
}

std::optional<BodyReader> readBody(const HttpRequest &request, const Responder &responder, bool allowEmpty)
{
    auto reader = BodyReader::parse(request.body, allowEmpty);
    if (!reader) {
        sendError(request, responder, reader.error());
        return std::nullopt;
    }
    return std::move(*reader);
}

// ---- text -----------------------------------------------------------------------------

qsizetype codePoints(QStringView s)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s.at(i).isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate())
            ++i;
        ++n;
    }
    return n;
}

bool hasControlCharacters(QStringView s, bool multiline)
{
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (multiline && (u == u'\n' || u == u'\t' || u == u'\r'))
            continue;
        if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0) || u == 0x2028 || u == 0x2029)
            return true;
    }
    return false;
}

bool hasInvalidCharacters(QStringView s, bool multiline)
{
    return !s.isValidUtf16() || hasControlCharacters(s, multiline);
}

// ---- ids, limits, query ---------------------------------------------------------------

std::optional<qint64> parseId(QStringView text)
{
    if (text.isEmpty() || text.size() > 19)
        return std::nullopt;
    for (QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
    }
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v <= 0)
        return std::nullopt;
    return v;
}

Result<qint64> pathId(const HttpRequest &request, const QString &param, const QString &what)
{
    if (const auto id = parseId(request.pathParams.value(param)))
        return *id;
    return tl::unexpected(notFound(QStringLiteral("No such %1.").arg(what)));
}

Result<int> parseLimit(const QString &raw, int def, int max)
{
    if (raw.isEmpty())
        return def;
    bool ok = false;
    const int v = raw.toInt(&ok);
    if (!ok || v < 1 || v > max)
        return tl::unexpected(invalidField(QStringLiteral("limit"), QStringLiteral("must be an integer from 1 to %1").arg(max),
                                           QStringLiteral("out_of_range")));
    return v;
}

Result<int> queryLimit(const HttpRequest &request, int def, int max)
{
    return parseLimit(queryValue(request, QStringLiteral("limit")), def, max);
}

QString queryValue(const HttpRequest &request, const QString &name)
{
    return request.query.queryItemValue(name, QUrl::FullyDecoded);
}

Result<void> checkQuery(const HttpRequest &request, const QStringList &allowed)
{
    QList<FieldError> errors;
    for (const auto &[name, value] : request.query.queryItems()) {
        Q_UNUSED(value)
        if (!allowed.contains(name))
            errors.append({name, QStringLiteral("is not a known query parameter"), QStringLiteral("unknown_parameter")});
    }
    if (errors.isEmpty())
        return {};
    return tl::unexpected(invalidFields(std::move(errors)));
}

// ---- cursors --------------------------------------------------------------------------

QString encodeCursor(QLatin1StringView kind, const QList<qint64> &keys)
{
    QByteArray text = QByteArray(kind.data(), kind.size()) + ':';
    for (qsizetype i = 0; i < keys.size(); ++i) {
        if (i)
            text += ',';
        text += QByteArray::number(keys[i]);
    }
    return QString::fromLatin1(text.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString encodeCursor(QLatin1StringView kind, std::initializer_list<qint64> keys)
{
    return encodeCursor(kind, QList<qint64>(keys));
}

std::optional<QList<qint64>> decodeCursor(QLatin1StringView kind, const QString &text, int keyCount)
{
    if (text.isEmpty() || text.size() > 256)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64UrlEncoding
                                                                              | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    const QByteArray &raw = *decoded;
    const QByteArray prefix = QByteArray(kind.data(), kind.size()) + ':';
    if (!raw.startsWith(prefix))
        return std::nullopt;
    const QList<QByteArray> parts = raw.mid(prefix.size()).split(',');
    if (parts.size() != keyCount)
        return std::nullopt;
    QList<qint64> keys;
    for (const QByteArray &p : parts) {
        bool ok = false;
        const qint64 v = p.toLongLong(&ok);
        if (!ok)
            return std::nullopt;
        keys.append(v);
    }
    return keys;
}

Result<std::optional<QList<qint64>>> queryCursor(const HttpRequest &request, QLatin1StringView kind, int keyCount)
{
    const QString text = queryValue(request, QStringLiteral("cursor"));
    if (text.isEmpty())
        return std::optional<QList<qint64>>();
    if (auto keys = decodeCursor(kind, text, keyCount))
        return keys;
    return tl::unexpected(invalidField(QStringLiteral("cursor"), QStringLiteral("is not a valid cursor"),
                                       QStringLiteral("invalid")));
}

} // namespace Community::Http
