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


using Community::Http::BodyReader;
using Community::Http::codePoints;
using Community::Http::Presence;
using Community::Http::TextRule;

bool hasControl(const QString &s, bool allowLineBreaks)
{
    return Community::Http::hasInvalidCharacters(s, allowLineBreaks);
}

const QRegularExpression &localeRe()
{
    // BCP-47-ish: language (2–3 letters, or 4–8 registered), then subtags of 1–8 alphanumerics.
    static const QRegularExpression re(QStringLiteral("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$"));
    return re;
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

// The text rule itself (controls, invalid Unicode, NFC, trimming, length) is BodyReader's;
// what is left here is what only this patch decides: which fields may be null.
void refuseNull(const OptionalText &t, const QString &field, const QString &message, BodyReader &body)
{
    if (t.null)
        body.addError(field, message, QStringLiteral("type"));
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

Result<ProfilePatch> validateProfilePatch(BodyReader &body)
{
    ProfilePatch p;
    QList<FieldError> errors;
    p.displayName = body.nullableText(QStringLiteral("displayName"), TextRule{kDisplayNameMax, Presence::Optional});
    refuseNull(p.displayName, QStringLiteral("displayName"), QStringLiteral("must not be null"), body);
    p.bio = body.nullableText(QStringLiteral("bio"), TextRule{kBioMax, Presence::Optional, true, true});
    refuseNull(p.bio, QStringLiteral("bio"), QStringLiteral("must not be null; use \"\" to clear"), body);
    // "" is not a URL, a locale or a zone: allowed through here so that the checks below
    // answer with their own codes.
    p.avatarUrl = body.nullableText(QStringLiteral("avatarUrl"), TextRule{kAvatarUrlMax, Presence::Optional, false, true});
    if (p.avatarUrl.present && !p.avatarUrl.null)
        checkAvatarUrl(p.avatarUrl.value, errors);
    p.locale = body.nullableText(QStringLiteral("locale"), TextRule{64, Presence::Optional, false, true});
    if (p.locale.present && !p.locale.null)
        checkLocale(p.locale.value, errors);
    p.timeZone = body.nullableText(QStringLiteral("timeZone"), TextRule{64, Presence::Optional, false, true});
    if (p.timeZone.present && !p.timeZone.null)
        checkTimeZone(p.timeZone.value, errors);
    if (body.has(QStringLiteral("settings"))) {
        const QJsonValue v = body.value(QStringLiteral("settings"));
        if (!v.isObject()) {
            errors.append(err(QStringLiteral("settings"), QStringLiteral("must be an object"), QStringLiteral("type")));
        } else {
            errors.append(validateSettings(v.toObject(), QStringLiteral("settings"), true));
            p.settings = v.toObject();
        }
    }
    for (const FieldError &e : errors)
        body.addError(e);
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return p;
}

Result<ProfilePatch> validateProfilePatch(const QJsonObject &body)
{
    BodyReader reader(body);
    return validateProfilePatch(reader);
}

Result<QString> normalizeSearchQuery(const QString &raw)
{
    const QString q = raw.normalized(QString::NormalizationForm_C).trimmed();
    const QString f = QStringLiteral("q");
    QList<FieldError> errors;
    if (q.isEmpty())
        errors.append(err(f, QStringLiteral("is required"), QStringLiteral("required")));
    else if (codePoints(q) > kSearchQueryMax)
        errors.append(err(f, QStringLiteral("must be at most %1 characters").arg(kSearchQueryMax), QStringLiteral("too_long")));
    else if (hasControl(q, false))
        errors.append(err(f, QStringLiteral("must not contain control characters or invalid Unicode"),
                          QStringLiteral("invalid_characters")));
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
