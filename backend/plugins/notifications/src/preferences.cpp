// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "preferences.h"

#include "projector.h"

#include <QRegularExpression>
#include <QTimeZone>

using Community::FieldError;

namespace Notifications {

namespace {

void readSwitches(const QJsonObject &channels, Switches &out, QList<FieldError> &errors)
{
    const QStringList kinds = allKinds(), names = allChannels();
    for (auto k = channels.begin(); k != channels.end(); ++k) {
        const QString path = QStringLiteral("channels.") + k.key();
        if (!kinds.contains(k.key())) {
            errors.append({path, QStringLiteral("is not a notification kind"), QStringLiteral("unknown_field")});
            continue;
        }
        if (!k.value().isObject()) {
            errors.append({path, QStringLiteral("must be an object of channel: true/false"), QStringLiteral("type")});
            continue;
        }
        const QJsonObject perChannel = k.value().toObject();
        for (auto c = perChannel.begin(); c != perChannel.end(); ++c) {
            const QString cpath = path + QLatin1Char('.') + c.key();
            if (!names.contains(c.key()))
                errors.append({cpath, QStringLiteral("is not a channel (inbox, email, push, sms)"), QStringLiteral("unknown_field")});
            else if (!c.value().isBool())
                errors.append({cpath, QStringLiteral("must be true or false"), QStringLiteral("type")});
            else
                out[k.key()][c.key()] = c.value().toBool();
        }
    }
}

std::optional<QuietHours> readQuiet(const QJsonValue &v, QList<FieldError> &errors)
{
    if (!v.isObject()) {
        errors.append({QStringLiteral("quietHours"), QStringLiteral("must be {\"start\": \"HH:MM\", \"end\": \"HH:MM\"} or null"),
                       QStringLiteral("type")});
        return std::nullopt;
    }
    const QJsonObject o = v.toObject();
    for (const QString &key : o.keys())
        if (key != QLatin1String("start") && key != QLatin1String("end"))
            errors.append({QStringLiteral("quietHours.") + key, QStringLiteral("unknown field"), QStringLiteral("unknown_field")});
    QuietHours q;
    bool ok = true;
    for (auto [key, target] : {std::pair{QStringLiteral("start"), &q.start}, std::pair{QStringLiteral("end"), &q.end}}) {
        const auto minutes = parseClock(o.value(key).toString());
        if (!minutes) {
            errors.append({QStringLiteral("quietHours.") + key, QStringLiteral("must be a time HH:MM (00:00-23:59)"),
                           QStringLiteral("invalid_format")});
            ok = false;
        } else {
            *target = *minutes;
        }
    }
    if (ok && q.start == q.end)
        errors.append({QStringLiteral("quietHours.end"), QStringLiteral("must differ from start"), QStringLiteral("out_of_range")});
    return ok ? std::optional<QuietHours>(q) : std::nullopt;
}

bool inQuiet(const QuietHours &q, int minute)
{
    return q.start < q.end ? minute >= q.start && minute < q.end : minute >= q.start || minute < q.end;
}

} // namespace

QStringList allChannels()
{
    return {Channel::Inbox, Channel::Email, Channel::Push, Channel::Sms};
}

QStringList emailFrequencies()
{
    return {QStringLiteral("instant"), QStringLiteral("daily"), QStringLiteral("weekly"), QStringLiteral("never")};
}

bool defaultEnabled(const QString &kind, const QString &channel)
{
    if (channel == Channel::Inbox)
        return true;
    if (channel == Channel::Email)
        return kind == Kind::Reply || kind == Kind::Mention || kind == Kind::ReportOutcome || kind == Kind::Moderation;
    if (channel == Channel::Push)
        return kind == Kind::Reply || kind == Kind::Mention || kind == Kind::ChatMessage;
    return false;
}

bool Preferences::enabled(const QString &kind, const QString &channel) const
{
    const auto k = overrides.constFind(kind);
    if (k != overrides.constEnd()) {
        const auto c = k->constFind(channel);
        if (c != k->constEnd())
            return *c;
    }
    return defaultEnabled(kind, channel);
}

Community::Result<PreferencesPatch> readPreferencesPatch(Community::Http::BodyReader &body)
{
    PreferencesPatch patch;
    QList<FieldError> errors;
    if (const auto channels = body.object(QStringLiteral("channels"), Community::Http::Presence::Optional))
        readSwitches(*channels, patch.channels, errors);
    if (const auto tz = body.string(QStringLiteral("timeZone"), Community::Http::Presence::Optional, 64)) {
        if (!QTimeZone::isTimeZoneIdAvailable(tz->toUtf8()))
            errors.append({QStringLiteral("timeZone"), QStringLiteral("must be an IANA time zone such as Asia/Seoul"),
                           QStringLiteral("invalid_time_zone")});
        patch.timeZone = *tz;
    }
    if (body.has(QStringLiteral("quietHours"))) {
        patch.quietSet = true;
        const QJsonValue v = body.value(QStringLiteral("quietHours"));
        if (!v.isNull())
            patch.quiet = readQuiet(v, errors);
    }
    if (const auto f = body.string(QStringLiteral("emailFrequency"), Community::Http::Presence::Optional, 16)) {
        if (!emailFrequencies().contains(*f))
            errors.append({QStringLiteral("emailFrequency"), QStringLiteral("must be instant, daily, weekly or never"),
                           QStringLiteral("invalid_choice")});
        patch.emailFrequency = *f;
    }
    if (const auto l = body.string(QStringLiteral("language"), Community::Http::Presence::Optional, 8)) {
        if (!QStringList{QStringLiteral("en"), QStringLiteral("ko")}.contains(*l))
            errors.append({QStringLiteral("language"), QStringLiteral("must be en or ko"), QStringLiteral("invalid_choice")});
        patch.language = *l;
    }
    for (const FieldError &e : errors)
        body.addError(e);
    if (auto r = body.finish(); !r)
        return tl::unexpected(r.error());
    return patch;
}

void applyPatch(Preferences &p, const PreferencesPatch &patch)
{
    for (auto k = patch.channels.begin(); k != patch.channels.end(); ++k)
        for (auto c = k->begin(); c != k->end(); ++c)
            p.overrides[k.key()][c.key()] = c.value();
    if (patch.timeZone)
        p.timeZone = *patch.timeZone;
    if (patch.quietSet)
        p.quiet = patch.quiet;
    if (patch.emailFrequency)
        p.emailFrequency = *patch.emailFrequency;
    if (patch.language)
        p.language = *patch.language;
}

QJsonObject preferencesJson(const Preferences &p)
{
    QJsonObject channels;
    for (const QString &kind : allKinds()) {
        QJsonObject perChannel;
        for (const QString &channel : allChannels())
            perChannel.insert(channel, p.enabled(kind, channel));
        channels.insert(kind, perChannel);
    }
    const QJsonValue quiet = p.quiet ? QJsonValue(QJsonObject{{QStringLiteral("start"), clockText(p.quiet->start)},
                                                              {QStringLiteral("end"), clockText(p.quiet->end)}})
                                     : QJsonValue();
    return QJsonObject{{QStringLiteral("channels"), channels}, {QStringLiteral("timeZone"), p.timeZone},
                       {QStringLiteral("quietHours"), quiet}, {QStringLiteral("emailFrequency"), p.emailFrequency},
                       {QStringLiteral("language"), p.language}};
}

std::optional<QDateTime> quietUntil(const Preferences &p, const QDateTime &nowUtc)
{
    if (!p.quiet)
        return std::nullopt;
    const QTimeZone zone(p.timeZone.toUtf8());
    const QDateTime local = nowUtc.toTimeZone(zone.isValid() ? zone : QTimeZone::utc());
    const int minute = local.time().hour() * 60 + local.time().minute();
    if (!inQuiet(*p.quiet, minute))
        return std::nullopt;
    // The end falls today, or tomorrow when the window spans midnight and we are before it.
    QDate day = local.date();
    if (p.quiet->start > p.quiet->end && minute >= p.quiet->start)
        day = day.addDays(1);
    const QDateTime end(day, QTime(p.quiet->end / 60, p.quiet->end % 60), local.timeZone());
    return end.toUTC();
}

QDateTime nextDigest(const Preferences &p, const QDateTime &nowUtc, int hour)
{
    const QTimeZone zone(p.timeZone.toUtf8());
    const QDateTime local = nowUtc.toTimeZone(zone.isValid() ? zone : QTimeZone::utc());
    QDateTime at(local.date(), QTime(hour, 0), local.timeZone());
    if (at <= local)
        at = at.addDays(1);
    if (p.emailFrequency == QLatin1String("weekly"))
        while (at.date().dayOfWeek() != Qt::Monday)
            at = at.addDays(1);
    return at.toUTC();
}

std::optional<int> parseClock(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^([01][0-9]|2[0-3]):([0-5][0-9])$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1).toInt() * 60 + m.captured(2).toInt();
}

QString clockText(int minutes)
{
    return QStringLiteral("%1:%2").arg(minutes / 60, 2, 10, QLatin1Char('0')).arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

} // namespace Notifications
