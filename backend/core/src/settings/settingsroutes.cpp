// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "settings/settingsroutes.h"

#include "community/contracts/events/settings.h"
#include "community/database.h"
#include "community/eventbus.h"
#include "community/host/migrator.h"
#include "community/problem.h"
#include "community/request.h"
#include "community/settings.h"

#include <pqxx/pqxx>

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

namespace Community {

using namespace Http;
namespace SettingsEvents = Contracts::Events::Settings;

namespace {

constexpr int kMaxImportKeys = 1000;
constexpr int kMaxReason = 500;

QString actorName(const HttpRequest &req)
{
    return req.principal.username.isEmpty() ? QStringLiteral("operator") : req.principal.username;
}

QByteArray compact(const QJsonValue &v)
{
    return QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

QJsonValue parseCompact(const std::string &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson("[" + QByteArray::fromStdString(text) + "]");
    return doc.array().isEmpty() ? QJsonValue() : doc.array().at(0);
}

Error readOnly(const SettingState &s)
{
    Error e = Error::make(ErrorCode::Conflict, QStringLiteral("%1 is read-only: %2").arg(s.spec.key, s.readOnlyReason));
    e.type = QStringLiteral("setting-read-only");
    e.fields.append(FieldError{s.spec.key, QStringLiteral("read-only: %1").arg(s.readOnlyReason), QStringLiteral("read_only")});
    return e;
}

Error unknownSetting(const QString &key)
{
    Error e = notFound(QStringLiteral("No setting %1.").arg(key));
    e.type = QStringLiteral("unknown-setting");
    return e;
}

/// The reason field: optional, one line, bounded.
QString readReason(BodyReader &body)
{
    return body.string(QStringLiteral("reason"), Presence::Optional, kMaxReason).value_or(QString());
}

} // namespace

SettingsRoutes::SettingsRoutes(SettingsRegistry &registry, Events::EventBus &bus, Db::Database &db)
    : m_registry(registry), m_bus(bus), m_db(db), m_instanceId(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

Result<MigrationSet> SettingsRoutes::migrations()
{
    return loadMigrations(QStringLiteral("settings"), QStringLiteral(":/migrations/settings"));
}

Result<QHash<QString, QJsonValue>> SettingsRoutes::readLayer(const std::string &conninfo)
{
    try {
        pqxx::connection c(conninfo);
        pqxx::nontransaction tx(c);
        QHash<QString, QJsonValue> out;
        if (tx.exec("SELECT to_regclass('settings.runtime') IS NOT NULL")[0][0].as<bool>() == false)
            return out;
        for (const auto &row : tx.exec("SELECT key, value FROM settings.runtime ORDER BY key"))
            out.insert(QString::fromStdString(row[0].as<std::string>()), parseCompact(row[1].as<std::string>()));
        return out;
    } catch (const std::exception &e) {
        Error err = Error::make(ErrorCode::Unavailable, QStringLiteral("cannot read the runtime settings from the database"));
        err.logDetail = QString::fromUtf8(e.what());
        return tl::unexpected(err);
    }
}

QList<Route> SettingsRoutes::routes()
{
    RouteOptions admin = RouteOptions::authenticated(Role::Admin, QStringLiteral("admin:settings"));
    admin.owner = QStringLiteral("core");
    admin.rateClass = QStringLiteral("system");
    const RouteOptions body = RouteOptions(admin).withBodyLimit(256 * 1024);
    auto handler = [this](auto method) { return memberHandler(this, method); };
    return {
        {"GET", QStringLiteral("/v1/admin/settings"), admin, handler(&SettingsRoutes::list)},
        {"GET", QStringLiteral("/v1/admin/settings/diff"), admin, handler(&SettingsRoutes::diff)},
        {"GET", QStringLiteral("/v1/admin/settings/export"), admin, handler(&SettingsRoutes::exportLayer)},
        {"POST", QStringLiteral("/v1/admin/settings/import"), body, handler(&SettingsRoutes::importLayer)},
        {"GET", QStringLiteral("/v1/admin/settings/{key}"), admin, handler(&SettingsRoutes::get)},
        {"PUT", QStringLiteral("/v1/admin/settings/{key}"), body, handler(&SettingsRoutes::put)},
        {"DELETE", QStringLiteral("/v1/admin/settings/{key}"), admin, handler(&SettingsRoutes::remove)},
    };
}

void SettingsRoutes::followOtherNodes()
{
    m_bus.subscribeBroadcast({QString(SettingsEvents::Type::Changed)}, [this](const Events::Event &e) -> Result<void> {
        const auto changed = SettingsEvents::Changed::fromJson(e.payload);
        if (changed && changed->origin != m_instanceId)
            m_registry.runtimeChanged(changed->key, changed->removed ? QJsonValue(QJsonValue::Undefined) : changed->after);
        return {};
    });
}

void SettingsRoutes::list(HttpRequest &req, const Responder &res)
{
    if (auto q = checkQuery(req, {QStringLiteral("prefix")}); !q)
        return sendError(req, res, q.error());
    const QString prefix = queryValue(req, QStringLiteral("prefix")).toLower();
    QJsonArray arr;
    for (const SettingState &s : m_registry.states()) {
        if (prefix.isEmpty() || s.spec.key.toLower().startsWith(prefix))
            arr.append(s.toJson());
    }
    res.send(HttpResponse::json(200, QJsonObject{{QStringLiteral("settings"), arr}}));
}

void SettingsRoutes::diff(HttpRequest &req, const Responder &res)
{
    QJsonArray arr;
    for (const SettingState &s : m_registry.states()) {
        if (s.spec.type == QLatin1String("secret") || s.value == s.spec.defaultValue)
            continue;
        arr.append(QJsonObject{{QStringLiteral("key"), s.spec.key},
                               {QStringLiteral("default"), s.spec.defaultValue},
                               {QStringLiteral("value"), s.value},
                               {QStringLiteral("effective"), s.effective},
                               {QStringLiteral("source"), s.source},
                               {QStringLiteral("pending"), s.pending}});
    }
    Q_UNUSED(req);
    res.send(HttpResponse::json(200, QJsonObject{{QStringLiteral("changes"), arr}}));
}

void SettingsRoutes::exportLayer(HttpRequest &, const Responder &res)
{
    res.send(HttpResponse::json(200, QJsonObject{{QStringLiteral("version"), 1},
                                                 {QStringLiteral("settings"), m_registry.runtimeLayer()}}));
}

void SettingsRoutes::importLayer(HttpRequest &req, const Responder &res)
{
    auto body = readBody(req, res);
    if (!body)
        return;
    const QJsonObject settings = body->object(QStringLiteral("settings"), Presence::Required).value_or(QJsonObject());
    const QString reason = readReason(*body);
    const bool dryRun = body->boolean(QStringLiteral("dryRun"), Presence::Optional).value_or(false);
    body->accept(QStringLiteral("version"));
    if (settings.size() > kMaxImportKeys)
        body->addError(QStringLiteral("settings"), QStringLiteral("at most %1 keys").arg(kMaxImportKeys), QStringLiteral("too_many"));
    if (auto valid = body->finish(); !valid)
        return sendError(req, res, valid.error());
    // Every key is checked before anything is written: one unknown key, one read-only key
    // or one bad value and nothing is stored.
    QList<Change> changes;
    QList<FieldError> errors;
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        auto v = m_registry.validate(it.key(), it.value());
        if (!v) {
            errors += v.error().fields;
            continue;
        }
        const auto s = m_registry.state(it.key());
        if (s->value != *v)
            changes.append({s->spec.key, *v});
    }
    if (!errors.isEmpty())
        return sendError(req, res, invalidFields(errors));
    QJsonArray keys;
    for (const Change &c : changes)
        keys.append(c.key);
    const QJsonObject answer{{QStringLiteral("changed"), keys}, {QStringLiteral("dryRun"), dryRun}};
    if (dryRun || changes.isEmpty()) {
        res.send(HttpResponse::json(200, answer));
        return;
    }
    m_db.respondWith(req, res, [this, changes, reason, actor = actorName(req), answer]() -> Result<HttpResponse> {
        if (auto r = store(changes, reason, actor); !r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, answer);
    });
}

void SettingsRoutes::get(HttpRequest &req, const Responder &res)
{
    const QString key = req.pathParams.value(QStringLiteral("key"));
    const auto s = m_registry.state(key);
    if (!s)
        return sendError(req, res, unknownSetting(key));
    res.send(HttpResponse::json(200, s->toJson()));
}

void SettingsRoutes::put(HttpRequest &req, const Responder &res)
{
    const QString key = req.pathParams.value(QStringLiteral("key"));
    auto s = m_registry.state(key);
    if (!s)
        return sendError(req, res, unknownSetting(key));
    if (!s->readOnlyReason.isEmpty())
        return sendError(req, res, readOnly(*s));
    auto body = readBody(req, res);
    if (!body)
        return;
    const QJsonValue raw = body->value(QStringLiteral("value"));
    const QString reason = readReason(*body);
    const bool dryRun = body->boolean(QStringLiteral("dryRun"), Presence::Optional).value_or(false);
    if (auto valid = body->finish(); !valid)
        return sendError(req, res, valid.error());
    auto value = m_registry.validate(s->spec.key, raw);
    if (!value)
        return sendError(req, res, value.error());
    if (dryRun) {
        SettingState would = *s;
        would.value = *value;
        would.source = QStringLiteral("runtime");
        if (would.live)
            would.effective = *value;
        would.pending = would.value != would.effective;
        QJsonObject o = would.toJson();
        o.insert(QStringLiteral("dryRun"), true);
        res.send(HttpResponse::json(200, o));
        return;
    }
    m_db.respondWith(req, res, [this, change = Change{s->spec.key, *value}, reason, actor = actorName(req)]() -> Result<HttpResponse> {
        if (auto r = store({change}, reason, actor); !r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, m_registry.state(change.key)->toJson());
    });
}

void SettingsRoutes::remove(HttpRequest &req, const Responder &res)
{
    const QString key = req.pathParams.value(QStringLiteral("key"));
    const auto s = m_registry.state(key);
    if (!s)
        return sendError(req, res, unknownSetting(key));
    if (!s->readOnlyReason.isEmpty())
        return sendError(req, res, readOnly(*s));
    if (s->source != QLatin1String("runtime")) {
        res.send(HttpResponse::json(200, s->toJson()));   // nothing to remove: nothing written
        return;
    }
    m_db.respondWith(req, res, [this, change = Change{s->spec.key, QJsonValue(QJsonValue::Undefined)},
                                actor = actorName(req)]() -> Result<HttpResponse> {
        if (auto r = store({change}, {}, actor); !r)
            return tl::unexpected(r.error());
        return HttpResponse::json(200, m_registry.state(change.key)->toJson());
    });
}

Result<void> SettingsRoutes::store(const QList<Change> &changes, const QString &reason, const QString &actor)
{
    auto stored = m_db.transact<int>([&](pqxx::work &tx) -> Result<int> {
        for (const Change &c : changes) {
            const auto s = m_registry.state(c.key);
            SettingsEvents::Changed event;
            event.key = c.key;
            event.before = s->value;
            event.removed = c.value.isUndefined();
            event.after = event.removed ? QJsonValue() : c.value;
            event.live = s->live;
            event.reason = reason;
            event.origin = m_instanceId;
            if (s->spec.type == QLatin1String("secret")) {
                // Never reached (secrets are read-only), kept so that no change path can leak one.
                event.before = s->value.toBool() ? QStringLiteral("set") : QStringLiteral("unset");
                event.after = event.removed ? QJsonValue() : QJsonValue(QStringLiteral("set"));
            }
            if (event.removed) {
                tx.exec_params("DELETE FROM settings.runtime WHERE key = $1", c.key.toStdString());
            } else {
                tx.exec_params("INSERT INTO settings.runtime (key, value, updated_by) VALUES ($1, $2, $3)"
                               " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(),"
                               " updated_by = EXCLUDED.updated_by",
                               c.key.toStdString(), compact(c.value).toStdString(), actor.toStdString());
            }
            if (auto r = Events::publishEvent(m_bus, tx, event); !r)
                return tl::unexpected(r.error());
        }
        return 0;
    });
    if (!stored)
        return tl::unexpected(stored.error());
    // Committed: in force here now (live keys), pending otherwise; other daemons follow the event.
    for (const Change &c : changes)
        m_registry.runtimeChanged(c.key, c.value);
    return {};
}

} // namespace Community
