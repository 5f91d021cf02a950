// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "multipart.h"

#include <QByteArrayView>
#include <QList>
#include <QStringDecoder>

#include <cctype>

using namespace Community;

namespace Files {

namespace {

Error malformed(const QString &field, const QString &code, const QString &message)
{
    Error e = invalidField(field, message, code);
    e.message = message;
    e.type = QStringLiteral("malformed-multipart");
    return e;
}

bool isBchar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || QByteArrayView("'()+_,-./:=? ").contains(c);
}

bool isTokenChar(char c)
{
    return c > 0x20 && c < 0x7f && !QByteArrayView("()<>@,;:\\\"/[]?={}").contains(c);
}

/// Header parameters after the first ';': key=token or key="quoted". Keys lower-cased.
/// A backslash escapes only '"' and '\' (what browsers and curl produce; a Windows path
/// sent unescaped keeps its backslashes and baseFileName() cuts it).
std::optional<QList<std::pair<QByteArray, QByteArray>>> parameters(QByteArrayView v)
{
    QList<std::pair<QByteArray, QByteArray>> out;
    qsizetype i = 0;
    auto skipSpace = [&] {
        while (i < v.size() && (v[i] == ' ' || v[i] == '\t'))
            ++i;
    };
    while (i < v.size()) {
        skipSpace();
        if (i >= v.size())
            break;
        if (v[i] != ';')
            return std::nullopt;
        ++i;
        skipSpace();
        if (i >= v.size())
            break;   // a trailing ';' is tolerated
        const qsizetype keyStart = i;
        while (i < v.size() && isTokenChar(v[i]))
            ++i;
        QByteArray key = v.sliced(keyStart, i - keyStart).toByteArray().toLower();
        skipSpace();
        if (key.isEmpty() || i >= v.size() || v[i] != '=')
            return std::nullopt;
        ++i;
        skipSpace();
        QByteArray value;
        if (i < v.size() && v[i] == '"') {
            ++i;
            bool closed = false;
            while (i < v.size()) {
                const char c = v[i++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\' && i < v.size() && (v[i] == '"' || v[i] == '\\'))
                    value.append(v[i++]);
                else
                    value.append(c);
            }
            if (!closed)
                return std::nullopt;
        } else {
            const qsizetype start = i;
            while (i < v.size() && isTokenChar(v[i]))
                ++i;
            value = v.sliced(start, i - start).toByteArray();
            if (value.isEmpty())
                return std::nullopt;
        }
        for (const auto &[k, _] : out)
            if (k == key)
                return std::nullopt;   // a parameter given twice is ambiguous
        out.append({key, value});
    }
    return out;
}

/// RFC 5987/8187 ext-value: charset'language'pct-encoded, UTF-8 or ISO-8859-1.
std::optional<QString> extValue(const QByteArray &v)
{
    const qsizetype q1 = v.indexOf('\'');
    const qsizetype q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
    if (q2 < 0)
        return std::nullopt;
    const QByteArray charset = v.left(q1).toLower();
    const QByteArray encoded = v.mid(q2 + 1);
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        if (c == '%') {
            if (i + 2 >= encoded.size() || !isxdigit(uchar(encoded[i + 1])) || !isxdigit(uchar(encoded[i + 2])))
                return std::nullopt;
            i += 2;
        } else if (!isTokenChar(c) || c == '*' || c == '\'') {
            return std::nullopt;
        }
    }
    const QByteArray bytes = QByteArray::fromPercentEncoding(encoded);
    if (charset == "utf-8") {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString s = utf8.decode(bytes);
        if (utf8.hasError())
            return std::nullopt;
        return s;
    }
    if (charset == "iso-8859-1")
        return QString::fromLatin1(bytes);
    return std::nullopt;
}

Result<MultipartPart> parseHeaders(QByteArrayView block)
{
    MultipartPart part;
    bool disposition = false;
    std::optional<QString> plain;
    std::optional<QString> extended;
    qsizetype pos = 0;
    while (pos < block.size()) {
        const qsizetype eol = block.sliced(pos).indexOf("\r\n");
        const QByteArrayView line = eol < 0 ? block.sliced(pos) : block.sliced(pos, eol);
        pos = eol < 0 ? block.size() : pos + eol + 2;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line[0] == ' ' || line[0] == '\t')
            return tl::unexpected(malformed(QStringLiteral("body"), QStringLiteral("bad_part_header"),
                                            QStringLiteral("A part has a malformed header line.")));
        for (char c : line)
            if ((uchar(c) < 0x20 && c != '\t') || c == 0x7f)
                return tl::unexpected(malformed(QStringLiteral("body"), QStringLiteral("bad_part_header"),
                                                QStringLiteral("A part header holds a control character.")));
        const QByteArray name = line.first(colon).trimmed().toByteArray().toLower();
        const QByteArrayView value = line.sliced(colon + 1);
        if (name == "content-disposition") {
            if (disposition)
                return tl::unexpected(malformed(QStringLiteral("body"), QStringLiteral("bad_part_header"),
                                                QStringLiteral("A part has two Content-Disposition headers.")));
            disposition = true;
            const QByteArrayView trimmed = value.trimmed();
            qsizetype semi = trimmed.indexOf(';');
            const QByteArray kind = (semi < 0 ? trimmed : trimmed.first(semi)).trimmed().toByteArray().toLower();
            const auto params = parameters(semi < 0 ? QByteArrayView() : trimmed.sliced(semi));
            if (kind != "form-data" || !params)
                return tl::unexpected(malformed(QStringLiteral("body"), QStringLiteral("bad_disposition"),
                                                QStringLiteral("Each part needs Content-Disposition: form-data; name=\"...\".")));
            bool named = false;
            for (const auto &[k, v] : *params) {
                if (k == "name") {
                    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
                    part.name = utf8.decode(v);
                    named = !utf8.hasError();
                } else if (k == "filename") {
                    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
                    plain = utf8.decode(v);
                    if (utf8.hasError())
                        plain = QString::fromLatin1(v);   // legacy clients send Latin-1
                } else if (k == "filename*") {
                    extended = extValue(v);
                    if (!extended)
                        return tl::unexpected(malformed(QStringLiteral("body"), QStringLiteral("bad_filename"),
                                                        QStringLiteral("filename* is not a valid RFC 5987 value.")));
                }
            }
            if (!named || part.name.isEmpty())
                return tl::unexpected(malformed(QStringLiteral("body"), QStringLiteral("bad_disposition"),
                                                QStringLiteral("Each part needs a name.")));
        } else if (name == "content-type") {
            if (!part.contentType.isEmpty())
                return tl::unexpected(malformed(QStringLiteral("body"), QStringLiteral("bad_part_header"),
                                                QStringLiteral("A part has two Content-Type headers.")));
            const QByteArrayView t = value.trimmed();
            const qsizetype semi = t.indexOf(';');
            part.contentType = (semi < 0 ? t : t.first(semi)).trimmed().toByteArray().toLower();
        }
        // Other part headers (Content-Transfer-Encoding is deprecated by RFC 7578) are ignored.
    }
    if (!disposition)
        return tl::unexpected(malformed(QStringLiteral("body"), QStringLiteral("bad_disposition"),
                                        QStringLiteral("Each part needs Content-Disposition: form-data; name=\"...\".")));
    part.filename = extended ? extended : plain;
    return part;
}

} // namespace

MultipartParser::MultipartParser(QByteArray boundary, Handlers handlers, MultipartLimits limits)
    : m_delimiter("\r\n--" + boundary), m_handlers(std::move(handlers)), m_limits(limits)
{
    // The first delimiter may open the body without a CRLF before it: pretend there was one.
    m_buf = "\r\n";
}

bool MultipartParser::fail(const QString &code, const QString &message)
{
    return failWith(malformed(QStringLiteral("body"), code, message));
}

bool MultipartParser::failWith(Error e)
{
    m_error = std::move(e);
    m_state = State::Failed;
    m_buf.clear();
    return false;
}

bool MultipartParser::feed(const char *data, qsizetype size)
{
    if (m_state == State::Failed)
        return false;
    if (m_state == State::Done)
        return true;   // the epilogue is ignored
    m_buf.append(data, size);
    while (m_state != State::Done && m_state != State::Failed) {
        const qsizetype before = m_buf.size();
        const State was = m_state;
        if (!step())
            return m_state != State::Failed;
        if (m_buf.size() == before && m_state == was)
            break;
    }
    if (m_state == State::Done)
        m_buf.clear();
    return m_state != State::Failed;
}

// One transition on the buffered input; false when more input is needed (or on failure).
bool MultipartParser::step()
{
    switch (m_state) {
    case State::Preamble: {
        const qsizetype at = m_buf.indexOf(m_delimiter);
        if (at < 0) {
            const qsizetype keep = m_delimiter.size() - 1;
            if (m_buf.size() > keep) {
                m_preamble += m_buf.size() - keep;
                m_buf.remove(0, m_buf.size() - keep);
            }
            if (m_preamble > m_limits.maxPreambleBytes)
                return fail(QStringLiteral("no_boundary"), QStringLiteral("The body does not start with the boundary."));
            return false;
        }
        m_preamble += at;
        if (m_preamble > m_limits.maxPreambleBytes)
            return fail(QStringLiteral("no_boundary"), QStringLiteral("The body does not start with the boundary."));
        m_buf.remove(0, at + m_delimiter.size());
        m_state = State::AfterDelimiter;
        return true;
    }
    case State::AfterDelimiter: {
        if (m_buf.size() < 2)
            return false;
        if (m_buf.startsWith("--")) {
            if (m_parts == 0)
                return fail(QStringLiteral("no_parts"), QStringLiteral("The body has no parts."));
            m_state = State::Done;
            return true;
        }
        qsizetype i = 0;
        while (i < m_buf.size() && (m_buf[i] == ' ' || m_buf[i] == '\t'))
            ++i;   // transport padding
        if (i > 64)
            return fail(QStringLiteral("bad_delimiter"), QStringLiteral("A boundary line is malformed."));
        if (i + 2 > m_buf.size())
            return false;
        if (m_buf[i] != '\r' || m_buf[i + 1] != '\n')
            return fail(QStringLiteral("bad_delimiter"), QStringLiteral("A boundary line is malformed."));
        m_buf.remove(0, i + 2);
        if (++m_parts > m_limits.maxParts)
            return fail(QStringLiteral("too_many_parts"), QStringLiteral("At most %1 parts.").arg(m_limits.maxParts));
        m_state = State::Headers;
        return true;
    }
    case State::Headers: {
        qsizetype end = -1;
        QByteArrayView block;
        if (m_buf.startsWith("\r\n")) {
            end = 2;
        } else {
            const qsizetype at = m_buf.indexOf("\r\n\r\n");
            if (at >= 0) {
                block = QByteArrayView(m_buf).first(at);
                end = at + 4;
            }
        }
        if (end < 0) {
            if (m_buf.size() > m_limits.maxHeaderBytes)
                return fail(QStringLiteral("headers_too_large"),
                            QStringLiteral("A part's headers exceed %1 bytes.").arg(m_limits.maxHeaderBytes));
            return false;
        }
        if (end > m_limits.maxHeaderBytes + 4)
            return fail(QStringLiteral("headers_too_large"),
                        QStringLiteral("A part's headers exceed %1 bytes.").arg(m_limits.maxHeaderBytes));
        auto part = parseHeaders(block);
        if (!part)
            return failWith(part.error());
        m_buf.remove(0, end);
        if (m_handlers.begin) {
            if (auto ok = m_handlers.begin(*part); !ok)
                return failWith(ok.error());
        }
        m_state = State::Body;
        return true;
    }
    case State::Body: {
        const qsizetype at = m_buf.indexOf(m_delimiter);
        if (at < 0) {
            // Everything but what could be the start of a delimiter is content.
            const qsizetype safe = m_buf.size() - (m_delimiter.size() - 1);
            if (safe <= 0)
                return false;
            if (m_handlers.data) {
                if (auto ok = m_handlers.data(m_buf.constData(), safe); !ok)
                    return failWith(ok.error());
            }
            m_buf.remove(0, safe);
            return false;
        }
        if (at > 0 && m_handlers.data) {
            if (auto ok = m_handlers.data(m_buf.constData(), at); !ok)
                return failWith(ok.error());
        }
        if (m_handlers.end) {
            if (auto ok = m_handlers.end(); !ok)
                return failWith(ok.error());
        }
        m_buf.remove(0, at + m_delimiter.size());
        m_state = State::AfterDelimiter;
        return true;
    }
    case State::Done:
    case State::Failed:
        return false;
    }
    return false;
}

bool MultipartParser::finish()
{
    if (m_state == State::Failed)
        return false;
    if (m_state == State::Preamble)
        return fail(QStringLiteral("no_boundary"), QStringLiteral("The body does not hold the boundary."));
    if (m_state != State::Done)
        return fail(QStringLiteral("truncated"), QStringLiteral("The body ends before the closing boundary."));
    return true;
}

std::optional<Result<QByteArray>> multipartBoundary(const QByteArray &contentType)
{
    const qsizetype semi = contentType.indexOf(';');
    const QByteArray type = (semi < 0 ? contentType : contentType.left(semi)).trimmed().toLower();
    if (type != "multipart/form-data")
        return std::nullopt;
    auto bad = [](const QString &message) -> Result<QByteArray> {
        return tl::unexpected(malformed(QStringLiteral("Content-Type"), QStringLiteral("bad_boundary"), message));
    };
    const auto params = parameters(semi < 0 ? QByteArrayView() : QByteArrayView(contentType).sliced(semi));
    if (!params)
        return bad(QStringLiteral("The Content-Type parameters are malformed."));
    QByteArray boundary;
    for (const auto &[k, v] : *params)
        if (k == "boundary")
            boundary = v;
    if (boundary.isEmpty() || boundary.size() > 70 || boundary.endsWith(' '))
        return bad(QStringLiteral("multipart/form-data needs a boundary of 1 to 70 characters."));
    for (char c : boundary)
        if (!isBchar(c))
            return bad(QStringLiteral("The boundary holds a character RFC 2046 does not allow."));
    return Result<QByteArray>(boundary);
}

QString baseFileName(const QString &name)
{
    const qsizetype cut = qMax(name.lastIndexOf(QLatin1Char('/')), name.lastIndexOf(QLatin1Char('\\')));
    return cut < 0 ? name : name.mid(cut + 1);
}

} // namespace Files
