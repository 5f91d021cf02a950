// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "common.h"

#include "community/contracts/auth.h"
#include "community/eventbus.h"
#include "community/request.h"
#include "community/problem.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QStringDecoder>
#include <QTimeZone>

#include <bit>

using Community::ErrorCode;
using Community::Http::HttpRequest;
using Community::Http::HttpResponse;
using Community::Http::Responder;

namespace Content {

// ---- errors ------------------------------------------------------------------------

// ---- request parsing ---------------------------------------------------------------

std::optional<QJsonObject> jsonBody(const HttpRequest &req, const Responder &res)
{
    QStringDecoder dec(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = dec.decode(req.body);
    Q_UNUSED(decoded);
    if (dec.hasError()) {
        sendError(req, res, invalidField(QStringLiteral("body"), QStringLiteral("the request body is not valid UTF-8"),
                                         QStringLiteral("invalid_utf8")));
        return std::nullopt;
    }
    auto body = Community::Http::readBody(req, res);
    if (!body)
        return std::nullopt;
    return body->json();
}

std::string idArrayLiteral(const QList<qint64> &ids)
{
    std::string s = "{";
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i)
            s += ',';
        s += std::to_string(ids[i]);
    }
    return s + "}";
}

// ---- field validation --------------------------------------------------------------

namespace {

QString checkText(const QJsonValue &v, const QString &field, int max, bool multiline, bool allowEmpty,
                  QList<FieldError> &errors)
{
    if (!v.isString()) {
        errors.append({field, QStringLiteral("must be a string"), QStringLiteral("type")});
        return {};
    }
    const QString text = multiline ? v.toString() : v.toString().trimmed();
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() && !allowEmpty) {
        errors.append({field, QStringLiteral("must not be empty"), QStringLiteral("required")});
        return {};
    }
    if (Community::Http::codePoints(text) > max) {
        errors.append({field, QStringLiteral("must be at most %1 characters").arg(max), QStringLiteral("too_long")});
        return {};
    }
    if (Community::Http::hasControlCharacters(text, multiline)) {
        errors.append({field, QStringLiteral("must not contain control characters"), QStringLiteral("invalid_characters")});
        return {};
    }
    return multiline ? text : trimmed;
}

} // namespace

QString requireText(const QJsonObject &body, const QString &field, int max, bool multiline, QList<FieldError> &errors)
{
    if (!body.contains(field) || body.value(field).isNull()) {
        errors.append({field, QStringLiteral("is required"), QStringLiteral("required")});
        return {};
    }
    return checkText(body.value(field), field, max, multiline, false, errors);
}

QString optionalText(const QJsonObject &body, const QString &field, int max, bool multiline, bool allowEmpty,
                     bool *present, QList<FieldError> &errors)
{
    *present = body.contains(field);
    if (!*present)
        return {};
    return checkText(body.value(field), field, max, multiline, allowEmpty, errors);
}

QStringList parseTags(const QJsonValue &value, const ContentConfig &cfg, QList<FieldError> &errors)
{
    const QString field = QStringLiteral("tags");
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isArray()) {
        errors.append({field, QStringLiteral("must be an array of strings"), QStringLiteral("type")});
        return {};
    }
    const QJsonArray arr = value.toArray();
    if (arr.size() > cfg.maxTags) {
        errors.append({field, QStringLiteral("at most %1 tags").arg(cfg.maxTags), QStringLiteral("too_many")});
        return {};
    }
    QStringList tags;
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const QString f = QStringLiteral("tags[%1]").arg(i);
        if (!arr.at(i).isString()) {
            errors.append({f, QStringLiteral("must be a string"), QStringLiteral("type")});
            continue;
        }
        const QString tag = arr.at(i).toString().trimmed().toLower();
        bool ok = !tag.isEmpty() && Community::Http::codePoints(tag) <= cfg.tagMax && tag.front() != QLatin1Char('-')
                  && tag.back() != QLatin1Char('-');
        for (QChar c : tag)
            ok = ok && (c.isLetterOrNumber() || c == QLatin1Char('-'));
        if (!ok) {
            errors.append({f, QStringLiteral("tags are 1–%1 letters, digits or inner hyphens").arg(cfg.tagMax),
                           QStringLiteral("invalid_tag")});
            continue;
        }
        if (tags.contains(tag)) {
            errors.append({f, QStringLiteral("duplicate tag"), QStringLiteral("duplicate")});
            continue;
        }
        tags.append(tag);
    }
    return tags;
}

Result<RenderedMarkdown> renderBody(const QString &markdown, const ContentConfig &cfg, const QString &field)
{
    auto r = renderMarkdown(markdown, cfg.markdown);
    if (!r && r.error().code == ErrorCode::InvalidArgument) {
        Error e = r.error();
        for (FieldError &f : e.fields)
            f.field = field;
        if (e.fields.isEmpty())
            e.fields.append({field, e.message, QStringLiteral("invalid")});
        return tl::unexpected(e);
    }
    return r;
}

// ---- authors -----------------------------------------------------------------------

void rememberAuthor(pqxx::transaction_base &tx, qint64 userId, const QString &username)
{
    // No row lock unless the name really changes: ON CONFLICT DO UPDATE would lock the
    // author's row for the rest of the transaction (even when its WHERE is false) and so
    // serialise every concurrent write by one user behind each commit.
    tx.exec_params("WITH renamed AS (UPDATE content.authors SET username = $2 WHERE user_id = $1 AND username <> $2) "
                   "INSERT INTO content.authors (user_id, username) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING",
                   userId, username.toStdString());
}

// ---- Idempotency-Key -----------------------------------------------------------------

Result<std::optional<IdempotencyKey>> idempotencyKey(const HttpRequest &req)
{
    const QByteArray raw = req.header("idempotency-key");
    if (raw.isNull())
        return std::optional<IdempotencyKey>{};
    bool ok = !raw.isEmpty() && raw.size() <= 255;
    for (char c : raw)
        ok = ok && c > 0x20 && c < 0x7f;
    if (!ok)
        return tl::unexpected(invalidField(QStringLiteral("Idempotency-Key"),
                                           QStringLiteral("must be 1–255 visible ASCII characters"),
                                           QStringLiteral("invalid")));
    IdempotencyKey k;
    k.key = QString::fromLatin1(raw);
    k.route = QString::fromLatin1(req.method) + QLatin1Char(' ') + req.path;
    k.hash = QCryptographicHash::hash(req.body, QCryptographicHash::Sha256);
    return std::optional<IdempotencyKey>(k);
}

Result<HttpResponse> idempotent(pqxx::work &tx, qint64 userId, const std::optional<IdempotencyKey> &key,
                                const std::function<Result<HttpResponse>()> &create)
{
    if (!key)
        return create();
    const std::string k = key->key.toStdString();
    const std::string route = key->route.toStdString();
    const pqxx::binarystring hash(key->hash.constData(), size_t(key->hash.size()));
    // Claim the key first: a concurrent request with the same key blocks here until this
    // transaction ends, then finds the stored response.
    const auto claimed = tx.exec_params(
        "INSERT INTO content.idempotency_keys (user_id, key, route, request_hash, status, response) "
        "VALUES ($1, $2, $3, $4, 0, ''::bytea) ON CONFLICT (user_id, key) DO NOTHING RETURNING 1",
        userId, k, route, hash);
    if (claimed.empty()) {
        const auto row = tx.exec_params("SELECT route, request_hash, status, response FROM content.idempotency_keys "
                                        "WHERE user_id = $1 AND key = $2",
                                        userId, k);
        if (row.empty())
            return Community::fail(ErrorCode::Unavailable, QStringLiteral("Please retry the request."));
        const pqxx::binarystring storedHash(row[0][1]);
        const QByteArray stored(reinterpret_cast<const char *>(storedHash.data()), qsizetype(storedHash.size()));
        if (row[0][0].as<std::string>() != route || stored != key->hash) {
            return Community::Http::problem(
                422, QStringLiteral("idempotency-key-reused"), QStringLiteral("Idempotency-Key reused"),
                QStringLiteral("This Idempotency-Key was already used for a different request."));
        }
        const pqxx::binarystring body(row[0][3]);
        HttpResponse resp;
        resp.status = row[0][2].as<int>();
        resp.body = QByteArray(reinterpret_cast<const char *>(body.data()), qsizetype(body.size()));
        resp.setHeader("Content-Type", "application/json");
        resp.setHeader("Idempotent-Replayed", "true");
        return resp;
    }
    auto resp = create();
    if (!resp)
        return resp;
    if (resp->status >= 200 && resp->status < 300) {
        tx.exec_params("UPDATE content.idempotency_keys SET status = $3, response = $4 WHERE user_id = $1 AND key = $2",
                       userId, k, resp->status,
                       pqxx::binarystring(resp->body.constData(), size_t(resp->body.size())));
    } else {
        tx.exec_params("DELETE FROM content.idempotency_keys WHERE user_id = $1 AND key = $2", userId, k);
    }
    return resp;
}

Result<qint64> pruneIdempotencyKeys(pqxx::work &tx, int hours)
{
    const auto r = tx.exec_params("DELETE FROM content.idempotency_keys WHERE created_at < now() - make_interval(hours => $1)",
                                  hours);
    return qint64(r.affected_rows());
}

// ---- mentions ----------------------------------------------------------------------

Result<QList<Community::Contracts::UserRecord>> resolveMentions(const ContentContext &ctx, const QStringList &names,
                                                                 qint64 authorId)
{
    QList<Community::Contracts::UserRecord> users;
    QSet<qint64> seen;
    for (const QString &name : names) {
        if (users.size() >= ctx.config.maxMentions)
            break;
        auto u = ctx.directory.findByUsername(name);
        if (!u) {
            if (u.error().code == ErrorCode::NotFound)
                continue;
            return tl::unexpected(u.error());
        }
        if (u->id == authorId || seen.contains(u->id) || u->state != Community::Contracts::AccountState::Active)
            continue;
        seen.insert(u->id);
        users.append(*u);
    }
    return users;
}

Result<PreparedBody> prepareBody(const ContentContext &ctx, const QString &markdown, qint64 authorId)
{
    auto rendered = renderBody(markdown, ctx.config);
    if (!rendered)
        return tl::unexpected(rendered.error());
    auto mentioned = resolveMentions(ctx, rendered->mentions, authorId);
    if (!mentioned)
        return tl::unexpected(mentioned.error());
    return PreparedBody{std::move(*rendered), std::move(*mentioned)};
}

QList<Community::Contracts::UserRecord> newlyMentioned(const ContentContext &ctx, const QString &oldMarkdown,
                                                       const QList<Community::Contracts::UserRecord> &mentioned)
{
    if (mentioned.isEmpty())
        return {};
    auto before = renderBody(oldMarkdown, ctx.config);
    const QStringList previous = before ? before->mentions : QStringList();
    QList<Community::Contracts::UserRecord> fresh;
    for (const auto &u : mentioned)
        if (!previous.contains(u.username, Qt::CaseInsensitive))
            fresh.append(u);
    return fresh;
}

Result<void> publishMentions(pqxx::transaction_base &tx, const ContentContext &ctx,
                             const QList<Community::Contracts::UserRecord> &users, const QJsonObject &source)
{
    for (const auto &u : users) {
        QJsonObject payload = source;
        payload.insert(QStringLiteral("userId"), idString(u.id));
        payload.insert(QStringLiteral("username"), u.username);
        auto r = ctx.events.publish(tx, QStringLiteral("content.user.mentioned"),
                                    QStringLiteral("user:%1").arg(u.id), payload);
        if (!r)
            return tl::unexpected(r.error());
    }
    return {};
}

} // namespace Content
