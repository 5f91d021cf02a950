// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Builds the answer to a download: status from the conditional/range decision, the body
/// (whole, one range, or multipart/byteranges), and the headers every user file carries
/// (ETag, Cache-Control, Content-Disposition with a safe name, nosniff, a sandboxing CSP).
/// Blocking (opens or reads the blob): run on a worker. A whole file or a single range from
/// a store with local files is sent by the connection from the file (HttpResponse::file).

#include "community/http.h"
#include "community/result.h"

namespace Files {

class IBlobStore;
struct FileRecord;

struct DownloadHeaders {
    QByteArray ifNoneMatch;
    QByteArray ifRange;
    QByteArray range;
    bool isPublic = true;
};

Community::Result<Community::Http::HttpResponse> downloadResponse(IBlobStore &store, const FileRecord &file,
                                                                  const DownloadHeaders &request);

/// Content-Disposition for `name` (RFC 6266, with RFC 8187/5987 filename* for non-ASCII).
QByteArray contentDisposition(bool inlineView, const QString &name);

} // namespace Files
