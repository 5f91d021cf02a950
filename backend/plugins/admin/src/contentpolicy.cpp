// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "contentpolicy.h"

#include "queuerepository.h"
#include "rulesrepository.h"

#include "community/clock.h"
#include "community/database.h"

using namespace Community;

namespace Admin {

std::shared_ptr<const WatchedWords> ContentPolicy::words() const
{
    std::lock_guard l(m_mutex);
    return m_words;
}

Result<void> ContentPolicy::refresh()
{
    struct Loaded {
        QList<StoredRule> rules;
        QHash<qint64, QDateTime> silences;
    };
    const QDateTime now = Clock::nowUtc(QStringLiteral("admin"));
    auto loaded = m_db.read<Loaded>([&now](pqxx::nontransaction &tx) -> Result<Loaded> {
        return Loaded{RulesRepository(tx).active(), QueueRepository(tx).activeSilences(now)};
    });
    if (!loaded)
        return tl::unexpected(loaded.error());
    QList<WatchRule> rules;
    for (const StoredRule &r : std::as_const(loaded->rules))
        rules.append(r.rule);
    auto words = std::make_shared<const WatchedWords>(rules);
    std::lock_guard l(m_mutex);
    m_words = std::move(words);
    m_silences = std::move(loaded->silences);
    return {};
}

void ContentPolicy::silenced(qint64 userId, const QDateTime &until)
{
    std::lock_guard l(m_mutex);
    // Two silences: the later end holds (no end beats any end).
    const auto it = m_silences.constFind(userId);
    if (it == m_silences.cend() || (it->isValid() && (!until.isValid() || until > *it)))
        m_silences.insert(userId, until);
}

void ContentPolicy::unsilenced(qint64 userId)
{
    std::lock_guard l(m_mutex);
    m_silences.remove(userId);
}

std::optional<Error> ContentPolicy::silenceOf(qint64 userId) const
{
    QDateTime until;
    {
        std::lock_guard l(m_mutex);
        const auto it = m_silences.constFind(userId);
        if (it == m_silences.cend())
            return std::nullopt;
        until = *it;
    }
    if (until.isValid() && until <= Clock::nowUtc(QStringLiteral("admin")))
        return std::nullopt;
    Error e = forbidden(until.isValid()
                            ? QStringLiteral("You are silenced until %1 (UTC): you cannot post, comment or edit until then.")
                                  .arg(until.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                            : QStringLiteral("You are silenced: you cannot post, comment or edit."));
    e.type = QStringLiteral("silenced");
    return e;
}

std::optional<Error> ContentPolicy::check(const Contracts::WriteAttempt &attempt) const
{
    if (auto silence = silenceOf(attempt.authorId))
        return silence;
    const std::shared_ptr<const WatchedWords> rules = words();
    QList<FieldError> fields;
    for (const auto &[field, text] : attempt.fields) {
        if (rules->check(text).action == RuleAction::Block)
            fields.append({field, QStringLiteral("contains a word or phrase that is not allowed here"),
                           QStringLiteral("blocked_word")});
    }
    if (fields.isEmpty())
        return std::nullopt;
    Error e = invalidFields(fields);
    e.message = QStringLiteral("The text contains a word or phrase that is not allowed here.");
    e.type = QStringLiteral("watched-word");
    return e;
}

} // namespace Admin
