// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Named servers with their credentials, shared by communityctl and community-console
/// (like kubectl's contexts): a JSON file, by default $XDG_CONFIG_HOME/community/contexts.json
/// (~/.config/community/contexts.json; $COMMUNITY_CONTEXTS overrides the path):
///
///     {"current": "prod",
///      "contexts": [{"name": "prod", "server": "https://community.example:8443",
///                    "tokenFile": "/etc/community/operator.token"},
///                   {"name": "local", "server": "http://127.0.0.1:8080", "token": "..."}]}
///
/// The file holds secrets: it is written atomically with mode 0600 (its directory 0700),
/// and a file that others may read is refused rather than used. Tokens are never printed.
/// Threading: a value; one instance per thread.

#include "community/result.h"

#include <QList>
#include <QString>
#include <QUrl>

#include <optional>

namespace Community::Client {

struct Context {
    QString name;        ///< [A-Za-z0-9._-]{1,64}
    QUrl server;         ///< http(s)://host:port
    QString token;       ///< an operator token or API key (or empty)
    QString tokenFile;   ///< a file holding it instead (read when used)

    /// "token", "token file <path>" or "none": how the context authenticates, secret-free.
    QString credentialSummary() const;
};

class ContextStore {
public:
    /// $COMMUNITY_CONTEXTS, else $XDG_CONFIG_HOME/community/contexts.json, else
    /// ~/.config/community/contexts.json.
    static QString defaultPath();

    explicit ContextStore(QString path = defaultPath());

    QString path() const { return m_path; }

    /// Reads the file; a missing file is an empty store. Fails (Config) on a file that is
    /// not valid, or that group or others may read or write.
    Result<void> load();
    /// Writes the file atomically with mode 0600, creating its directory (0700).
    Result<void> save() const;

    QList<Context> contexts() const { return m_contexts; }
    std::optional<Context> find(const QString &name) const;
    QString current() const { return m_current; }

    /// Adds or replaces the context of that name (InvalidArgument on a bad name or server).
    Result<void> put(const Context &context);
    /// NotFound when there is none; the current context is unset when it is removed.
    Result<void> remove(const QString &name);
    /// NotFound when there is none.
    Result<void> use(const QString &name);

    static bool validName(const QString &name);

private:
    QString m_path;
    QString m_current;
    QList<Context> m_contexts;
};

} // namespace Community::Client
