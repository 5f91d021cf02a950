// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "validation.h"

#include "community/request.h"

#include <QSet>
#include <QStringList>

#include <unicode/uspoof.h>

#include <memory>

using namespace Community;

namespace Auth {

namespace {

/// One ICU spoof checker for the process: ICU allows concurrent checks and skeletons on a
/// checker that is no longer being configured.
const USpoofChecker *spoofChecker()
{
    struct Close {
        void operator()(USpoofChecker *c) const { uspoof_close(c); }
    };
    static const std::unique_ptr<USpoofChecker, Close> checker = [] {
        UErrorCode status = U_ZERO_ERROR;
        USpoofChecker *c = uspoof_open(&status);
        // Latin with one more script (Hangul, Han, ...) but not Cyrillic or Greek: the
        // level TS #39 recommends for identifiers people read.
        uspoof_setRestrictionLevel(c, USPOOF_MODERATELY_RESTRICTIVE);
        uspoof_setChecks(c, USPOOF_RESTRICTION_LEVEL, &status);
        if (U_FAILURE(status))
            qFatal("ICU spoof checker: %s", u_errorName(status));   // ICU data missing: a broken install
        return std::unique_ptr<USpoofChecker, Close>(c);
    }();
    return checker.get();
}

bool mixesScripts(const QString &name)
{
    UErrorCode status = U_ZERO_ERROR;
    const int32_t result = uspoof_check2(spoofChecker(), reinterpret_cast<const UChar *>(name.utf16()), int32_t(name.size()),
                                         nullptr, &status);
    return U_SUCCESS(status) && (result & USPOOF_RESTRICTION_LEVEL);
}

} // namespace

QString normalizeUsername(const QString &username)
{
    return username.normalized(QString::NormalizationForm_KC);
}

namespace {

/// TS #39's skeleton of `text` (NFD, confusables mapping, NFD).
QString skeleton(const QString &text)
{
    QString out(text.size() + 16, Qt::Uninitialized);
    for (int attempt = 0; attempt < 2; ++attempt) {
        UErrorCode status = U_ZERO_ERROR;
        const int32_t n = uspoof_getSkeleton(spoofChecker(), 0, reinterpret_cast<const UChar *>(text.utf16()),
                                             int32_t(text.size()), reinterpret_cast<UChar *>(out.data()),
                                             int32_t(out.size()), &status);
        if (status == U_BUFFER_OVERFLOW_ERROR) {
            out.resize(n);
            continue;
        }
        if (U_FAILURE(status))
            return text;   // not reached with valid UTF-16; the name stays comparable by itself
        out.resize(n);
        return out;
    }
    return text;
}

} // namespace

QString usernameSkeleton(const QString &username)
{
    // Folded, mapped, folded and mapped again: some prototypes are capitals (0 -> O), and
    // the key must not depend on case.
    return skeleton(skeleton(normalizeUsername(username).toCaseFolded()).toCaseFolded());
}

// Stricter than the SDK's hasControlCharacters: format characters (zero-width space, bidi
// controls) are refused too, since they make two names look alike.
static bool hasControl(const QString &s)
{
    for (QChar c : s) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format
            || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            return true;
    }
    return false;
}

bool isReservedUsername(const QString &username)
{
    static const QSet<QString> reserved = [] {
        QSet<QString> skeletons;
        for (const char *name : {"me", "search", "admin", "admins", "administrator", "operator", "system", "sysadmin",
                                 "moderator", "moderators", "mod", "mods", "support", "helpdesk", "root", "staff",
                                 "security", "help", "api", "www", "postmaster", "hostmaster", "webmaster", "abuse",
                                 "noreply", "no-reply", "null", "undefined", "nobody", "anonymous", "deleted", "official",
                                 "everyone", "auth", "login"})
            skeletons.insert(usernameSkeleton(QString::fromLatin1(name)));
        return skeletons;
    }();
    return reserved.contains(usernameSkeleton(username));
}

std::optional<FieldError> checkUsername(const QString &username)
{
    const QString f = QStringLiteral("username");
    if (hasControl(username))
        return FieldError{f, QStringLiteral("Control and format characters are not allowed."),
                          QStringLiteral("invalid_characters")};
    // Before the length rule: "me" is refused as reserved, not as too short.
    if (isReservedUsername(username))
        return FieldError{f, QStringLiteral("This name is reserved."), QStringLiteral("reserved")};
    const QList<uint> ucs = username.toUcs4();
    if (ucs.size() < 3 || ucs.size() > 32)
        return FieldError{f, QStringLiteral("Must be 3 to 32 characters."), QStringLiteral("length")};
    for (qsizetype i = 0; i < ucs.size(); ++i) {
        const char32_t c = ucs.at(i);
        const bool alnum = QChar::isLetterOrNumber(c);
        if (i == 0 && !alnum)
            return FieldError{f, QStringLiteral("Must start with a letter or digit."), QStringLiteral("invalid_start")};
        if (!alnum && c != U'_' && c != U'.' && c != U'-')
            return FieldError{f, QStringLiteral("Only letters, digits, '_', '.' and '-' are allowed."),
                              QStringLiteral("invalid_character")};
    }
    // "admin." and "admin_" would pass for "admin" in a mention or a link.
    if (!QChar::isLetterOrNumber(char32_t(ucs.last())))
        return FieldError{f, QStringLiteral("Must end with a letter or digit."), QStringLiteral("invalid_end")};
    if (mixesScripts(username))
        return FieldError{f, QStringLiteral("Must not mix scripts that look alike (such as Latin and Cyrillic)."),
                          QStringLiteral("mixed_scripts")};
    return std::nullopt;
}

std::optional<FieldError> checkEmail(const QString &email)
{
    const QString f = QStringLiteral("email");
    const qsizetype at = email.indexOf(QLatin1Char('@'));
    bool ok = email.size() <= 254 && at > 0 && at <= 64 && email.count(QLatin1Char('@')) == 1 && !hasControl(email);
    if (ok) {
        for (QChar c : email) {
            if (c.isSpace())
                ok = false;
        }
        const QString domain = email.mid(at + 1);
        const QStringList labels = domain.split(QLatin1Char('.'));
        ok = ok && labels.size() >= 2;
        for (const QString &l : labels)
            ok = ok && !l.isEmpty() && !l.startsWith(QLatin1Char('-')) && !l.endsWith(QLatin1Char('-'));
    }
    if (!ok)
        return FieldError{f, QStringLiteral("Must be a valid email address."), QStringLiteral("invalid_email")};
    return std::nullopt;
}

static const QSet<QString> &commonPasswords()
{
    static const QSet<QString> list{
        QStringLiteral("password123"), QStringLiteral("password1234"), QStringLiteral("passwordpassword"),
        QStringLiteral("1234567890"), QStringLiteral("12345678910"), QStringLiteral("0123456789"),
        QStringLiteral("qwertyuiop"), QStringLiteral("qwerty1234"), QStringLiteral("qwerty12345"),
        QStringLiteral("1q2w3e4r5t"), QStringLiteral("1qaz2wsx3edc"), QStringLiteral("iloveyou12"),
        QStringLiteral("letmein123"), QStringLiteral("welcome123"), QStringLiteral("changeme123"),
        QStringLiteral("administrator"), QStringLiteral("abcdefghij"), QStringLiteral("abc1234567"),
        QStringLiteral("football123"), QStringLiteral("baseball123"), QStringLiteral("sunshine123"),
        QStringLiteral("princess123"), QStringLiteral("superman123"), QStringLiteral("dragon1234"),
        QStringLiteral("monkey12345"), QStringLiteral("trustno1234"), QStringLiteral("passw0rd123"),
        QStringLiteral("p@ssw0rd123"), QStringLiteral("1234512345"), QStringLiteral("9876543210"),
        QStringLiteral("zxcvbnm123"), QStringLiteral("asdfghjkl1"), QStringLiteral("qazwsxedcrfv"),
        QStringLiteral("michael123"), QStringLiteral("starwars123"), QStringLiteral("whatever12"),
    };
    return list;
}

std::optional<FieldError> checkPassword(const QString &password, const QString &username, const QString &email)
{
    const QString f = QStringLiteral("password");
    const qsizetype n = Http::codePoints(password);
    if (n < 10)
        return FieldError{f, QStringLiteral("Must be at least 10 characters."), QStringLiteral("too_short")};
    if (n > 256)
        return FieldError{f, QStringLiteral("Must be at most 256 characters."), QStringLiteral("too_long")};
    const QString lower = password.toLower();
    if ((!username.isEmpty() && lower == username.toLower()) || (!email.isEmpty() && lower == email.toLower()))
        return FieldError{f, QStringLiteral("Must not equal the username or email."), QStringLiteral("same_as_identity")};
    bool allSame = true;
    for (QChar c : password)
        allSame = allSame && c == password.front();
    if (allSame || commonPasswords().contains(lower))
        return FieldError{f, QStringLiteral("This password is too common."), QStringLiteral("too_common")};
    return std::nullopt;
}

QString usernameWithSuffix(const QString &base, const QString &suffix)
{
    QList<uint> ucs = base.toUcs4();
    const qsizetype keep = qMax<qsizetype>(0, 32 - suffix.toUcs4().size());
    if (ucs.size() > keep)
        ucs.resize(keep);
    return QString::fromUcs4(reinterpret_cast<const char32_t *>(ucs.constData()), ucs.size()) + suffix;
}

QString derivedUsername(const QString &preferred, const QString &email)
{
    auto sanitize = [](const QString &in) {
        QList<uint> out;
        for (const uint c : in.toUcs4()) {
            const bool alnum = QChar::isLetterOrNumber(char32_t(c));
            if (out.isEmpty() && !alnum)
                continue;
            if (alnum || c == U'_' || c == U'.' || c == U'-')
                out.append(c);
        }
        while (!out.isEmpty() && !QChar::isLetterOrNumber(char32_t(out.last())))
            out.removeLast();
        if (out.size() > 32)
            out.resize(32);
        return QString::fromUcs4(reinterpret_cast<const char32_t *>(out.constData()), out.size());
    };
    const qsizetype at = email.indexOf(QLatin1Char('@'));
    for (const QString &candidate : {preferred, at > 0 ? email.left(at) : QString()}) {
        const QString name = sanitize(normalizeUsername(candidate));
        if (!checkUsername(name))
            return name;
    }
    return QStringLiteral("user");
}

QString preferredMailLanguage(QByteArrayView acceptLanguage)
{
    static const QStringList known{QStringLiteral("en"), QStringLiteral("ko")};
    QString best;
    double bestWeight = 0;
    const QList<QByteArray> ranges = acceptLanguage.first(std::min<qsizetype>(acceptLanguage.size(), 512)).toByteArray().split(',');
    for (const QByteArray &range : ranges) {
        const QList<QByteArray> parts = range.split(';');
        const QString tag = QString::fromLatin1(parts.first().trimmed()).toLower();
        double weight = 1;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray p = parts[i].trimmed();
            if (p.startsWith("q=") || p.startsWith("Q=")) {
                bool ok = false;
                weight = p.mid(2).toDouble(&ok);
                if (!ok || weight < 0 || weight > 1)
                    weight = 0;
            }
        }
        const QString primary = tag.section(QLatin1Char('-'), 0, 0);
        if (weight > bestWeight && known.contains(primary)) {
            best = primary;
            bestWeight = weight;
        }
    }
    return best;
}

} // namespace Auth
