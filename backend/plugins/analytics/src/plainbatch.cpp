// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "eventschema.h"

#include <QSet>

#include <array>

using namespace Community::Http;

namespace Analytics {

namespace {

/// A scalar as sent: a string's bytes between the quotes, or an integer's digits.
struct Token {
    enum Kind { None, String, Integer } kind = None;
    QByteArrayView text;
};

/// One pass over a batch body in the plain form that clients send (see readPlainBatch()).
/// Any step that meets something outside that form returns false; nothing is reported.
class PlainScanner {
public:
    explicit PlainScanner(QByteArrayView body) : m_p(body.data()), m_end(body.data() + body.size()) {}

    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }
    bool take(char c)
    {
        skipSpace();
        if (m_p >= m_end || *m_p != c)
            return false;
        ++m_p;
        return true;
    }
    bool peek(char c)
    {
        skipSpace();
        return m_p < m_end && *m_p == c;
    }
    bool atEnd()
    {
        skipSpace();
        return m_p == m_end;
    }

    /// "..." of printable ASCII without escapes: every such string means exactly its bytes
    /// to QJsonDocument, and passes every character rule of BodyReader.
    bool string(QByteArrayView *out)
    {
        if (!take('"'))
            return false;
        const char *start = m_p;
        while (m_p < m_end) {
            const char c = *m_p;
            if (c == '"') {
                *out = QByteArrayView(start, m_p - start);
                ++m_p;
                return true;
            }
            if (c < 0x20 || c > 0x7e || c == '\\')
                return false;
            ++m_p;
        }
        return false;
    }

    /// A string, or a non-negative integer of at most 15 digits without a leading zero
    /// (exact as a double, so QJsonValue's number is the value as written).
    bool scalar(Token *out)
    {
        if (peek('"')) {
            out->kind = Token::String;
            return string(&out->text);
        }
        const char *start = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        const qsizetype n = m_p - start;
        if (n == 0 || n > 15 || (n > 1 && *start == '0'))
            return false;
        // A fraction or an exponent continues the number: not plain.
        if (m_p < m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E'))
            return false;
        out->kind = Token::Integer;
        out->text = QByteArrayView(start, n);
        return true;
    }

private:
    const char *m_p;
    const char *m_end;
};

qint64 digits(QByteArrayView t)
{
    qint64 v = 0;
    for (char c : t)
        v = v * 10 + (c - '0');
    return v;
}

/// What BodyReader::text() gives for a plain string: ASCII is its own NFC, and the only
/// space trimmed() can meet in printable ASCII is ' '. nullopt where text() would refuse.
std::optional<QString> plainText(QByteArrayView t, int maxLength)
{
    const QByteArrayView s = t.trimmed();
    if (s.isEmpty() || s.size() > maxLength)
        return std::nullopt;
    return QString::fromLatin1(s);
}

/// BodyReader::id(): a decimal string (parseId), or a JSON integer in 1 .. 9e15.
std::optional<qint64> plainId(const Token &t)
{
    if (t.kind == Token::String)
        return parseId(QString::fromLatin1(t.text));
    const qint64 v = digits(t.text);
    if (v < 1 || v >= 9'000'000'000'000'000)
        return std::nullopt;
    return v;
}

/// BodyReader::integer() for a plain integer token.
std::optional<qint64> plainInteger(const Token &t, qint64 min, qint64 max)
{
    if (t.kind != Token::Integer)
        return std::nullopt;
    const qint64 v = digits(t.text);
    if (v < min || v > max)
        return std::nullopt;
    return v;
}

struct Prop {
    QByteArrayView key;
    Token value;
};

/// Indexes into clientEventTypes().
enum TypeIndex { PageView, PostView, Search, SearchClick, SessionStart };

/// The props of one type, as readProps() reads them (eventschema.cpp); false where it
/// would record an error, including an unknown prop or a required one missing.
bool plainProps(int type, const std::array<Prop, 3> &props, int count, RawEvent &e)
{
    bool hasResults = false;
    for (int i = 0; i < count; ++i) {
        const QByteArrayView k = props[size_t(i)].key;
        const Token &v = props[size_t(i)].value;
        std::optional<QString> text;
        std::optional<qint64> n;
        switch (type) {
        case PageView:
            if (v.kind != Token::String || !(text = plainText(v.text, 512)) || (k != "path" && k != "referrer"))
                return false;
            if (k == "path")
                e.dim = *text;
            break;
        case PostView:
            if (!(n = plainId(v)) || (k != "postId" && k != "communityId"))
                return false;
            (k == "postId" ? e.targetId : e.communityId) = *n;
            break;
        case Search:
        case SearchClick:
            if (k == "query") {
                if (v.kind != Token::String || !(text = plainText(v.text, 200)))
                    return false;
                e.dim = normaliseQuery(*text);
            } else if (type == Search && k == "results") {
                if (!(n = plainInteger(v, 0, 1'000'000'000)))
                    return false;
                e.num = *n;
                hasResults = true;
            } else if (type == SearchClick && k == "postId") {
                if (!(n = plainId(v)))
                    return false;
                e.targetId = *n;
            } else if (type == SearchClick && k == "position") {
                if (!(n = plainInteger(v, 0, 1000)))
                    return false;
                e.num = *n;
            } else {
                return false;
            }
            break;
        case SessionStart:
            if (k != "platform" || v.kind != Token::String || !(text = plainText(v.text, 32)))
                return false;
            e.dim = *text;
            break;
        default:
            return false;
        }
    }
    // Required props: an absent one leaves its default, which readProps() would report.
    switch (type) {
    case PageView: return !e.dim.isNull();
    case PostView: return e.targetId != 0;
    case Search: return !e.dim.isNull() && hasResults;
    case SearchClick: return !e.dim.isNull() && e.targetId != 0;
    default: return true;
    }
}

/// The index of a known type in clientEventTypes(); -1 for others.
int knownType(QByteArrayView t)
{
    const QStringList &types = clientEventTypes();
    for (int i = 0; i < types.size(); ++i) {
        if (QLatin1StringView(t) == types.at(i))
            return i;
    }
    return -1;
}

/// {"type": .., "id": .., "at": .., "props": {..}} in any order, each at most once.
bool plainEvent(PlainScanner &s, RawEvent &e, QByteArrayView *id)
{
    if (!s.take('{'))
        return false;
    enum : unsigned { Type = 1, Id = 2, At = 4, Props = 8 };
    unsigned seen = 0;
    int type = -1;
    QByteArrayView at;
    std::array<Prop, 3> props;
    int propCount = 0;
    do {
        QByteArrayView key;
        if (!s.string(&key) || !s.take(':'))
            return false;
        unsigned bit = 0;
        if (key == "type") {
            QByteArrayView v;
            if (!s.string(&v) || (type = knownType(v)) < 0)
                return false;
            bit = Type;
        } else if (key == "id") {
            if (!s.string(id) || id->size() > 64)
                return false;
            bit = Id;
        } else if (key == "at") {
            if (!s.string(&at) || at.size() > 40)
                return false;
            bit = At;
        } else if (key == "props") {
            if (!s.take('{'))
                return false;
            if (!s.peek('}')) {
                do {
                    if (propCount == int(props.size()))
                        return false;
                    Prop &p = props[size_t(propCount)];
                    if (!s.string(&p.key) || !s.take(':') || !s.scalar(&p.value))
                        return false;
                    for (int i = 0; i < propCount; ++i) {
                        if (props[size_t(i)].key == p.key)
                            return false;   // sent twice
                    }
                    ++propCount;
                } while (s.take(','));
            }
            if (!s.take('}'))
                return false;
            bit = Props;
        } else {
            return false;
        }
        if (seen & bit)
            return false;   // sent twice
        seen |= bit;
    } while (s.take(','));
    if (!s.take('}') || !(seen & Type) || !(seen & Id))
        return false;
    e.type = clientEventTypes().at(type);   // shared, not copied
    e.key = QString::fromLatin1(*id);
    if (!validClientId(e.key))
        return false;
    if (seen & At) {
        // The same conversion as readTime() (eventschema.cpp).
        const QDateTime t = QDateTime::fromString(QString::fromLatin1(at), Qt::ISODateWithMs);
        if (!t.isValid() || t.timeSpec() == Qt::LocalTime)
            return false;
        e.at = t.toUTC();
    }
    return plainProps(type, props, propCount, e);
}

} // namespace

std::optional<ParsedBatch> readPlainBatch(QByteArrayView body, const AnalyticsConfig &cfg, const QDateTime &now)
{
    PlainScanner s(body);
    QByteArrayView key;
    if (!s.take('{') || !s.string(&key) || key != "events" || !s.take(':') || !s.take('[') || s.peek(']'))
        return std::nullopt;
    ParsedBatch batch;
    QSet<QByteArrayView> ids;
    int count = 0;
    do {
        if (++count > cfg.maxBatchEvents)
            return std::nullopt;
        RawEvent e;
        QByteArrayView id;
        if (!plainEvent(s, e, &id))
            return std::nullopt;
        const qsizetype before = ids.size();
        ids.insert(id);
        if (ids.size() == before)
            return std::nullopt;   // the same id twice in the batch
        admitEvent(batch, std::move(e), cfg, now);
    } while (s.take(','));
    if (!s.take(']') || !s.take('}') || !s.atEnd())
        return std::nullopt;
    return batch;
}

} // namespace Analytics
