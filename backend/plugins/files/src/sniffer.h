// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What a stored file really is: its media type sniffed from the content with libmagic
/// (never the client's Content-Type or the name), and structural checks that refuse
/// polyglots (an image that is also a ZIP, data hidden after an image's end).
/// Threading: any thread; each thread keeps its own libmagic handle (libmagic handles are
/// not thread-safe). Blocking file I/O: run on a worker.

#include "community/result.h"

#include <QByteArray>
#include <QString>

namespace Files {

/// The media type libmagic reads from the file's content ("image/jpeg"), or an error
/// when the file cannot be read or libmagic cannot load its database.
Community::Result<QString> sniffMediaType(const QString &path);

/// Empty when the file is one thing only; otherwise why it is a polyglot or carries data
/// after its end ("zip-archive-inside", "data-after-end"). `mediaType` is the sniffed type.
QString polyglotReason(const QString &path, const QString &mediaType);

/// SHA-256 of the file's content in lower-case hex (read in 64 KiB blocks).
Community::Result<QByteArray> sha256OfFile(const QString &path);

/// The media type a file name's extension claims, or empty when unknown or none
/// (".jpg" and ".jpeg" -> image/jpeg, ".png", ".gif", ".webp", ".pdf", ".txt", ".zip", ".svg").
QString mediaTypeForName(const QString &name);

/// The file extension we use for a media type ("jpg", "png", ...; "bin" when unknown).
QString extensionFor(const QString &mediaType);

} // namespace Files
