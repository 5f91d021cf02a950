// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Watched-word rules and their matcher (docs/adr/0012-admin-plugin.md).
/// - `word` rules match whole words after NFKC and case folding. Text is split at
///   non-letters/digits and where the script changes (Latin↔Hangul, …), so "spam스팸"
///   holds both words; a Hangul word followed by a Korean particle (은/는/이/가/을/를/에/
///   에서/의/도/와/과/로/으로/만/까지/부터/에게/한테/랑/이랑/이나/나/요) still matches.
/// - `regex` rules are RE2 patterns (linear time: no pattern can make a check slow),
///   case-insensitive, unanchored unless the pattern anchors itself.
/// The strongest action of the matching rules wins: block > flag.
/// A compiled WatchedWords is immutable; check() is thread-safe and does not block.

#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace re2 { class RE2; }

namespace Admin {

enum class RuleAction { Flag = 1, Block = 2 };

struct WatchRule {
    qint64 id = 0;
    QString kind;      ///< word | regex
    QString pattern;
    RuleAction action = RuleAction::Flag;
};

struct RuleMatch {
    std::optional<RuleAction> action;   ///< none: nothing matched
    QList<qint64> ruleIds;
};

QString ruleActionName(RuleAction a);
std::optional<RuleAction> parseRuleAction(const QString &name);
/// Empty when `pattern` is a valid RE2 pattern; otherwise RE2's message.
QString regexError(const QString &pattern);
/// The words of `text` as the matcher sees them (normalised, split).
QStringList matchTokens(const QString &text);

class WatchedWords {
public:
    explicit WatchedWords(const QList<WatchRule> &rules);
    ~WatchedWords();
    WatchedWords(const WatchedWords &) = delete;
    WatchedWords &operator=(const WatchedWords &) = delete;

    RuleMatch check(const QString &text) const;
    int size() const { return int(m_words.size() + m_regexes.size()); }

private:
    struct Word { WatchRule rule; QString folded; };
    struct Regex { WatchRule rule; std::unique_ptr<re2::RE2> re; };
    QList<Word> m_words;
    std::vector<Regex> m_regexes;
};

} // namespace Admin
