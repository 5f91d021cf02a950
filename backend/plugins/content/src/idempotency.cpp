// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "idempotency.h"

#include "community/problem.h"

#include <QCryptographicHash>

#include <optional>

using Community::ErrorCode;
using Community::Result;
using Community::Http::HttpRequest;
using Community::Http::HttpResponse;

namespace Content {

Result<std::optional<IdempotencyKey>> idempotencyKey(const HttpRequest &req)
{
    const QByteArray raw = req.header("idempotency-key");
    if (raw.isNull())
        return std::optional<IdempotencyKey>{};
    bool ok = !raw.isEmpty() && raw.size() <= 255;
    for (char c : raw)
        ok = ok && c > 0x20 && c < 0x7f;
    if (!ok)
        return tl::unexpected(Community::invalidField(QStringLiteral("Idempotency-Key"),
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
        const auto row = tx.exec_params("SELECT route, request_hash, status, response, location FROM content.idempotency_keys "
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
        if (!row[0][4].is_null())
            resp.setHeader("Location", QByteArray::fromStdString(row[0][4].as<std::string>()));
        // The first answer's status (201), not 200: a retry cannot tell a replay from the
        // first answer by status, only by this header (as Stripe does).
        resp.setHeader("Idempotent-Replayed", "true");
        return resp;
    }
    auto resp = create();
    if (!resp)
        return resp;
    if (resp->status >= 200 && resp->status < 300) {
        const QByteArray location = resp->header("Location");
        tx.exec_params("UPDATE content.idempotency_keys SET status = $3, response = $4, location = $5 "
                       "WHERE user_id = $1 AND key = $2",
                       userId, k, resp->status, pqxx::binarystring(resp->body.constData(), size_t(resp->body.size())),
                       location.isEmpty() ? std::optional<std::string>() : std::optional<std::string>(location.toStdString()));
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

} // namespace Content
