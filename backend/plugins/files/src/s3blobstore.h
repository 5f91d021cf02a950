// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// IBlobStore on an S3-compatible object store (AWS S3, MinIO, Ceph RGW, s3rver), through
/// libcurl with its built-in AWS Signature V4 (CURLOPT_AWS_SIGV4). Blobs are the objects
/// `blobs/ab/cd/<sha256>` of one bucket, path-style or virtual-host style.
/// - put: HEAD first (dedup), then a PUT streamed from the temporary file with its
///   Content-Length and `x-amz-content-sha256` (the SHA-256 is the blob's name); the
///   temporary file is removed once the object is stored (the local store moves it).
/// - read: GET with `Range`; remove: DELETE; list: ListObjectsV2 page by page
///   (continuation tokens); exists: HEAD.
/// Every call first asks the fault layer (Community::Outbound, service "s3") and answers
/// Unavailable when S3 cannot be reached, times out, or answers 5xx; a refused signature
/// (403) is Internal with S3's error code in the log detail. The secret never reaches a
/// log, an error or a URL.
/// Threading: blocking (curl easy handle per call), safe for concurrent use; call from
/// workers, never from an event loop.

#include "blobstore.h"
#include "s3config.h"

#include <QUrlQuery>

namespace Files {

class S3BlobStore final : public IBlobStore {
public:
    explicit S3BlobStore(S3Config config);

    Community::Result<bool> put(const QByteArray &sha256, const QString &tempPath) override;
    bool exists(const QByteArray &sha256) const override;
    Community::Result<QByteArray> read(const QByteArray &sha256, qint64 offset, qint64 length) const override;
    Community::Result<void> remove(const QByteArray &sha256) override;
    Community::Result<QList<QByteArray>> list() const override;
    QString localPath(const QByteArray &) const override { return {}; }
    /// fetchRange() into the temporary folder (setTempDirectory()).
    Community::Result<int> rangeToTempFile(const QByteArray &sha256, qint64 offset, qint64 length) const override
    {
        return fetchRange(sha256, offset, length, m_tempDir);
    }
    /// Where downloads are staged (on the node's disk; the files storage folder).
    void setTempDirectory(QString dir) { m_tempDir = std::move(dir); }

    /// `length` bytes from `offset` written to an unnamed temporary file in `dir`
    /// (O_TMPFILE): its descriptor (the caller closes it), or an error. Memory stays
    /// bounded by curl's buffer whatever the length (downloads).
    Community::Result<int> fetchRange(const QByteArray &sha256, qint64 offset, qint64 length, const QString &dir) const;
    /// HEAD on the bucket: reachable, the bucket exists and the credentials are accepted.
    /// The error message is for an operator (names endpoint, bucket and S3's error code).
    Community::Result<void> checkBucket() const;
    /// Whether the object exists (HEAD), with errors kept apart from "no".
    Community::Result<bool> head(const QByteArray &sha256) const;

    QString keyOf(const QByteArray &sha256) const;
    const S3Config &config() const { return m_config; }

    struct Call;   // one request's description (s3blobstore.cpp)
    struct Answer {
        long status = 0;
        QByteArray body;
    };

private:
    Community::Result<Answer> perform(const Call &call) const;

    S3Config m_config;
    int m_pageSize = 1000;
    QString m_tempDir;
};

} // namespace Files
