// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Events the search plugin publishes (producer: search). Consumers read them with
/// T::fromJson(payload); ids travel as decimal strings. Pure values; safe on any thread.

#include "community/contracts/events/eventjson.h"

#include <QLatin1StringView>

#include <optional>

namespace Community::Contracts::Events::Search {

inline constexpr int kVersion = 1;

namespace Type {
inline constexpr QLatin1StringView ZeroResults{"search.query.zero_results"};
} // namespace Type

/// search.query.zero_results: a first-page search found nothing (a fuzzy retry's
/// suggestions count as nothing). `query` is the normalised text cut to kMaxQuery
/// characters, as analytics keeps it (no address, no more than the search log has).
struct ZeroResults {
    static constexpr QLatin1StringView type = Type::ZeroResults;
    static constexpr int kMaxQuery = 64;
    qint64 queryId = 0;       ///< search.queries row
    qint64 userId = 0;        ///< 0: anonymous
    QString query;
    QString kind;             ///< "posts", "communities", "users" or "" (all)

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("search:%1").arg(queryId); }
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("queryId"), Json::id(queryId)},
                           {QStringLiteral("userId"), userId ? Json::id(userId) : QJsonValue(QJsonValue::Null)},
                           {QStringLiteral("query"), query.left(kMaxQuery)},
                           {QStringLiteral("kind"), kind}};
    }
    static std::optional<ZeroResults> fromJson(const QJsonObject &o)
    {
        const auto id = Json::toId(o.value(QStringLiteral("queryId")));
        if (!id)
            return std::nullopt;
        return ZeroResults{*id, Json::toId(o.value(QStringLiteral("userId"))).value_or(0),
                           o.value(QStringLiteral("query")).toString().left(kMaxQuery), o.value(QStringLiteral("kind")).toString()};
    }
};

} // namespace Community::Contracts::Events::Search
