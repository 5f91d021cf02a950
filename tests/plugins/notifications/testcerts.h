// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

// Throwaway certificate authorities for the TLS tests, made with the openssl command line
// tool in a temporary folder: a CA and a server certificate it signed for 127.0.0.1 and
// localhost (P-256 keys, valid for two days).

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace Notifications::Test {

struct TestCa {
    QString caFile, certFile, keyFile;   ///< CA certificate; server certificate and key

    /// Makes a CA named `name` and a server certificate for `altNames` in `dir`. False
    /// (with `error`) on failure.
    bool make(const QString &dir, const QString &name, QString *error,
              const QString &altNames = QStringLiteral("IP:127.0.0.1,DNS:localhost"))
    {
        const QString base = QDir(dir).filePath(name);
        caFile = base + QStringLiteral("-ca.pem");
        certFile = base + QStringLiteral("-server.pem");
        keyFile = base + QStringLiteral("-server.key");
        QFile ext(base + QStringLiteral(".ext"));
        if (!ext.open(QIODevice::WriteOnly))
            return false;
        ext.write("subjectAltName=" + altNames.toUtf8() + "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        ext.close();
        const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                             QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
        const QList<QStringList> steps{
            QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec
                + QStringList{QStringLiteral("-keyout"), base + QStringLiteral("-ca.key"), QStringLiteral("-out"), caFile,
                              QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=") + name,
                              QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                              QStringLiteral("-addext"), QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
            QStringList{QStringLiteral("req"), QStringLiteral("-new")} + ec
                + QStringList{QStringLiteral("-keyout"), keyFile, QStringLiteral("-out"), base + QStringLiteral(".csr"),
                              QStringLiteral("-subj"), QStringLiteral("/CN=localhost")},
            QStringList{QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), base + QStringLiteral(".csr"),
                        QStringLiteral("-CA"), caFile, QStringLiteral("-CAkey"), base + QStringLiteral("-ca.key"),
                        QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), certFile, QStringLiteral("-days"),
                        QStringLiteral("2"), QStringLiteral("-extfile"), base + QStringLiteral(".ext")},
        };
        for (const QStringList &args : steps) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(QStringLiteral("openssl"), args);
            if (!p.waitForFinished(30'000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
                if (error)
                    *error = QStringLiteral("openssl %1: %2").arg(args.join(u' '), QString::fromUtf8(p.readAll()));
                return false;
            }
        }
        return true;
    }
};

} // namespace Notifications::Test
