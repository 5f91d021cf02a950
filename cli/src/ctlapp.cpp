// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "ctlapp.h"

#include "apiclient.h"
#include "commands.h"

#include <CLI/CLI.hpp>

#include <QFile>
#include <QUrl>

#include <chrono>
#include <cmath>
#include <iostream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <unistd.h>

namespace Community::Ctl {

namespace {

struct GlobalOptions
{
    std::string server = "http://127.0.0.1:8080";
    std::string token;
    std::string tokenFile;
    std::string output = "table";
    double timeoutSeconds = 10;
};

enum class Command {
    Status,
    PluginsList,
    MigrateStatus,
    MigrateUp,
    UsersCreate,
    UsersList,
    UsersShow,
    UsersSetRole,
    UsersSuspend,
    UsersUnsuspend,
    UsersResetPassword,
    UsersDisableTwoFactor,
    KeysCreate,
    KeysList,
    KeysRevoke,
    AuthOutbox,
    EventsTail,
    EventsConsumers,
    EventsReplay,
    EventsRetryDead,
    SearchStats,
    SearchStatus,
    SearchReindex,
};

/// Everything the admin subcommands collect; only the fields of the chosen one matter.
struct AdminOptions
{
    std::string username;
    std::string email;
    std::string role;
    bool passwordStdin = false;
    std::string reason;
    std::string query;
    int limit = 0;
    std::string cursor;
    bool all = false;
    std::string keyName;
    std::vector<std::string> scopes;
    std::string keyId;
    long long after = 0;
    bool yes = false;
};

/// What the events subcommands collect.
struct EventOptions
{
    long long after = -1;
    int limit = 0;
    bool follow = false;
    std::string consumer;
    long long fromId = 0;
    bool yes = false;
};

/// What the search subcommands collect.
struct SearchOptions
{
    int days = 0;
    int limit = 0;
    bool wait = false;
    double timeoutSeconds = 600;
    bool yes = false;
};

const std::vector<std::string> kRoles{"user", "moderator", "admin"};

/// --dry-run and --yes on a destructive subcommand.
void addSafetyFlags(CLI::App *sub, bool &dryRun, bool &yes)
{
    sub->add_flag("--dry-run", dryRun, "Only show what would change (fetches the current state)");
    sub->add_flag("-y,--yes", yes, "Do not ask for confirmation");
}

/// The first line of stdin without its line break (a password piped in).
std::optional<QString> readSecretLine(std::istream &in)
{
    std::string line;
    if (!std::getline(in, line))
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return QString::fromStdString(line);
}

bool readToken(const std::string &path, QString &token, QString &error)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) {
        error = file.errorString();
        return false;
    }
    token = QString::fromUtf8(file.readAll()).trimmed();
    if (token.isEmpty()) {
        error = QStringLiteral("file is empty");
        return false;
    }
    return true;
}

int usageError(std::ostream &err, const QString &message)
{
    err << "communityctl: " << message.toStdString() << '\n';
    return ExitUsage;
}

} // namespace

int runCtl(int argc, const char *const *argv, std::ostream &out, std::ostream &err)
{
    return runCtl(argc, argv, out, err, std::cin, isatty(STDIN_FILENO) == 1);
}

int runCtl(int argc, const char *const *argv, std::ostream &out, std::ostream &err,
           std::istream &in, bool stdinIsTerminal)
{
    CLI::App app{"Operate a communityd node through its API.", "communityctl"};
    app.set_version_flag("--version", std::string(COMMUNITY_VERSION));
    // Global options are accepted after the subcommand too ("status -o json").
    app.fallthrough();
    app.require_subcommand(1);

    GlobalOptions opts;
    app.add_option("--server", opts.server, "Base URL of the node")
        ->envname("COMMUNITY_SERVER")
        ->capture_default_str();
    app.add_option("--token", opts.token, "Operator token")->envname("COMMUNITY_TOKEN");
    app.add_option("--token-file", opts.tokenFile,
                   "File holding the operator token (e.g. <data-dir>/operator.token)")
        ->envname("COMMUNITY_TOKEN_FILE");
    app.add_option("-o,--output", opts.output, "Output format")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    app.add_option("--timeout", opts.timeoutSeconds, "Per-request timeout in seconds")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();

    Command command = Command::Status;
    bool dryRun = false;

    auto *status = app.add_subcommand("status", "Health, readiness, version and plugins");
    status->callback([&] { command = Command::Status; });

    auto *plugins = app.add_subcommand("plugins", "Plugins of the node");
    plugins->require_subcommand(1);
    plugins->add_subcommand("list", "List plugins with version, state and dependencies")
        ->callback([&] { command = Command::PluginsList; });

    auto *migrate = app.add_subcommand("migrate", "Database migrations");
    migrate->require_subcommand(1);
    migrate->add_subcommand("status", "List migrations and whether they are applied")
        ->callback([&] { command = Command::MigrateStatus; });
    auto *up = migrate->add_subcommand("up", "Apply pending migrations");
    up->add_flag("--dry-run", dryRun, "Only show what would be applied");
    up->callback([&] { command = Command::MigrateUp; });

    AdminOptions admin;
    auto *users = app.add_subcommand("users", "User accounts (auth plugin)");
    users->require_subcommand(1);

    auto *create = users->add_subcommand("create", "Create an account (must change its password at first login)");
    create->add_option("username", admin.username, "Username")->required();
    create->add_option("--email", admin.email, "Email address")->required();
    create->add_flag("--password-stdin", admin.passwordStdin,
                     "Read the initial password from the first line of stdin (default: generated and printed once)");
    create->add_option("--role", admin.role, "Role (default user)")->check(CLI::IsMember(kRoles));
    create->callback([&] { command = Command::UsersCreate; });

    auto *list = users->add_subcommand("list", "List accounts by id");
    list->add_option("--query", admin.query, "Prefix of username or email (case-insensitive)");
    list->add_option("--limit", admin.limit, "Users per page (1-100)")->check(CLI::Range(1, 100));
    list->add_option("--cursor", admin.cursor, "Continue after this cursor (from a previous page)");
    list->add_flag("--all", admin.all, "Follow the cursors and list every match");
    list->callback([&] { command = Command::UsersList; });

    auto *show = users->add_subcommand("show", "Show one account");
    show->add_option("username", admin.username, "Username")->required();
    show->callback([&] { command = Command::UsersShow; });

    auto *setRole = users->add_subcommand("set-role", "Change the role of an account");
    setRole->add_option("username", admin.username, "Username")->required();
    setRole->add_option("role", admin.role, "user, moderator or admin")
        ->required()
        ->check(CLI::IsMember(kRoles));
    addSafetyFlags(setRole, dryRun, admin.yes);
    setRole->callback([&] { command = Command::UsersSetRole; });

    auto *suspend = users->add_subcommand("suspend", "Suspend an account (it can no longer sign in)");
    suspend->add_option("username", admin.username, "Username")->required();
    suspend->add_option("--reason", admin.reason, "Why (stored with the account)");
    addSafetyFlags(suspend, dryRun, admin.yes);
    suspend->callback([&] { command = Command::UsersSuspend; });

    auto *unsuspend = users->add_subcommand("unsuspend", "Make a suspended account active again");
    unsuspend->add_option("username", admin.username, "Username")->required();
    addSafetyFlags(unsuspend, dryRun, admin.yes);
    unsuspend->callback([&] { command = Command::UsersUnsuspend; });

    auto *resetPassword = users->add_subcommand(
        "reset-password", "Set a new random password (printed once), revoke all sessions");
    resetPassword->add_option("username", admin.username, "Username")->required();
    addSafetyFlags(resetPassword, dryRun, admin.yes);
    resetPassword->callback([&] { command = Command::UsersResetPassword; });

    auto *disable2fa = users->add_subcommand("disable-2fa", "Remove two-factor authentication of an account");
    disable2fa->add_option("username", admin.username, "Username")->required();
    addSafetyFlags(disable2fa, dryRun, admin.yes);
    disable2fa->callback([&] { command = Command::UsersDisableTwoFactor; });

    auto *keys = app.add_subcommand("keys", "API keys (auth plugin)");
    keys->require_subcommand(1);
    auto *keysCreate = keys->add_subcommand("create", "Create an API key (the key is printed once)");
    keysCreate->add_option("name", admin.keyName, "Name of the key")->required();
    keysCreate->add_option("--scope", admin.scopes, "Scope the key grants (repeatable; admin for /v1/admin)")
        ->required()
        ->expected(1)
        ->allow_extra_args(false) // "--scope a name": one value per --scope
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    keysCreate->callback([&] { command = Command::KeysCreate; });
    keys->add_subcommand("list", "List API keys (never their secrets)")->callback([&] {
        command = Command::KeysList;
    });
    auto *keysRevoke = keys->add_subcommand("revoke", "Revoke an API key (takes effect at once)");
    keysRevoke->add_option("id", admin.keyId, "Key id (see keys list)")->required();
    addSafetyFlags(keysRevoke, dryRun, admin.yes);
    keysRevoke->callback([&] { command = Command::KeysRevoke; });

    auto *auth = app.add_subcommand("auth", "Auth plugin operations");
    auth->require_subcommand(1);
    auto *outbox = auth->add_subcommand(
        "outbox", "Email verification and password reset events, with their tokens");
    outbox->add_option("--after", admin.after, "Only events with a larger id")->check(CLI::NonNegativeNumber);
    outbox->add_option("--limit", admin.limit, "Events to show (1-500, default 50)")->check(CLI::Range(1, 500));
    outbox->callback([&] { command = Command::AuthOutbox; });

    EventOptions ev;
    auto *events = app.add_subcommand("events", "Event bus: outbox and consumers");
    events->require_subcommand(1);
    auto *tail = events->add_subcommand("tail", "Show the newest outbox events (or those after an id)");
    tail->add_option("--after", ev.after, "Only events with a larger id")->check(CLI::NonNegativeNumber);
    tail->add_option("--limit", ev.limit, "Events per request (1-1000, default 50)")->check(CLI::Range(1, 1000));
    tail->add_flag("-f,--follow", ev.follow,
                   "Keep polling every second and print new events until Ctrl-C (-o json: one object per line)");
    tail->callback([&] { command = Command::EventsTail; });
    events->add_subcommand("consumers", "Consumers with offset, lag, dead letters and retries")->callback([&] {
        command = Command::EventsConsumers;
    });
    auto *replay = events->add_subcommand("replay", "Move a consumer's offset so that delivery resumes at an event");
    replay->add_option("--consumer", ev.consumer, "Consumer name (see events consumers)")->required();
    replay->add_option("--from", ev.fromId, "First event id to deliver again")->required()->check(CLI::PositiveNumber);
    addSafetyFlags(replay, dryRun, ev.yes);
    replay->callback([&] { command = Command::EventsReplay; });
    auto *retryDead = events->add_subcommand("retry-dead", "Make dead letters due again");
    retryDead->add_option("--consumer", ev.consumer, "Only this consumer (default: every consumer)");
    retryDead->callback([&] { command = Command::EventsRetryDead; });

    SearchOptions so;
    auto *search = app.add_subcommand("search", "Search index: analytics, status, rebuild");
    search->require_subcommand(1);
    auto *searchStats = search->add_subcommand("stats", "Top queries, top zero-result queries and click-through rate");
    searchStats->add_option("--days", so.days, "Window in days, ending now (default 7)")->check(CLI::Range(1, 3650));
    searchStats->add_option("--limit", so.limit, "Entries per top list (1-100, default 20)")->check(CLI::Range(1, 100));
    searchStats->callback([&] { command = Command::SearchStats; });
    search->add_subcommand("status", "Index consumer offset and lag, document counts")->callback([&] {
        command = Command::SearchStatus;
    });
    auto *reindex = search->add_subcommand("reindex", "Empty the search index and rebuild it by replaying events");
    reindex->add_flag("--wait", so.wait, "Wait until the rebuild has caught up (polls search status)");
    reindex->add_option("--wait-timeout", so.timeoutSeconds, "With --wait: give up after this many seconds (default 600)")
        ->check(CLI::PositiveNumber);
    addSafetyFlags(reindex, dryRun, so.yes);
    reindex->callback([&] { command = Command::SearchReindex; });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        // --help and --version are "errors" with exit code 0.
        return app.exit(e, out, err) == 0 ? ExitOk : ExitUsage;
    }

    const QUrl server(QString::fromStdString(opts.server), QUrl::StrictMode);
    if (!server.isValid() || server.host().isEmpty()
        || (server.scheme() != QLatin1String("http") && server.scheme() != QLatin1String("https")))
        return usageError(err, QStringLiteral("invalid --server '%1': expected http(s)://HOST:PORT")
                                   .arg(QString::fromStdString(opts.server)));

    // An explicit token beats a token file; either may come from the environment.
    QString token = QString::fromStdString(opts.token).trimmed();
    if (token.isEmpty() && !opts.tokenFile.empty()) {
        QString error;
        if (!readToken(opts.tokenFile, token, error))
            return usageError(err, QStringLiteral("cannot read token file %1: %2")
                                       .arg(QString::fromStdString(opts.tokenFile), error));
    }

    const auto timeout = std::chrono::milliseconds(std::llround(opts.timeoutSeconds * 1000.0));
    // Read a piped password before any request, so that a bad pipe is a usage error.
    std::optional<QString> password;
    if (command == Command::UsersCreate && admin.passwordStdin) {
        password = readSecretLine(in);
        if (!password || password->isEmpty())
            return usageError(err, QStringLiteral("--password-stdin: no password on stdin"));
    }

    ApiClient client(server, token, timeout);
    Commands commands(client, opts.output == "json" ? OutputFormat::Json : OutputFormat::Table,
                      out, err);
    const Terminal terminal{in, stdinIsTerminal};
    commands.setTerminal(&terminal);
    const Safety safety{dryRun, admin.yes};
    const auto q = [](const std::string &s) { return QString::fromStdString(s); };

    switch (command) {
    case Command::Status:
        return commands.status();
    case Command::PluginsList:
        return commands.pluginsList();
    case Command::MigrateStatus:
        return commands.migrateStatus();
    case Command::MigrateUp:
        return commands.migrateUp(dryRun);
    case Command::UsersCreate:
        return commands.usersCreate(q(admin.username), q(admin.email), password, q(admin.role));
    case Command::UsersList:
        return commands.usersList(UserListOptions{q(admin.query), admin.limit, q(admin.cursor), admin.all});
    case Command::UsersShow:
        return commands.usersShow(q(admin.username));
    case Command::UsersSetRole:
        return commands.usersSetRole(q(admin.username), q(admin.role), safety);
    case Command::UsersSuspend:
        return commands.usersSuspend(q(admin.username), q(admin.reason), safety);
    case Command::UsersUnsuspend:
        return commands.usersUnsuspend(q(admin.username), safety);
    case Command::UsersResetPassword:
        return commands.usersResetPassword(q(admin.username), safety);
    case Command::UsersDisableTwoFactor:
        return commands.usersDisableTwoFactor(q(admin.username), safety);
    case Command::KeysCreate: {
        QStringList scopes;
        for (const std::string &s : admin.scopes)
            scopes << q(s);
        return commands.keysCreate(q(admin.keyName), scopes);
    }
    case Command::KeysList:
        return commands.keysList();
    case Command::KeysRevoke:
        return commands.keysRevoke(q(admin.keyId), safety);
    case Command::AuthOutbox:
        return commands.authOutbox(admin.after, admin.limit);
    case Command::EventsTail:
        return commands.eventsTail(EventTailOptions{ev.after, ev.limit, ev.follow});
    case Command::EventsConsumers:
        return commands.eventsConsumers();
    case Command::EventsReplay:
        return commands.eventsReplay(q(ev.consumer), ev.fromId, Safety{dryRun, ev.yes});
    case Command::EventsRetryDead:
        return commands.eventsRetryDead(q(ev.consumer));
    case Command::SearchStats:
        return commands.searchStats(so.days, so.limit);
    case Command::SearchStatus:
        return commands.searchStatus();
    case Command::SearchReindex: {
        SearchReindexOptions options;
        options.wait = so.wait;
        options.timeout = std::chrono::milliseconds(std::llround(so.timeoutSeconds * 1000.0));
        return commands.searchReindex(options, Safety{dryRun, so.yes});
    }
    }
    return ExitUsage;
}

} // namespace Community::Ctl
