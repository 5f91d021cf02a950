// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "watchedwords.h"

#include <re2/re2.h>

#include <algorithm>

namespace Admin {

namespace {

// Longest first, so that "으로" is tried before "로".
const QStringList &particles()
{
    static const QStringList list = [] {
        QStringList p{QStringLiteral("에서"), QStringLiteral("에게"), QStringLiteral("한테"), QStringLiteral("까지"),
                      QStringLiteral("부터"), QStringLiteral("으로"), QStringLiteral("이랑"), QStringLiteral("이나"),
                      QStringLiteral("은"),   QStringLiteral("는"),   QStringLiteral("이"),   QStringLiteral("가"),
                      QStringLiteral("을"),   QStringLiteral("를"),   QStringLiteral("에"),   QStringLiteral("의"),
                      QStringLiteral("도"),   QStringLiteral("와"),   QStringLiteral("과"),   QStringLiteral("로"),
                      QStringLiteral("만"),   QStringLiteral("랑"),   QStringLiteral("나"),   QStringLiteral("요")};
        std::stable_sort(p.begin(), p.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
        return p;
    }();
    return list;
}

QString fold(const QString &text)
{
    return text.normalized(QString::NormalizationForm_KC).toCaseFolded();
}

bool isHangul(QChar c)
{
    return c.script() == QChar::Script_Hangul;
}

/// Whether `token` is `word` followed by one Korean particle.
bool wordWithParticle(const QString &token, const QString &word)
{
    if (!token.startsWith(word) || token.size() == word.size() || !isHangul(word.back()))
        return false;
    const QStringView rest = QStringView(token).mid(word.size());
    return std::any_of(particles().begin(), particles().end(), [&](const QString &p) { return rest == p; });
}

re2::RE2::Options regexOptions()
{
    re2::RE2::Options o;
    o.set_case_sensitive(false);
    o.set_log_errors(false);
    o.set_max_mem(1 << 20);   // a pattern whose automaton needs more is refused, not slow
    return o;
}

} // namespace

QString ruleActionName(RuleAction a)
{
    return a == RuleAction::Block ? QStringLiteral("block") : QStringLiteral("flag");
}

std::optional<RuleAction> parseRuleAction(const QString &name)
{
    if (name == QLatin1String("block"))
        return RuleAction::Block;
    if (name == QLatin1String("flag"))
        return RuleAction::Flag;
    return std::nullopt;
}

QString regexError(const QString &pattern)
{
    const re2::RE2 re(pattern.toStdString(), regexOptions());
    return re.ok() ? QString() : QString::fromStdString(re.error());
}

QStringList matchTokens(const QString &text)
{
    const QString folded = fold(text);
    QStringList out;
    QString current;
    QChar::Script script = QChar::Script_Unknown;
    auto flush = [&] {
        if (!current.isEmpty())
            out.append(current);
        current.clear();
    };
    for (qsizetype i = 0; i < folded.size(); ++i) {
        const QChar c = folded.at(i);
        if (!c.isLetterOrNumber() && !c.isMark()) {
            flush();
            continue;
        }
        const QChar::Script s = c.script();
        const bool neutral = s == QChar::Script_Common || s == QChar::Script_Inherited;
        if (!current.isEmpty() && !neutral && script != QChar::Script_Unknown && s != script)
            flush();
        if (!neutral)
            script = s;
        if (current.isEmpty() && neutral)
            script = QChar::Script_Unknown;
        current.append(c);
    }
    flush();
    return out;
}

WatchedWords::WatchedWords(const QList<WatchRule> &rules)
{
    for (const WatchRule &r : rules) {
        if (r.kind == QLatin1String("regex")) {
            auto re = std::make_unique<re2::RE2>(r.pattern.toStdString(), regexOptions());
            if (re->ok())
                m_regexes.push_back({r, std::move(re)});
        } else {
            m_words.append({r, fold(r.pattern).trimmed()});
        }
    }
}

WatchedWords::~WatchedWords() = default;

RuleMatch WatchedWords::check(const QString &text) const
{
    RuleMatch out;
    auto hit = [&](const WatchRule &r) {
        out.ruleIds.append(r.id);
        if (!out.action || int(r.action) > int(*out.action))
            out.action = r.action;
    };
    if (!m_words.isEmpty()) {
        const QStringList tokens = matchTokens(text);
        for (const Word &w : m_words) {
            const bool found = std::any_of(tokens.begin(), tokens.end(), [&](const QString &t) {
                return t == w.folded || wordWithParticle(t, w.folded);
            });
            if (found)
                hit(w.rule);
        }
    }
    const std::string utf8 = text.normalized(QString::NormalizationForm_KC).toStdString();
    for (const Regex &r : m_regexes)
        if (re2::RE2::PartialMatch(utf8, *r.re))
            hit(r.rule);
    return out;
}

} // namespace Admin
