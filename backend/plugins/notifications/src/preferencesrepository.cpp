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
    const auto r = m_tx.exec_params(kSelect, userId);
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

bool PreferencesRepository::muteThread(qint64 userId, qint64 postId)
{
    return m_tx.exec_params("INSERT INTO notifications.thread_mutes (user_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                            userId, postId).affected_rows() == 1;
}

bool PreferencesRepository::unmuteThread(qint64 userId, qint64 postId)
{
    return m_tx.exec_params("DELETE FROM notifications.thread_mutes WHERE user_id = $1 AND post_id = $2", userId, postId)
               .affected_rows() == 1;
}

bool PreferencesRepository::threadMuted(qint64 userId, qint64 postId)
{
    return !m_tx.exec_params("SELECT 1 FROM notifications.thread_mutes WHERE user_id = $1 AND post_id = $2", userId, postId)
                .empty();
}

} // namespace Notifications
