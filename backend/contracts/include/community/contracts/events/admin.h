// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Events the admin plugin publishes (producer: admin; consumers: the notifications plugin
/// to come). Version 1. Adding a field is compatible; renaming or removing one needs
/// version 2.
///
/// admin.report.outcome: one per reporter when a decision closes their report, so that
/// each reporter can be told what came of it (aggregate "user:<reporterId>").
/// admin.penalty.applied / admin.penalty.lifted: a warning, silence, suspension or ban
/// given to an account, and its end (by time or by a moderator); aggregate "user:<id>".

#include "community/contracts/events/eventjson.h"

#include <QLatin1StringView>

namespace Community::Contracts::Events::Admin {

inline constexpr int kVersion = 1;

namespace Type {
inline constexpr QLatin1StringView ReportOutcome{"admin.report.outcome"};
inline constexpr QLatin1StringView PenaltyApplied{"admin.penalty.applied"};
inline constexpr QLatin1StringView PenaltyLifted{"admin.penalty.lifted"};
} // namespace Type

struct ReportOutcome {
    static constexpr QLatin1StringView type = Type::ReportOutcome;
    qint64 reportId = 0, reporterId = 0, queueItemId = 0, decisionId = 0;
    QString targetType;       ///< post, comment
    qint64 targetId = 0;
    QString outcome;          ///< "actioned" (something was done), "dismissed", or "reversed" (the decision was undone)
    QStringList actions;      ///< the decision's action kinds ("remove", "suspend", ...)
    /// The report was told an outcome before that has since been undone: this one corrects
    /// it (a "reversed" outcome, or the outcome of the decision made after the undo).
    bool correction = false;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("user:%1").arg(reporterId); }
    QJsonObject toJson() const
    {
        return QJsonObject{
            {QStringLiteral("reportId"), Json::id(reportId)},
            {QStringLiteral("reporterId"), Json::id(reporterId)},
            {QStringLiteral("queueItemId"), Json::id(queueItemId)},
            {QStringLiteral("decisionId"), Json::id(decisionId)},
            {QStringLiteral("targetType"), targetType},
            {QStringLiteral("targetId"), Json::id(targetId)},
            {QStringLiteral("outcome"), outcome},
            {QStringLiteral("actions"), QJsonArray::fromStringList(actions)},
            {QStringLiteral("correction"), correction},
        };
    }
    static std::optional<ReportOutcome> fromJson(const QJsonObject &o)
    {
        const auto report = Json::toId(o.value(QStringLiteral("reportId")));
        const auto reporter = Json::toId(o.value(QStringLiteral("reporterId")));
        if (!report || !reporter)
            return std::nullopt;
        ReportOutcome e;
        e.reportId = *report;
        e.reporterId = *reporter;
        e.queueItemId = Json::toId(o.value(QStringLiteral("queueItemId"))).value_or(0);
        e.decisionId = Json::toId(o.value(QStringLiteral("decisionId"))).value_or(0);
        e.targetType = o.value(QStringLiteral("targetType")).toString();
        e.targetId = Json::toId(o.value(QStringLiteral("targetId"))).value_or(0);
        e.outcome = o.value(QStringLiteral("outcome")).toString();
        e.actions = Json::toStrings(o.value(QStringLiteral("actions")));
        e.correction = o.value(QStringLiteral("correction")).toBool();
        return e;
    }
};

struct PenaltyChanged {
    QLatin1StringView type = Type::PenaltyApplied;
    qint64 penaltyId = 0, userId = 0;
    QString kind;             ///< warn, silence, suspend, ban
    QString reason;
    QDateTime endsAt;         ///< invalid: no end (ban, warn)
    QString liftedBy;         ///< lifted: "expiry" or "moderator"

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("user:%1").arg(userId); }
    QJsonObject toJson() const
    {
        QJsonObject o{
            {QStringLiteral("penaltyId"), Json::id(penaltyId)}, {QStringLiteral("userId"), Json::id(userId)},
            {QStringLiteral("kind"), kind},                     {QStringLiteral("reason"), reason},
            {QStringLiteral("endsAt"), Json::time(endsAt)},
        };
        if (!liftedBy.isEmpty())
            o.insert(QStringLiteral("liftedBy"), liftedBy);
        return o;
    }
    static std::optional<PenaltyChanged> fromJson(const QJsonObject &o)
    {
        const auto id = Json::toId(o.value(QStringLiteral("penaltyId")));
        const auto user = Json::toId(o.value(QStringLiteral("userId")));
        if (!id || !user)
            return std::nullopt;
        PenaltyChanged e;
        e.penaltyId = *id;
        e.userId = *user;
        e.kind = o.value(QStringLiteral("kind")).toString();
        e.reason = o.value(QStringLiteral("reason")).toString();
        e.endsAt = Json::toTime(o.value(QStringLiteral("endsAt")));
        e.liftedBy = o.value(QStringLiteral("liftedBy")).toString();
        return e;
    }
};

} // namespace Community::Contracts::Events::Admin
