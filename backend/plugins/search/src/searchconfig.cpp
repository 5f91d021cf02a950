// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "searchconfig.h"

#include "community/config.h"

namespace Search {

using Community::ErrorCode;
using Community::FieldError;

namespace {

/// A floating-point setting (ConfigReader has integers only). Keys match
/// case-insensitively, as environment overrides arrive lower-cased.
double number(Community::ConfigReader &reader, const QJsonObject &object, const QString &key, double def,
              double min, double max, QList<FieldError> &errors)
{
    reader.accept(key);
    QJsonValue v = object.value(key);
    if (v.isUndefined()) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key().compare(key, Qt::CaseInsensitive) == 0)
                v = it.value();
        }
    }
    if (v.isUndefined() || v.isNull())
        return def;
    const QString full = reader.path() + QLatin1Char('.') + key;
    if (!v.isDouble()) {
        errors.append({full, QStringLiteral("must be a number"), QStringLiteral("type")});
        return def;
    }
    const double d = v.toDouble();
    if (!(d >= min && d <= max)) {
        errors.append({full, QStringLiteral("must be between %1 and %2, got %3").arg(min).arg(max).arg(d),
                       QStringLiteral("range")});
        return def;
    }
    return d;
}

} // namespace

Community::Result<SearchConfig> readSearchConfig(const QJsonObject &object, const QString &path)
{
    Community::ConfigReader cfg(object, path);
    SearchConfig c;
    QList<FieldError> errors;
    c.maxQueryLength = int(cfg.integer(QStringLiteral("maxQueryLength"), c.maxQueryLength, 16, 4096));
    c.maxTerms = int(cfg.integer(QStringLiteral("maxTerms"), c.maxTerms, 1, 64));
    c.maxLimit = int(cfg.integer(QStringLiteral("maxLimit"), c.maxLimit, 1, 200));
    c.defaultLimit = int(cfg.integer(QStringLiteral("defaultLimit"), qMin(c.defaultLimit, c.maxLimit), 1, 200));
    c.maxOffset = int(cfg.integer(QStringLiteral("maxOffset"), c.maxOffset, 0, 100'000));
    c.exactCountLimit = int(cfg.integer(QStringLiteral("exactCountLimit"), c.exactCountLimit, 10, 1'000'000));
    c.rankWindow = int(cfg.integer(QStringLiteral("rankWindow"), c.rankWindow, 100, 1'000'000));
    c.statementTimeoutMs = int(cfg.integer(QStringLiteral("statementTimeoutMs"), c.statementTimeoutMs, 50, 600'000));
    c.suggestLimit = int(cfg.integer(QStringLiteral("suggestLimit"), c.suggestLimit, 1, 50));
    c.maxSuggestLength = int(cfg.integer(QStringLiteral("maxSuggestLength"), c.maxSuggestLength, 8, 512));
    c.analyticsRetentionDays = int(cfg.integer(QStringLiteral("analyticsRetentionDays"), c.analyticsRetentionDays, 1, 3650));
    c.pruneIntervalMinutes = int(cfg.integer(QStringLiteral("pruneIntervalMinutes"), c.pruneIntervalMinutes, 1, 7 * 24 * 60));
    c.statsMaxDays = int(cfg.integer(QStringLiteral("statsMaxDays"), c.statsMaxDays, 1, 3650));
    c.resultCacheMb = int(cfg.integer(QStringLiteral("resultCacheMb"), c.resultCacheMb, 0, 4096));
    c.resultCacheSeconds = int(cfg.integer(QStringLiteral("resultCacheSeconds"), c.resultCacheSeconds, 1, 3600));

    const QJsonObject rankingObject = [&] {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key().compare(QLatin1String("ranking"), Qt::CaseInsensitive) == 0)
                return it.value().toObject();
        }
        return QJsonObject();
    }();
    Community::ConfigReader ranking = cfg.child(QStringLiteral("ranking"));
    RankingWeights &w = c.ranking;
    w.title = number(ranking, rankingObject, QStringLiteral("title"), w.title, 0, 1, errors);
    w.titleGrams = number(ranking, rankingObject, QStringLiteral("titleGrams"), w.titleGrams, 0, 1, errors);
    w.body = number(ranking, rankingObject, QStringLiteral("body"), w.body, 0, 1, errors);
    w.bodyGrams = number(ranking, rankingObject, QStringLiteral("bodyGrams"), w.bodyGrams, 0, 1, errors);
    w.recency = number(ranking, rankingObject, QStringLiteral("recency"), w.recency, 0, 100, errors);
    w.recencyHalfLifeDays = number(ranking, rankingObject, QStringLiteral("recencyHalfLifeDays"), w.recencyHalfLifeDays,
                                   0.01, 36500, errors);
    w.score = number(ranking, rankingObject, QStringLiteral("score"), w.score, 0, 100, errors);

    auto r1 = cfg.finish();
    auto r2 = ranking.finish();
    if (!r1)
        errors.append(r1.error().fields);
    if (!r2)
        errors.append(r2.error().fields);
    if (c.defaultLimit > c.maxLimit)
        errors.append({path + QStringLiteral(".defaultLimit"), QStringLiteral("must not exceed maxLimit"),
                       QStringLiteral("out_of_range")});
    if (!errors.isEmpty()) {
        Community::Error e = Community::Error::make(ErrorCode::Config, QStringLiteral("invalid configuration"));
        e.fields = errors;
        return tl::unexpected(e);
    }
    return c;
}

} // namespace Search
