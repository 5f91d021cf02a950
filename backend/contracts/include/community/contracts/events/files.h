// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Events the files plugin publishes (producer: files). Consumers read them with
/// T::fromJson(payload); ids travel as decimal strings. Pure values; safe on any thread.

#include "community/contracts/events/eventjson.h"

#include <QLatin1StringView>

#include <optional>

namespace Community::Contracts::Events::Files {

inline constexpr int kVersion = 1;

namespace Type {
inline constexpr QLatin1StringView UploadStored{"files.upload.stored"};
} // namespace Type

/// files.upload.stored: a new upload was stored (not a deduplicated re-upload of the
/// owner's own file). No name, no content hash: what and how much, not which.
struct UploadStored {
    static constexpr QLatin1StringView type = Type::UploadStored;
    qint64 fileId = 0;
    qint64 ownerId = 0;
    QString mediaType;
    qint64 bytes = 0;

    QString typeName() const { return type; }
    QString aggregate() const { return QStringLiteral("file:%1").arg(fileId); }
    QJsonObject toJson() const
    {
        return QJsonObject{{QStringLiteral("fileId"), Json::id(fileId)}, {QStringLiteral("ownerId"), Json::id(ownerId)},
                           {QStringLiteral("mediaType"), mediaType}, {QStringLiteral("bytes"), double(bytes)}};
    }
    static std::optional<UploadStored> fromJson(const QJsonObject &o)
    {
        const auto id = Json::toId(o.value(QStringLiteral("fileId")));
        const auto owner = Json::toId(o.value(QStringLiteral("ownerId")));
        if (!id || !owner)
            return std::nullopt;
        return UploadStored{*id, *owner, o.value(QStringLiteral("mediaType")).toString(),
                            qint64(o.value(QStringLiteral("bytes")).toDouble())};
    }
};

} // namespace Community::Contracts::Events::Files
