// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The optional malware scanning hook of uploads (plugins.files.scan, ADR 0031): an
/// external command given the file's path (argv, no shell; exit 0 clean, 1 infected,
/// anything else an error) or clamd's INSTREAM protocol over a unix socket or TCP.
/// Threading: scan() blocks (process, socket) and is called on the database's worker
/// pool; a Scanner is immutable after construction and may be used by several threads.

#include "community/result.h"

#include <QString>
#include <QStringList>

namespace Community { class ConfigReader; }

namespace Files {

struct ScanConfig {
    enum class Mode { Off, Command, Clamd };
    enum class Action { Reject, Quarantine };   ///< what an infected file gets
    enum class OnError { Reject, Allow };       ///< what a file gets when the scanner fails

    Mode mode = Mode::Off;
    QStringList command;              ///< program and its leading arguments; the path is appended
    QString clamd;                    ///< "/run/clamav/clamd.ctl" (unix socket) or "host:port"
    int timeoutMs = 30000;            ///< per scan: process run time, socket connect/read/write
    qint64 streamMaxLength = 25LL * 1024 * 1024;   ///< clamd's StreamMaxLength: larger files are not sent
    Action action = Action::Reject;
    OnError onError = OnError::Reject;

    bool enabled() const { return mode != Mode::Off; }
};

/// Reads plugins.files.scan (`command` or `clamd`, `timeoutMs`, `streamMaxLength`,
/// `action`, `onError`); errors name the key.
Community::Result<ScanConfig> readScanConfig(Community::ConfigReader &scan);

struct ScanVerdict {
    bool infected = false;
    QString signature;   ///< the scanner's name for what it found (logs and admins only)
};

class Scanner {
public:
    explicit Scanner(ScanConfig config) : m_config(std::move(config)) {}

    /// Scans the file at `path`. An error (type "scanner-unavailable") when the scanner
    /// cannot answer: not running, timeout, crash, unexpected reply, file over
    /// streamMaxLength. The error's message is for logs, not for users.
    Community::Result<ScanVerdict> scan(const QString &path) const;

    const ScanConfig &config() const { return m_config; }
    /// "command" or "clamd" (metrics, logs).
    QString kind() const;

private:
    Community::Result<ScanVerdict> runCommand(const QString &path) const;
    Community::Result<ScanVerdict> askClamd(const QString &path) const;

    ScanConfig m_config;
};

/// Parses one clamd reply ("stream: OK", "stream: Eicar-Signature FOUND",
/// "INSTREAM size limit exceeded. ERROR"); exposed for tests.
Community::Result<ScanVerdict> parseClamdReply(const QByteArray &reply);

} // namespace Files
