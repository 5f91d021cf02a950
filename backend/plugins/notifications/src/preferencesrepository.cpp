// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "preferencesrepository.h"

#include <QJsonDocument>

#include <pqxx/pqxx>

namespace Notifications {

namespace {

constexpr const char *kSelect = "SELECT overrides::text, time_zone, quiet_start, quiet_end, email_frequency, language "
                                "FROM notifications.preferences WHERE user_id = $1";

Preferences fromRow(const pqxx::row &r)
{
    Preferences p;
    p.stored = true;
    const QJsonObject o = QJsonDocument::fromJson(QByteArray(r[0].c_str())).object();
    for (auto k = o.begin(); k != o.end(); ++k) {
        const QJsonObject channels = k.value().toObject();
        for (auto c = channels.begin(); c != channels.end(); ++c)
            p.overrides[k.key()][c.key()] = c.value().toBool();
    }
    p.timeZone = QString::fromUtf8(r[1].c_str());
    if (!r[2].is_null() && !r[3].is_null())
        p.quiet = QuietHours{r[2].as<int>(), r[3].as<int>()};
    p.emailFrequency = QString::fromUtf8(r[4].c_str());
    p.language = QString::fromUtf8(r[5].c_str());
    return p;
}

template<typename... Args>
pqxx::result prepared(pqxx::transaction_base &tx, const char *name, const char *sql, Args &&...args)
{
    tx.conn().prepare(name, sql);   // once per connection; later calls compare the text
    return tx.exec_prepared(name, std::forward<Args>(args)...);
}

std::string overridesJson(const Switches &s)
{
    QJsonObject o;
    for (auto k = s.begin(); k != s.end(); ++k) {
        QJsonObject channels;
        for (auto c = k->begin(); c != k->end(); ++c)
            channels.insert(c.key(), c.value());
        o.insert(k.key(), channels);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

Preferences PreferencesRepository::load(qint64 userId)
{
    const auto r = prepared(m_tx, "notifications_preferences", kSelect, userId);
    return r.empty() ? Preferences{} : fromRow(r[0]);
}

Preferences PreferencesRepository::loadForUpdate(qint64 userId)
{
    m_tx.exec_params("INSERT INTO notifications.preferences (user_id) VALUES ($1) ON CONFLICT DO NOTHING", userId);
    return fromRow(m_tx.exec_params(std::string(kSelect) + " FOR UPDATE", userId)[0]);
}

void PreferencesRepository::save(qint64 userId, const Preferences &p)
{
    const std::optional<int> start = p.quiet ? std::optional<int>(p.quiet->start) : std::nullopt;
    const std::optional<int> end = p.quiet ? std::optional<int>(p.quiet->end) : std::nullopt;
    m_tx.exec_params("UPDATE notifications.preferences SET overrides = $2::jsonb, time_zone = $3, quiet_start = $4, "
                     "quiet_end = $5, email_frequency = $6, language = $7, updated_at = now() WHERE user_id = $1",
                     userId, overridesJson(p.overrides), p.timeZone.toStdString(), start, end,
                     p.emailFrequency.toStdString(), p.language.toStdString());
}

void PreferencesRepository::adoptLanguage(qint64 userId, const QString &language)
{
    m_tx.exec_params("INSERT INTO notifications.preferences (user_id, language) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                     userId, language.toStdString());
}

bool PreferencesRepository::setMute(Mute what, qint64 userId, qint64 id, bool muted)
{
    // Fixed table and column names per kind of mute; only the ids are parameters.
    const bool room = what == Mute::Room;
    const std::string table = room ? "notifications.room_mutes" : "notifications.thread_mutes";
    const std::string column = room ? "room_id" : "post_id";
    const std::string sql = muted ? "INSERT INTO " + table + " (user_id, " + column + ") VALUES ($1, $2) ON CONFLICT DO NOTHING"
                                  : "DELETE FROM " + table + " WHERE user_id = $1 AND " + column + " = $2";
    return m_tx.exec_params(sql, userId, id).affected_rows() == 1;
}

bool PreferencesRepository::muted(Mute what, qint64 userId, qint64 id)
{
    if (what == Mute::Room)
        return !prepared(m_tx, "notifications_room_muted",
                         "SELECT 1 FROM notifications.room_mutes WHERE user_id = $1 AND room_id = $2", userId, id).empty();
    return !prepared(m_tx, "notifications_thread_muted",
                     "SELECT 1 FROM notifications.thread_mutes WHERE user_id = $1 AND post_id = $2", userId, id).empty();
}

} // namespace Notifications
