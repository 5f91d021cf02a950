// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A streaming multipart/form-data parser (RFC 7578 over RFC 2046), fed in chunks of any
/// size: memory stays bounded by the largest chunk plus the header limit, whatever the
/// body's size. It checks the framing (delimiters, header blocks, the closing delimiter)
/// and reads Content-Disposition (name, filename, RFC 5987 filename*); what the parts
/// may be is the caller's rule (see readMultipartUpload). Pure, no I/O; one thread.
/// Errors are InvalidArgument values of problem type "malformed-multipart" with a field
/// error on "body" (or the Content-Type header) whose code says what was wrong.

#include "community/result.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <optional>

namespace Files {

struct MultipartPart {
    QString name;              ///< Content-Disposition name
    std::optional<QString> filename;   ///< filename* (decoded) if sent, else filename; as sent
    QByteArray contentType;    ///< the part's Content-Type, lower-cased, without parameters
};

struct MultipartLimits {
    int maxHeaderBytes = 8 * 1024;   ///< one part's header block
    int maxParts = 16;
    int maxPreambleBytes = 1024;
};

class MultipartParser {
public:
    struct Handlers {
        /// A part's headers are complete. Return an error to stop.
        std::function<Community::Result<void>(const MultipartPart &)> begin;
        /// Some of the current part's content (any split).
        std::function<Community::Result<void>(const char *, qsizetype)> data;
        /// The current part's content is complete.
        std::function<Community::Result<void>()> end;
    };

    MultipartParser(QByteArray boundary, Handlers handlers, MultipartLimits limits = {});

    /// Feeds the next bytes; false after an error (error() says which), then ignores input.
    bool feed(const char *data, qsizetype size);
    /// The body has ended: false unless the closing delimiter was seen.
    bool finish();
    const Community::Error &error() const { return m_error; }

private:
    enum class State { Preamble, AfterDelimiter, Headers, Body, Done, Failed };
    bool step();
    bool fail(const QString &code, const QString &message);
    bool failWith(Community::Error e);

    QByteArray m_delimiter;   ///< "\r\n--" + boundary
    Handlers m_handlers;
    MultipartLimits m_limits;
    State m_state = State::Preamble;
    QByteArray m_buf;         ///< unconsumed input (bounded)
    qint64 m_preamble = 0;
    int m_parts = 0;
    Community::Error m_error;
};

/// The boundary parameter of a multipart/form-data Content-Type, checked per RFC 2046
/// (1-70 characters of bchars, not ending in a space); nullopt when the type is not
/// multipart/form-data; an error (field Content-Type) when the boundary is bad or missing.
std::optional<Community::Result<QByteArray>> multipartBoundary(const QByteArray &contentType);

/// A client's file name without its path: everything up to the last '/' or '\' goes.
QString baseFileName(const QString &name);

} // namespace Files
