// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The runtime settings registry (docs/adr/0032-runtime-settings.md): every configuration
/// key a ConfigReader read, with its type, default, limits, description, the value in
/// force, and where that value came from (default, file, environment, flag, runtime).
/// Keys are declared by reading them: while the host parses the core's sections and calls
/// each plugin's initialize(), a SettingsRegistry::Scope makes the registry current on the
/// main thread and every ConfigReader read declares into it — there is no second list of
/// keys. A consumer that can take a new value without a restart says so with watch();
/// every other key changed at runtime is "pending" until the next start.
/// Threading: every method is thread-safe; watch callbacks run on the thread that applied
/// the change (a database worker or the event bus's broadcast thread) and must be cheap
/// and thread-safe themselves.

#include "community/result.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <map>
#include <mutex>
#include <optional>

namespace Community {

/// One key as its reader declared it.
struct SettingSpec {
    QString key;             ///< full dotted path as the reader names it ("plugins.admin.claimMinutes")
    QString type;            ///< integer, boolean, string, stringList, secret
    QJsonValue defaultValue; ///< secrets: none
    QJsonValue min, max;     ///< integers only
    QString description;
};

/// A key as the API shows it.
struct SettingState {
    SettingSpec spec;
    QJsonValue value;        ///< what the layers say now (secrets: true = set, false = unset)
    QJsonValue effective;    ///< what is in force (differs from value while pending)
    QString source;          ///< default, file, environment, flag, runtime
    QString readOnlyReason;  ///< non-empty: cannot be changed at runtime, and why
    bool live = false;       ///< a runtime change applies without restart
    bool pending = false;    ///< a runtime change waits for a restart

    QJsonObject toJson() const;
};

class SettingsRegistry {
public:
    using Apply = std::function<void(const QJsonValue &)>;

    /// Called by ConfigReader for every key it reads. The first declaration of a key wins.
    void declare(const SettingSpec &spec, const QJsonValue &effective);
    /// The consumer of `key` applies a new value without restart (call during initialize();
    /// the key must have been read already). `apply` gets the normalised value.
    Result<void> watch(const QString &key, Apply apply);

    // ---- host side ----
    /// What the layers held at startup: the file's object, the runtime layer (key → value,
    /// from the database), and the keys set by environment variables or --set flags
    /// (lower-cased key → "environment variable COMMUNITY_X__Y" / "--set flag").
    void setLayers(const QJsonObject &file, const QHash<QString, QJsonValue> &runtime,
                   const QHash<QString, QString> &overrides);
    /// Keys under `prefix` (or equal to it) cannot change at runtime, for `reason`.
    void setReadOnly(const QString &prefix, const QString &reason);

    std::optional<SettingState> state(const QString &key) const;
    QList<SettingState> states() const;
    /// The runtime layer as it stands (key as declared → value).
    QJsonObject runtimeLayer() const;

    /// Checks that `value` may be stored for `key` with the rules its reader applies at
    /// startup (same messages and codes, field named by the key); unknown and read-only
    /// keys are field errors too. Returns the value normalised (an integer as a number, a
    /// list as an array).
    Result<QJsonValue> validate(const QString &key, const QJsonValue &value) const;
    /// After the runtime layer changed in the database (here or on another node): applies
    /// the value to a live key, or marks it pending. An undefined value: the runtime value
    /// was removed (the file's value or the default comes back).
    void runtimeChanged(const QString &key, const QJsonValue &value);

    /// Makes `registry` the one ConfigReader declares into on this thread (scopes nest).
    class Scope {
    public:
        explicit Scope(SettingsRegistry *registry);
        ~Scope();
        Scope(const Scope &) = delete;
        Scope &operator=(const Scope &) = delete;
    private:
        SettingsRegistry *m_previous;
    };
    static SettingsRegistry *current();

private:
    struct Entry {
        SettingSpec spec;
        QJsonValue effective;
        QJsonValue fileValue{QJsonValue::Undefined};     ///< undefined: not in the file
        QJsonValue runtimeValue{QJsonValue::Undefined};  ///< undefined: none
        QString override;                ///< environment variable / flag that set it
        Apply apply;
    };
    static Result<QJsonValue> validate(const SettingSpec &spec, const QJsonValue &value);
    SettingState stateOf(const Entry &e) const;
    QString readOnlyReason(const Entry &e) const;
    QJsonValue configured(const Entry &e) const;

    mutable std::mutex m_mutex;
    std::map<QString, Entry> m_entries;   ///< by lower-cased key, sorted
    QJsonObject m_file;
    QHash<QString, QJsonValue> m_runtime; ///< lower-cased key → value
    QHash<QString, QString> m_overrides;
    QList<QPair<QString, QString>> m_readOnly;
};

} // namespace Community
