// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "eventschema.h"

#include <QJsonArray>

using namespace Community;
using namespace Community::Http;

namespace Analytics {

namespace {

const QString kPageView = QStringLiteral("page_view");
const QString kPostView = QStringLiteral("post_view");
const QString kSearch = QStringLiteral("search");
const QString kSearchClick = QStringLiteral("search_click");
const QString kSessionStart = QStringLiteral("session_start");

/// Reads the props of one event type into `e`; errors stay in `props`.
void readProps(const QString &type, BodyReader &props, RawEvent &e)
{
    if (type == kPageView) {
        e.dim = props.text(QStringLiteral("path"), {512, Presence::Required}).value_or(QString());
        props.text(QStringLiteral("referrer"), {512, Presence::Optional});
    } else if (type == kPostView) {
        e.targetId = props.id(QStringLiteral("postId"), Presence::Required).value_or(0);
        e.communityId = props.id(QStringLiteral("communityId"), Presence::Optional).value_or(0);
    } else if (type == kSearch) {
        e.dim = normaliseQuery(props.text(QStringLiteral("query"), {200, Presence::Required}).value_or(QString()));
        e.num = props.integer(QStringLiteral("results"), Presence::Required, 0, 1'000'000'000).value_or(-1);
    } else if (type == kSearchClick) {
        e.dim = normaliseQuery(props.text(QStringLiteral("query"), {200, Presence::Required}).value_or(QString()));
        e.targetId = props.id(QStringLiteral("postId"), Presence::Required).value_or(0);
        e.num = props.integer(QStringLiteral("position"), Presence::Optional, 0, 1000).value_or(-1);
    } else if (type == kSessionStart) {
        e.dim = props.text(QStringLiteral("platform"), {32, Presence::Optional}).value_or(QString());
    }
}

void prefixed(QList<FieldError> &out, const Error &error, const QString &prefix)
{
    for (FieldError f : error.fields) {
        f.field = prefix + f.field;
        out.append(f);
    }
}

std::optional<QDateTime> readTime(BodyReader &r, const QString &field)
{
    const auto text = r.string(field, Presence::Optional, 40);
    if (!text)
        return QDateTime();
    const QDateTime t = QDateTime::fromString(*text, Qt::ISODateWithMs);
    // A time without an offset would be read in the server's zone: refuse it.
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime) {
        r.addError(field, QStringLiteral("must be an ISO 8601 time with an offset (2026-03-29T01:30:00Z)"),
                   QStringLiteral("invalid"));
        return std::nullopt;
    }
    return t.toUTC();
}

/// One element of `events`; field errors are appended (prefixed with events[index]) to `errors`.
std::optional<RawEvent> readEvent(const QJsonValue &v, qsizetype index, QList<FieldError> &errors)
{
    const auto prefix = [index] { return QStringLiteral("events[%1].").arg(index); };
    if (!v.isObject()) {
        errors.append({prefix().chopped(1), QStringLiteral("must be an object"), QStringLiteral("type")});
        return std::nullopt;
    }
    BodyReader r(v.toObject());
    RawEvent e;
    const auto type = r.string(QStringLiteral("type"), Presence::Required, 32);
    if (type && !clientEventTypes().contains(*type))
        r.addError(QStringLiteral("type"), QStringLiteral("is not a known event type (%1)").arg(clientEventTypes().join(u", ")),
                   QStringLiteral("unknown_type"));
    const auto id = r.string(QStringLiteral("id"), Presence::Required, 64);
    if (id && !validClientId(*id))
        r.addError(QStringLiteral("id"), QStringLiteral("1-64 of A-Z a-z 0-9 . _ : -"), QStringLiteral("invalid"));
    const auto at = readTime(r, QStringLiteral("at"));
    const auto propsObject = r.object(QStringLiteral("props"), Presence::Optional).value_or(QJsonObject());
    BodyReader props(propsObject);
    if (type && clientEventTypes().contains(*type)) {
        readProps(*type, props, e);
        if (auto p = props.finish(); !p)
            prefixed(errors, p.error(), prefix() + QStringLiteral("props."));
    }
    if (auto f = r.finish(); !f)
        prefixed(errors, f.error(), prefix());
    if (!type || !id || !at)
        return std::nullopt;
    e.type = *type;
    e.key = *id;
    e.at = *at;
    return e;
}

} // namespace

bool validClientId(QStringView id)
{
    // Checked by hand: this runs for every event of every batch.
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (const QChar c : id) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '.' || u == '_'
                        || u == ':' || u == '-';
        if (!ok)
            return false;
    }
    return true;
}

void admitEvent(ParsedBatch &batch, RawEvent &&e, const AnalyticsConfig &cfg, const QDateTime &now)
{
    bool clamped = false;
    e.at = clampTime(e.at, now, cfg, &clamped);
    batch.clamped += clamped ? 1 : 0;
    const double rate = cfg.sampling.value(e.type, 1.0);
    if (!keptBySample(e.key, rate)) {
        ++batch.sampledOut;
        return;
    }
    e.weight = 1.0 / rate;
    batch.events.append(std::move(e));
}

const QStringList &clientEventTypes()
{
    static const QStringList types{kPageView, kPostView, kSearch, kSearchClick, kSessionStart};
    return types;
}

QString normaliseQuery(const QString &q)
{
    return q.simplified().toLower();
}

QDateTime clampTime(const QDateTime &at, const QDateTime &now, const AnalyticsConfig &cfg, bool *clamped)
{
    *clamped = false;
    if (!at.isValid())
        return now;
    if (at > now.addSecs(cfg.maxFutureSkewSeconds)) {
        *clamped = true;
        return now;
    }
    const QDateTime earliest = now.addSecs(-cfg.maxPastSkewSeconds);
    if (at < earliest) {
        *clamped = true;
        return earliest;
    }
    return at;
}

bool keptBySample(const QString &key, double rate)
{
    if (rate >= 1.0)
        return true;
    // FNV-1a: stable across processes (qHash is seeded per process).
    quint32 h = 2166136261u;
    for (char c : key.toUtf8()) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    return double(h) / 4294967296.0 < rate;
}

Result<ParsedBatch> parseBatch(BodyReader &body, const AnalyticsConfig &cfg, const QDateTime &now)
{
    const auto list = body.array(QStringLiteral("events"), Presence::Required);
    if (auto f = body.finish(); !f)
        return tl::unexpected(f.error());
    if (list->isEmpty())
        return tl::unexpected(invalidField(QStringLiteral("events"), QStringLiteral("must hold at least one event"),
                                           QStringLiteral("required")));
    if (list->size() > cfg.maxBatchEvents) {
        Error e = Error::make(ErrorCode::PayloadTooLarge,
                              QStringLiteral("A batch holds at most %1 events.").arg(cfg.maxBatchEvents));
        e.type = QStringLiteral("batch-too-large");
        return tl::unexpected(e);
    }
    ParsedBatch batch;
    QList<FieldError> errors;
    QSet<QString> ids;
    for (qsizetype i = 0; i < list->size(); ++i) {
        auto e = readEvent(list->at(i), i, errors);
        if (!e)
            continue;
        if (ids.contains(e->key)) {
            errors.append({QStringLiteral("events[%1].id").arg(i), QStringLiteral("is used twice in this batch"),
                           QStringLiteral("duplicate")});
            continue;
        }
        ids.insert(e->key);
        admitEvent(batch, std::move(*e), cfg, now);
    }
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    return batch;
}

} // namespace Analytics
