// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A user's notification preferences: per kind x channel switches (inbox, email, push,
/// sms) over sane defaults, do-not-disturb hours in the user's time zone, email frequency.
/// Validation of a PATCH body with field errors, the JSON form, and the quiet-hours clock.
/// Pure values; safe on any thread.

#include "community/request.h"
#include "community/result.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace Notifications {

namespace Channel {
inline const QString Inbox = QStringLiteral("inbox");
inline const QString Email = QStringLiteral("email");
inline const QString Push = QStringLiteral("push");
inline const QString Sms = QStringLiteral("sms");
} // namespace Channel

QStringList allChannels();
QStringList emailFrequencies();   ///< instant, daily, weekly, never

/// Whether `channel` is on for `kind` when the user never said: the inbox always; email
/// for replies, mentions and moderation; push for replies, mentions and chat messages; SMS
/// never (opt-in). Announcements: the inbox only.
bool defaultEnabled(const QString &kind, const QString &channel);

/// Minutes after local midnight; start > end spans midnight (22:00-07:00).
struct QuietHours {
    int start = 0, end = 0;
    bool operator==(const QuietHours &) const = default;
};

using Switches = QHash<QString, QHash<QString, bool>>;   ///< kind -> channel -> on

struct Preferences {
    Switches overrides;                ///< only what the user set
    QString timeZone = QStringLiteral("UTC");
    std::optional<QuietHours> quiet;
    QString emailFrequency = QStringLiteral("instant");
    QString language = QStringLiteral("en");   ///< of emails: en, ko
    bool stored = false;                       ///< read from the user's row (else defaults)

    bool enabled(const QString &kind, const QString &channel) const;
};

struct PreferencesPatch {
    Switches channels;
    std::optional<QString> timeZone;
    bool quietSet = false;             ///< quietHours was sent (null clears)
    std::optional<QuietHours> quiet;
    std::optional<QString> emailFrequency;
    std::optional<QString> language;
};

/// Reads and checks a PATCH body (every error at once, field paths like
/// "channels.reply.fax"); nothing is applied when any field is wrong.
Community::Result<PreferencesPatch> readPreferencesPatch(Community::Http::BodyReader &body);
void applyPatch(Preferences &p, const PreferencesPatch &patch);
/// The full resolved form: every kind and channel, with defaults filled in.
QJsonObject preferencesJson(const Preferences &p);

/// If `nowUtc` falls in the quiet hours (in the user's zone), when they end (UTC);
/// otherwise nullopt.
std::optional<QDateTime> quietUntil(const Preferences &p, const QDateTime &nowUtc);

/// When a digest of `p.emailFrequency` (daily, weekly: Mondays) collected at `nowUtc` goes
/// out: the next `hour`:00 in the user's zone (UTC).
QDateTime nextDigest(const Preferences &p, const QDateTime &nowUtc, int hour);

/// "HH:MM" <-> minutes; nullopt for anything else.
std::optional<int> parseClock(const QString &text);
QString clockText(int minutes);

} // namespace Notifications
