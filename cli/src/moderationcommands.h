// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The admin plugin's commands: `audit list|tail|export|verify` (/v1/admin/audit),
/// `queue list|show|claim|act|undo` (/v1/admin/queue; `act --items a,b,c` decides a
/// selection in one request and prints the per-item answer), `users penalties` (/v1/admin/penalties) and
/// `rules list|add|test|remove` (/v1/admin/rules; remove is destructive). `audit verify` exits 1 when the chain
/// is broken; `audit tail -f` follows new rows until interrupted; `audit export` writes
/// every matching row as CSV or JSON (to a file only once complete); `queue act` is
/// destructive (--dry-run writes nothing, confirmation unless --yes).

#include "commands.h"

#include "community/client/endpoints.h"

#include <QJsonArray>

#include <string>
#include <vector>

namespace Community::Ctl {

class ModerationCommands final : public CommandGroup
{
public:
    using CommandGroup::CommandGroup;

    void addTo(CLI::App &app, Action &action) override;

    int auditList();
    int auditTail();
    int auditExport();
    int auditVerify();
    int queueList();
    int queueShow(const QString &id);
    int queueClaim(const QString &id, bool takeover);
    int queueAct(const QString &id, const QJsonArray &actions, const QString &reason, Safety safety);
    /// Exits 1 when any item failed (the table says which and why).
    int queueActMany(const QStringList &ids, const QJsonArray &actions, const QString &reason, Safety safety);
    int queueUndo(const QString &decisionId, const QString &reason, Safety safety);
    int rulesList();
    int rulesAdd();
    int rulesTest();
    int rulesRemove(Safety safety);
    int penalties();

    /// "remove", "suspend:3" -> {"type": ..., "days": ...}; nullopt for a malformed one.
    static std::optional<QJsonArray> parseActions(const std::vector<std::string> &specs);

private:
    struct Options
    {
        std::string actor, action, targetType, targetId, since, until, status, reason, id, why, items;
        std::string exportFormat = "csv", file, ruleKind = "word", ruleAction = "flag", pattern, text;
        std::vector<std::string> actions;
        int limit = 0;
        int lines = 10;
        int intervalMs = 1000;
        bool takeover = false;
        bool follow = false;
        Safety safety;
    };

    void addAudit(CLI::App &app, Action &action);
    /// The --actor/--action/--target-*/--since/--until options of list, tail and export.
    void addAuditFilters(CLI::App *command);
    Client::Endpoints::AuditQuery auditQuery(int limit, const QString &cursor) const;
    void addQueue(CLI::App &app, Action &action);
    void addRules(CLI::App &app, Action &action);

    Options m_options;
};

} // namespace Community::Ctl
