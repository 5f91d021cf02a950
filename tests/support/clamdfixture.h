// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A real clamd (Debian clamav-daemon) for tests of the files scanning hook: its own
/// temporary folder with a clamd.conf, a DatabaseDirectory holding only a locally written
/// signature file (community-test.ndb: matches the EICAR test string; no freshclam, no
/// network) and a unix socket. Threading: the test's thread.

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace Community::Test {

class ClamdFixture {
public:
    /// The signature's name as clamd reports it (".UNOFFICIAL" marks a local signature).
    static QString signatureName() { return QStringLiteral("Community.Test.EICAR.UNOFFICIAL"); }
    /// The 68-byte EICAR anti-virus test file.
    static QByteArray eicar();

    ClamdFixture() = default;
    ~ClamdFixture();

    /// Writes the configuration and signature, starts clamd in the foreground and waits
    /// until its socket answers PING; false with `error` set (clamd missing: install-deps.sh).
    bool start(QString *error, int timeoutMs = 60'000);
    /// SIGTERM and wait (the socket goes away).
    void stop();
    QString socketPath() const;
    QByteArray output();

private:
    QTemporaryDir m_dir{QStringLiteral("/tmp/community-clamd-XXXXXX")};
    std::unique_ptr<QProcess> m_process;
};

} // namespace Community::Test
