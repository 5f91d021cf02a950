// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `plugins.files.s3`: where an S3-compatible object store is and how to sign for it
/// (ADR 0030). Read only when `plugins.files.storage` is "s3"; the secret is a
/// Community::Secret (never logged; `secretAccessKeyFile` may name a file holding it).

#include "community/config.h"
#include "community/result.h"

#include <QString>

namespace Files {

struct S3Config {
    QString endpoint;                 ///< "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000"
    QString region = QStringLiteral("us-east-1");
    QString bucket;
    QString accessKeyId;
    Community::Secret secretAccessKey;
    bool pathStyle = true;            ///< <endpoint>/<bucket>/<key>; false: <bucket>.<endpoint host>/<key>
    int timeoutMs = 10'000;           ///< connect timeout, whole-request timeout of small calls, stall limit of transfers
    int listPageSize = 1000;          ///< ListObjectsV2 max-keys (files verify); small in tests
    QString prefix = QStringLiteral("blobs/");   ///< key prefix of blobs (fixed layout, not configurable)
};

/// Reads the `s3` object of plugins.files (`reader` is its child reader); missing or bad
/// values are errors naming their path, checked at startup.
Community::Result<S3Config> readS3Config(Community::ConfigReader &reader);

} // namespace Files
