// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "validation.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QStringDecoder>
#include <QTimeZone>
#include <QUrl>

using Community::ErrorCode;
using Community::FieldError;
using Community::Result;

namespace Users {

namespace {

FieldError err(const QString &field, const QString &message, const QString &code)
{
    return FieldError{field, message, code};
}


using Community::Http::codePoints;

bool hasControl(const QString &s, bool allowLineBreaks)
{
    return Community::Http::hasControlCharacters(s, allowLineBreaks);
}

const QRegularExpression &localeRe()
{
    // BCP-47-ish: language (2–3 letters, or 4–8 registered), then subtags of 1–8 alphanumerics.
    static const QRegularExpression re(QStringLiteral("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"));
    return re;
}

/// Common checks for a text value; appends errors and returns the string if it is one.
std::optional<QString> textValue(const QJsonValue &v, const QString &field, QList<FieldError> &errors)
{
    if (!v.isString()) {
        errors.append(err(field, QStringLiteral("must be a string"), QStringLiteral("type")));
        return std::nullopt;
    }
    const QString s = v.toString();
    if (!QStringView(s).isValidUtf16()) {
        errors.append(err(field, QStringLiteral("contains invalid Unicode"), QStringLiteral("invalid_unicode")));
        return std::nullopt;
    }
    return s;
}

OptionalText nullableText(const QJsonObject &body, const QString &key, QList<FieldError> &errors)
{
    OptionalText t;
    if (!body.contains(key))
        return t;
    t.present = true;
    const QJsonValue v = body.value(key);
    if (v.isNull()) {
        t.null = true;
        return t;
    }
    if (auto s = textValue(v, key, errors))
        t.value = *s;
    else
        t.present = false;   // already reported; skip the value checks
    return t;
}

enum class SettingType { Bool, String, Enum };
struct SettingSpec {
    SettingType type;
    QStringList allowed;   ///< for Enum
    int maxLength = 0;     ///< for String
};

const QHash<QString, SettingSpec> &settingSpecs()
{
    static const QHash<QString, SettingSpec> specs{
        {QStringLiteral("emailNotifications"), {SettingType::Bool, {}}},
        {QStringLiteral("pushNotifications"), {SettingType::Bool, {}}},
        {QStringLiteral("showFollowers"), {SettingType::Bool, {}}},
        {QStringLiteral("theme"), {SettingType::Enum, {QStringLiteral("light"), QStringLiteral("dark"), QStringLiteral("system")}}},
        {QStringLiteral("language"), {SettingType::String, {}, 35}},
    };
    return specs;
}

} // namespace

QList<FieldError> validateSettings(const QJsonObject &settings, const QString &prefix, bool allowNull)
{
    QList<FieldError> errors;
    const auto &specs = settingSpecs();
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        const QString field = prefix + QLatin1Char('.') + it.key();
        const auto spec = specs.constFind(it.key());
        if (spec == specs.constEnd()) {
            errors.append(err(field, QStringLiteral("unknown setting"), QStringLiteral("unknown_field")));
            continue;
        }
        const QJsonValue v = it.value();
        if (v.isNull()) {
            if (!allowNull)
                errors.append(err(field, QStringLiteral("must not be null"), QStringLiteral("type")));
            continue;
        }
        switch (spec->type) {
        case SettingType::Bool:
            if (!v.isBool())
                errors.append(err(field, QStringLiteral("must be a boolean"), QStringLiteral("type")));
            break;
        case SettingType::Enum:
            if (!v.isString())
                errors.append(err(field, QStringLiteral("must be a string"), QStringLiteral("type")));
            else if (!spec->allowed.contains(v.toString()))
                errors.append(err(field, QStringLiteral("must be one of: %1").arg(spec->allowed.join(QStringLiteral(", "))),
                                  QStringLiteral("invalid_choice")));
            break;
        case SettingType::String:
            if (!v.isString())
                errors.append(err(field, QStringLiteral("must be a string"), QStringLiteral("type")));
            else if (v.toString().size() > spec->maxLength)
                errors.append(err(field, QStringLiteral("must be at most %1 characters").arg(spec->maxLength),
                                  QStringLiteral("too_long")));
            else if (!localeRe().match(v.toString()).hasMatch())
                errors.append(err(field, QStringLiteral("must be a language tag such as en or ko-KR"),
                                  QStringLiteral("invalid_format")));
            break;
        }
    }
    return errors;
}

namespace {

void checkDisplayName(OptionalText &t, QList<FieldError> &errors)
{
    const QString f = QStringLiteral("displayName");
    const QString &s = t.value;
    if (t.null)
        errors.append(err(f, QStringLiteral("must not be null"), QStringLiteral("type")));
    else if (s.trimmed().isEmpty())
        errors.append(err(f, QStringLiteral("must not be empty"), QStringLiteral("required")));
    else if (codePoints(s) > kDisplayNameMax)
        errors.append(err(f, QStringLiteral("must be at most %1 characters").arg(kDisplayNameMax), QStringLiteral("too_long")));
    else if (hasControl(s, false))
        errors.append(err(f, QStringLiteral("must not contain control characters"), QStringLiteral("control_characters")));
    t.value = s.trimmed();
}

void checkBio(const OptionalText &t, QList<FieldError> &errors)
{
    const QString f = QStringLiteral("bio");
    if (t.null)
        errors.append(err(f, QStringLiteral("must not be null; use \"\" to clear"), QStringLiteral("type")));
    else if (codePoints(t.value) > kBioMax)
        errors.append(err(f, QStringLiteral("must be at most %1 characters").arg(kBioMax), QStringLiteral("too_long")));
    else if (hasControl(t.value, true))
        errors.append(err(f, QStringLiteral("must not contain control characters"), QStringLiteral("control_characters")));
}

void checkAvatarUrl(const QString &s, QList<FieldError> &errors)
{
    const QString f = QStringLiteral("avatarUrl");
    const QUrl url(s, QUrl::StrictMode);
    if (s.size() > kAvatarUrlMax)
        errors.append(err(f, QStringLiteral("must be at most %1 characters").arg(kAvatarUrlMax), QStringLiteral("too_long")));
    else if (hasControl(s, false) || s.contains(QLatin1Char(' ')) || !url.isValid()
             || url.scheme() != QLatin1String("https") || url.host().isEmpty() || !url.userInfo().isEmpty())
        errors.append(err(f, QStringLiteral("must be an https URL"), QStringLiteral("invalid_url")));
}

void checkLocale(const QString &s, QList<FieldError> &errors)
{
    if (s.size() > 35 || !localeRe().match(s).hasMatch())
        errors.append(err(QStringLiteral("locale"), QStringLiteral("must be a language tag such as en or ko-KR"),
                          QStringLiteral("invalid_format")));
}

void checkTimeZone(const QString &s, QList<FieldError> &errors)
{
    if (s.size() > 64 || hasControl(s, false) || !QTimeZone::isTimeZoneIdAvailable(s.toUtf8()))
        errors.append(err(QStringLiteral("timeZone"), QStringLiteral("must be an IANA time zone such as Asia/Seoul"),
                          QStringLiteral("invalid_time_zone")));
}

} // namespace

Result<ProfilePatch> validateProfilePatch(const QJsonObject &body)
{
    static const QSet<QString> known{QStringLiteral("displayName"), QStringLiteral("bio"),
                                     QStringLiteral("avatarUrl"), QStringLiteral("locale"),
                                     QStringLiteral("timeZone"), QStringLiteral("settings")};
    QList<FieldError> errors;
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!known.contains(it.key()))
            errors.append(err(it.key(), QStringLiteral("unknown field"), QStringLiteral("unknown_field")));
    }
    ProfilePatch p;
    p.displayName = nullableText(body, QStringLiteral("displayName"), errors);
    if (p.displayName.present)
        checkDisplayName(p.displayName, errors);
    p.bio = nullableText(body, QStringLiteral("bio"), errors);
    if (p.bio.present)
        checkBio(p.bio, errors);
    p.avatarUrl = nullableText(body, QStringLiteral("avatarUrl"), errors);
    if (p.avatarUrl.present && !p.avatarUrl.null)
        checkAvatarUrl(p.avatarUrl.value, errors);
    p.locale = nullableText(body, QStringLiteral("locale"), errors);
    if (p.locale.present && !p.locale.null)
        checkLocale(p.locale.value, errors);
    p.timeZone = nullableText(body, QStringLiteral("timeZone"), errors);
    if (p.timeZone.present && !p.timeZone.null)
        checkTimeZone(p.timeZone.value, errors);
    if (body.contains(QStringLiteral("settings"))) {
        const QJsonValue v = body.value(QStringLiteral("settings"));
        if (!v.isObject()) {
            errors.append(err(QStringLiteral("settings"), QStringLiteral("must be an object"), QStringLiteral("type")));
        } else {
            errors.append(validateSettings(v.toObject(), QStringLiteral("settings"), true));
            p.settings = v.toObject();
        }
    }
    if (!errors.isEmpty())
        return tl::unexpected(Community::invalidFields(std::move(errors)));
    return p;
}

Result<QString> normalizeSearchQuery(const QString &raw)
{
    const QString q = raw.trimmed();
    const QString f = QStringLiteral("q");
    QList<FieldError> errors;
    if (q.isEmpty())
        errors.append(err(f, QStringLiteral("is required"), QStringLiteral("required")));
    else if (codePoints(q) > kSearchQueryMax)
        errors.append(err(f, QStringLiteral("must be at most %1 characters").arg(kSearchQueryMax), QStringLiteral("too_long")));
    else if (!QStringView(q).isValidUtf16() || hasControl(q, false))
        errors.append(err(f, QStringLiteral("must not contain control characters"), QStringLiteral("control_characters")));
    else if (std::none_of(q.begin(), q.end(), [](QChar c) { return c.isLetterOrNumber(); }))
        errors.append(err(f, QStringLiteral("must contain a letter or digit"), QStringLiteral("no_searchable_characters")));
    if (!errors.isEmpty())
        return tl::unexpected(Community::invalidFields(std::move(errors)));
    return q.toLower();
}


QString escapeLike(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('%') || c == QLatin1Char('_'))
            out.append(QLatin1Char('\\'));
        out.append(c);
    }
    return out;
}

} // namespace Users
