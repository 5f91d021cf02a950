// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A multipart/form-data upload (RFC 7578) read from its spooled body: exactly one file
/// part named "file" (its content copied to a file of its own beside the spool file) and
/// the optional text fields "purpose" and "name" (at most 255 bytes, UTF-8, no control
/// characters). Unknown parts, a second file part, and fields also given in the query are
/// refused (400). The spool file is read 64 KiB at a time: memory does not grow with the
/// body. Blocking I/O: call on a worker (docs/adr/0029).

#include "filesservice.h"

#include "community/result.h"

namespace Files {

/// Replaces `input`'s body with the form's file part and fills purpose, name and declared
/// type from the form: the purpose field when the query had none; the name field, else
/// the query's (or path's) name, else the file part's filename without its path. The
/// multipart body itself stays owned by its SpooledBody.
Community::Result<void> readMultipartUpload(UploadInput &input, const QByteArray &boundary, bool purposeGiven,
                                            bool nameGiven);

} // namespace Files
