// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "contextcommands.h"

#include "format.h"

#include "community/client/contexts.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>
#include <QJsonObject>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace Community::Ctl {

using Client::Context;
using Client::ContextStore;

namespace {

/// One command of the tree: its words (subcommands and options) for completion.
struct Node {
    std::vector<std::pair<std::string, std::string>> subcommands;   ///< name, description
    std::vector<std::pair<std::string, std::string>> options;       ///< --name / -n, description
};

struct Tree {
    std::map<std::string, Node> nodes;   ///< "" for the top, "users list" below it
    std::set<std::string> valueOptions;  ///< options that take a value (their next word is not a command)
};

void optionsOf(const CLI::App &app, Node &node, Tree &tree)
{
    for (const CLI::Option *o : app.get_options()) {
        if (o->get_positional())
            continue;
        std::vector<std::string> names;
        for (const std::string &l : o->get_lnames())
            names.push_back("--" + l);
        for (const std::string &s : o->get_snames())
            names.push_back("-" + s);
        for (const std::string &n : names) {
            node.options.emplace_back(n, o->get_description());
            if (o->get_type_size() > 0)
                tree.valueOptions.insert(n);
        }
    }
}

void walk(const CLI::App &app, const std::string &path, const Node &globals, Tree &tree)
{
    Node node = globals;
    optionsOf(app, node, tree);
    for (const CLI::App *sub : app.get_subcommands({})) {
        node.subcommands.emplace_back(sub->get_name(), sub->get_description());
        walk(*sub, path.empty() ? sub->get_name() : path + ' ' + sub->get_name(), globals, tree);
    }
    tree.nodes[path] = std::move(node);
}

Tree treeOf(const CLI::App &root)
{
    Tree tree;
    Node globals;
    optionsOf(root, globals, tree);   // global options (fallthrough) are valid everywhere
    Node top = globals;
    for (const CLI::App *sub : root.get_subcommands({})) {
        top.subcommands.emplace_back(sub->get_name(), sub->get_description());
        walk(*sub, sub->get_name(), globals, tree);
    }
    tree.nodes[""] = std::move(top);
    return tree;
}

std::string quoteSingle(const std::string &s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string bashScript(const Tree &tree)
{
    std::string s = "# communityctl completion for bash (zsh: via bashcompinit).\n"
                    "# Load it with: source <(communityctl completion bash)\n"
                    "_communityctl_words() {\n    case \"$1\" in\n";
    for (const auto &[path, node] : tree.nodes) {
        std::string words;
        for (const auto &w : node.subcommands)
            words += w.first + ' ';
        for (const auto &w : node.options)
            words += w.first + ' ';
        s += "        " + quoteSingle(path) + ") echo " + quoteSingle(words) + " ;;\n";
    }
    s += "    esac\n}\n_communityctl_takes_value() {\n    case \"$1\" in\n        ";
    std::string values;
    for (const std::string &o : tree.valueOptions)
        values += (values.empty() ? "" : "|") + o;
    s += (values.empty() ? std::string("--never-a-value") : values) + ") return 0 ;;\n    esac\n    return 1\n}\n";
    s += R"SH(_communityctl() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" path="" i w
    ((COMP_CWORD > 1)) && prev="${COMP_WORDS[COMP_CWORD-1]}"
    case "$prev" in
        -o|--output) COMPREPLY=($(compgen -W "table json csv" -- "$cur")); return ;;
        --context) COMPREPLY=($(compgen -W "$(communityctl context list --names 2>/dev/null)" -- "$cur")); return ;;
        --token-file|--file|--password-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [[ -n $prev ]] && _communityctl_takes_value "$prev"; then
        COMPREPLY=()
        return
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${COMP_WORDS[i]}"
        if [[ $w == -* ]]; then
            _communityctl_takes_value "$w" && ((i++))
            continue
        fi
        local next="${path:+$path }$w"
        [[ -n $(_communityctl_words "$next") ]] && path="$next"
    done
    COMPREPLY=($(compgen -W "$(_communityctl_words "$path")" -- "$cur"))
}
complete -F _communityctl communityctl
)SH";
    return s;
}

std::string fishScript(const Tree &tree)
{
    std::string paths;
    for (const auto &[path, node] : tree.nodes) {
        if (!path.empty())
            paths += ' ' + quoteSingle(path);
    }
    std::string s = "# communityctl completion for fish.\n"
                    "# Load it with: communityctl completion fish | source\n"
                    "set -g __communityctl_paths" + paths + "\n" + R"SH(function __communityctl_at
    set -l path ''
    for w in (commandline -opc)[2..-1]
        string match -q -- '-*' $w; and continue
        set -l next (string trim -- "$path $w")
        contains -- $next $__communityctl_paths; and set path $next
    end
    test "$path" = "$argv[1]"
end
complete -c communityctl -f
complete -c communityctl -l context -x -a '(communityctl context list --names 2>/dev/null)'
complete -c communityctl -s o -l output -x -a 'table json csv'
)SH";
    const Node &top = tree.nodes.at("");
    std::set<std::string> global;
    for (const auto &o : top.options)
        global.insert(o.first);
    for (const auto &[path, node] : tree.nodes) {
        const std::string cond = " -n " + quoteSingle("__communityctl_at " + quoteSingle(path));
        for (const auto &[name, desc] : node.subcommands)
            s += "complete -c communityctl" + cond + " -a " + quoteSingle(name) + " -d " + quoteSingle(desc) + '\n';
        for (const auto &[name, desc] : node.options) {
            if (path.empty() == false && global.count(name))
                continue;   // globals once, below
            const bool isLong = name.rfind("--", 0) == 0;
            s += "complete -c communityctl" + (path.empty() ? std::string() : cond) + (isLong ? " -l " : " -s ")
                 + name.substr(isLong ? 2 : 1) + (tree.valueOptions.count(name) ? " -r" : "") + " -d "
                 + quoteSingle(desc) + '\n';
        }
    }
    return s;
}

} // namespace

void ContextCommands::addTo(CLI::App &app, Action &action)
{
    auto *ctx = app.add_subcommand("context", "Named servers and their tokens (shared with community-console)");
    ctx->require_subcommand(1);
    auto local = [this, &action](std::function<int()> run) {
        m_session.local = true;
        action = std::move(run);
    };

    auto *add = ctx->add_subcommand("add", "Add or replace a context");
    add->add_option("name", m_name, "Context name")->required();
    add->add_option("--url", m_server, "Base URL of the node, http(s)://HOST:PORT")->required();
    auto *tok = add->add_option("--with-token", m_token, "Token to store (prefer --with-token-file)");
    add->add_option("--with-token-file", m_tokenFile, "File holding the token, read at each use")->excludes(tok);
    add->callback([this, local] { local([this] { return this->add(); }); });

    auto *use = ctx->add_subcommand("use", "Make a context the current one");
    use->add_option("name", m_name, "Context name")->required();
    use->callback([this, local] { local([this] { return this->use(); }); });

    auto *list = ctx->add_subcommand("list", "List contexts (never their tokens)");
    list->add_flag("--names", m_namesOnly, "Only the names, one per line (for completion)");
    list->callback([this, local] { local([this] { return this->list(); }); });

    auto *remove = ctx->add_subcommand("remove", "Remove a context");
    remove->add_option("name", m_name, "Context name")->required();
    remove->callback([this, local] { local([this] { return this->remove(); }); });

    ctx->add_subcommand("current", "Print the current context")
        ->callback([this, local] { local([this] { return this->current(); }); });

    auto *completion = app.add_subcommand("completion", "Shell completion script: bash, zsh or fish");
    completion->add_option("shell", m_shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
    completion->callback([this, local, &app] { local([this, &app] { return this->completion(app); }); });
}

namespace {

/// Loads the store, or prints why not and gives the exit code.
std::optional<ContextStore> openStore(std::ostream &err)
{
    ContextStore store;
    if (auto r = store.load(); !r) {
        err << "communityctl: " << r.error().message.toStdString() << '\n';
        return std::nullopt;
    }
    return store;
}

} // namespace

int ContextCommands::add()
{
    auto store = openStore(err());
    if (!store)
        return ExitUsage;
    const Context c{QString::fromStdString(m_name), QUrl(QString::fromStdString(m_server), QUrl::StrictMode),
                    QString::fromStdString(m_token).trimmed(), QString::fromStdString(m_tokenFile)};
    if (auto r = store->put(c); !r) {
        note(r.error().message);
        return ExitUsage;
    }
    if (store->current().isEmpty())
        (void)store->use(c.name);   // the first context becomes the current one
    if (auto r = store->save(); !r) {
        note(r.error().message);
        return ExitUsage;
    }
    print(QStringLiteral("context %1 saved in %2%3\n").arg(c.name, store->path(),
                                                            store->current() == c.name ? QStringLiteral(" (current)") : QString()));
    return ExitOk;
}

int ContextCommands::use()
{
    auto store = openStore(err());
    if (!store)
        return ExitUsage;
    if (auto r = store->use(QString::fromStdString(m_name)); !r) {
        note(r.error().message);
        return ExitUsage;
    }
    if (auto r = store->save(); !r) {
        note(r.error().message);
        return ExitUsage;
    }
    print(QStringLiteral("current context: %1\n").arg(store->current()));
    return ExitOk;
}

int ContextCommands::list()
{
    auto store = openStore(err());
    if (!store)
        return ExitUsage;
    if (m_namesOnly) {
        for (const Context &c : store->contexts())
            print(c.name + QLatin1Char('\n'));
        return ExitOk;
    }
    QJsonArray json;
    Table table({QStringLiteral(""), QStringLiteral("NAME"), QStringLiteral("SERVER"), QStringLiteral("CREDENTIAL")});
    for (const Context &c : store->contexts()) {
        const bool current = c.name == store->current();
        json.append(QJsonObject{{QStringLiteral("name"), c.name},
                                {QStringLiteral("server"), c.server.toString()},
                                {QStringLiteral("credential"), c.credentialSummary()},
                                {QStringLiteral("current"), current}});
        table.addRow({current ? QStringLiteral("*") : QString(), c.name, c.server.toString(), c.credentialSummary()});
    }
    printResult(json, store->contexts().isEmpty() ? QStringLiteral("no contexts in %1\n").arg(store->path())
                                                  : table.render());
    return ExitOk;
}

int ContextCommands::remove()
{
    auto store = openStore(err());
    if (!store)
        return ExitUsage;
    if (auto r = store->remove(QString::fromStdString(m_name)); !r) {
        note(r.error().message);
        return ExitUsage;
    }
    if (auto r = store->save(); !r) {
        note(r.error().message);
        return ExitUsage;
    }
    print(QStringLiteral("context %1 removed\n").arg(QString::fromStdString(m_name)));
    return ExitOk;
}

int ContextCommands::current()
{
    auto store = openStore(err());
    if (!store)
        return ExitUsage;
    if (store->current().isEmpty()) {
        note(QStringLiteral("no current context (communityctl context use NAME)"));
        return ExitUsage;
    }
    print(store->current() + QLatin1Char('\n'));
    return ExitOk;
}

int ContextCommands::completion(const CLI::App &app)
{
    const Tree tree = treeOf(app);
    std::string script;
    if (m_shell == "fish")
        script = fishScript(tree);
    else if (m_shell == "zsh")
        script = "#compdef communityctl\nautoload -U +X bashcompinit && bashcompinit\n" + bashScript(tree);
    else
        script = bashScript(tree);
    m_session.out << script;
    return ExitOk;
}

} // namespace Community::Ctl
