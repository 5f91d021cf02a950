// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/client/apireply.h"

#include <QJsonDocument>

namespace Community::Client {

ApiRequest ApiRequest::withJson(QByteArray method, QString path, const QJsonObject &body)
{
    ApiRequest request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return request;
}

std::optional<QJsonObject> ApiReply::jsonObject() const
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

QByteArray ApiReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

ApiError ApiReply::error() const
{
    const QString where = url.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveUserInfo);
    switch (outcome) {
    case Outcome::Ok:
    case Outcome::HttpError:
        return apiErrorFromHttp(status, reasonPhrase, body, where);
    case Outcome::Unreachable:
    case Outcome::Cancelled:
        break;
    }
    ApiError e;
    // Cancelling is the caller's own decision; report it like a dependency that went away.
    e.code = timedOut ? ErrorCode::Timeout : ErrorCode::Unavailable;
    e.message = transportError;
    e.logDetail = QStringLiteral("%1: %2").arg(where, transportError);
    return e;
}

} // namespace Community::Client
