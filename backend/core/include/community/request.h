// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Reading a request, the same way in every plugin: the JSON body through BodyReader
/// (strict UTF-8, an object, no duplicate keys, no lone surrogates, typed getters that
/// collect field errors, unknown fields refused — the request-side twin of ConfigReader),
/// path ids, `limit`, opaque keyset cursors and the allowed query parameters.
///
/// The one text rule (issue 10), applied by the getters so that no plugin checks text by
/// hand: no C0/C1 control character, DEL or line/paragraph separator (multi-line fields
/// allow \n, \r and \t), no lone surrogate, and user text (`text`, `nullableText`,
/// `stringList`) normalised to NFC before its length is counted. Errors are InvalidArgument values with field
/// errors, answered as 400 problem+json (type "validation", or "malformed-json" for a
/// body that is not a JSON object). Pure values; safe on any thread.

#include "community/http.h"
#include "community/result.h"

#include <QJsonArray>
#include <QHash>
#include <QJsonObject>
#include <QLatin1StringView>
#include <QSet>
#include <QStringList>

#include <initializer_list>
#include <optional>

namespace Community::Http {

enum class Presence { Optional, Required };

/// How a text field is checked (BodyReader::text).
struct TextRule {
    int maxLength = 256;          ///< code points, after trimming
    Presence presence = Presence::Optional;
    bool multiline = false;       ///< allows \n, \r and \t (and keeps the value untrimmed)
    bool allowEmpty = false;      ///< "" (or only spaces) is accepted as an empty value
};

/// A field of a PATCH that may be cleared: absent (`present` false), JSON null (`null`), or
/// a value. A value that breaks the rule is reported and comes back as absent.
struct NullableText {
    bool present = false;
    bool null = false;
    QString value;
};

class BodyReader {
public:
    explicit BodyReader(QJsonObject object = {}) : m_object(std::move(object)) {}

    /// Parses a body: strict UTF-8, well-formed JSON, an object. An empty body is {} when
    /// `allowEmpty`. Errors carry field "body": invalid_utf8 (problem type "validation"),
    /// malformed_json and type (problem type "malformed-json"). Then, problem type
    /// "validation" naming the key's path (`a`, `a.b`, `a[2].b`): duplicate_key for a key
    /// sent twice in one object (QJsonDocument would silently keep the last), and
    /// invalid_characters for a \uD800-style escape that is not half of a surrogate pair
    /// (QJsonDocument keeps it in the QString, and toUtf8() later turns it into '?').
    static Result<BodyReader> parse(const QByteArray &body, bool allowEmpty = false);

    /// A string as sent (no trimming, no normalisation): secrets, tokens, codes. Control
    /// characters other than \n, \r and \t, and lone surrogates: invalid_characters.
    /// Over `maxLength` code points: too_long. Absent or null: nullopt (required: an error).
    std::optional<QString> string(const QString &field, Presence presence, int maxLength);
    /// User text: NFC, trimmed (single-line), no control characters (invalid_characters),
    /// not empty unless allowed (required), at most rule.maxLength code points (too_long).
    std::optional<QString> text(const QString &field, const TextRule &rule);
    /// text() for a PATCH: JSON null is reported as `null` (the caller decides whether
    /// clearing is allowed); absent is not present (required: an error).
    NullableText nullableText(const QString &field, const TextRule &rule);
    /// A JSON integer, written as one: `10.0` and `1e1` are refused (type) even though
    /// they equal 10. Outside min..max: out_of_range.
    std::optional<qint64> integer(const QString &field, Presence presence, qint64 min, qint64 max);
    std::optional<bool> boolean(const QString &field, Presence presence);
    /// An id sent as a decimal string ("42") or a JSON integer (not `42.0`, not `4.2e1`);
    /// positive.
    std::optional<qint64> id(const QString &field, Presence presence);
    /// An array of 1..maxLength-character printable strings (NFC), at most maxItems.
    std::optional<QStringList> stringList(const QString &field, Presence presence, int maxItems, int maxLength);
    std::optional<QJsonObject> object(const QString &field, Presence presence);
    std::optional<QJsonArray> array(const QString &field, Presence presence);
    /// The raw value (undefined when absent); marks the field known.
    QJsonValue value(const QString &field);
    /// Whether the field is present (even null); marks it known.
    bool has(const QString &field);
    /// Marks a field as known without reading it.
    void accept(const QString &field) { m_known.insert(field); }

    void addError(const QString &field, const QString &message, const QString &code);
    void addError(const FieldError &error) { m_errors.append(error); }
    bool hasError(const QString &field) const;
    bool hasErrors() const { return !m_errors.isEmpty(); }

    /// Every error so far plus one unknown_field error per field never read.
    Result<void> finish();

    const QJsonObject &json() const { return m_object; }

private:
    /// The value, or nullopt (with a `required` error when required) when absent or null.
    std::optional<QJsonValue> present(const QString &field, Presence presence);
    /// The field's number token as sent, when parse() saw one (empty otherwise).
    QByteArray numberToken(const QString &field) const { return m_numbers.value(field); }
    QJsonObject m_object;
    QHash<QString, QByteArray> m_numbers;   ///< top-level number tokens, as sent
    QSet<QString> m_known;
    QList<FieldError> m_errors;
};

/// Parses the request body (BodyReader::parse); on failure answers the 400 itself and
/// returns nullopt.
std::optional<BodyReader> readBody(const HttpRequest &request, const Responder &responder, bool allowEmpty = false);

/// Number of Unicode code points (a surrogate pair counts once).
qsizetype codePoints(QStringView s);
/// Whether `s` holds a C0/C1 control character, DEL, or a line/paragraph separator; with
/// `multiline`, \n, \r and \t are allowed.
bool hasControlCharacters(QStringView s, bool multiline);
/// Whether `s` breaks the text rule: a control character (as hasControlCharacters) or a
/// lone surrogate. What every getter of BodyReader refuses as invalid_characters.
bool hasInvalidCharacters(QStringView s, bool multiline);

/// A path id ("42"): a positive 64-bit decimal, nothing else.
std::optional<qint64> parseId(QStringView text);
/// A path parameter as an id; NotFound ("No such <what>.") otherwise, so that a bad id
/// and a missing row look alike.
Result<qint64> pathId(const HttpRequest &request, const QString &param, const QString &what);

/// A `limit` query value: empty = `def`; InvalidArgument (field "limit", code
/// "out_of_range") unless an integer in 1..max.
Result<int> parseLimit(const QString &raw, int def, int max);
/// parseLimit on the request's `limit` query parameter.
Result<int> queryLimit(const HttpRequest &request, int def, int max);

/// A query parameter, fully decoded (empty when absent).
QString queryValue(const HttpRequest &request, const QString &name);
/// InvalidArgument (code "unknown_parameter") for every query parameter not in `allowed`.
Result<void> checkQuery(const HttpRequest &request, const QStringList &allowed);

/// Opaque keyset cursors: base64url of "<kind>:<k1>,<k2>,...". A cursor of another kind
/// or with another key count is refused (nullopt). Doubles travel as their bit pattern.
QString encodeCursor(QLatin1StringView kind, std::initializer_list<qint64> keys);
QString encodeCursor(QLatin1StringView kind, const QList<qint64> &keys);
std::optional<QList<qint64>> decodeCursor(QLatin1StringView kind, const QString &text, int keyCount);
/// The request's `cursor` query parameter decoded; absent = nullopt inside the result;
/// a bad cursor is InvalidArgument (field "cursor", code "invalid").
Result<std::optional<QList<qint64>>> queryCursor(const HttpRequest &request, QLatin1StringView kind, int keyCount);

} // namespace Community::Http
