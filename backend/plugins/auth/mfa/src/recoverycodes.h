// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Two-factor recovery codes: 10 single-use codes like "abcd-efgh-ijkl" (12 symbols of the
/// base32 alphabet = 60 random bits), shown once and stored only as keyed hashes.
/// Thread-safe (immutable after construction).

#include "community/config.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Auth::Mfa {

class RecoveryCodes {
public:
    static constexpr int kCount = 10;

    /// `pepper`: a per-install secret (config `recoveryCodePepper`); may be empty.
    explicit RecoveryCodes(Community::Secret pepper = {});

    /// kCount distinct fresh codes, formatted "xxxx-xxxx-xxxx".
    QStringList generate() const;
    /// Lower-case, without separators; nullopt if it cannot be a recovery code.
    static std::optional<QString> normalize(const QString &input);
    /// The stored form (hex) of a code for one user; nullopt for malformed input.
    std::optional<QString> hash(qint64 userId, const QString &code) const;
    /// Index into `storedHashes` of the one matching `code`, or -1. Compares against every
    /// entry in constant time (no early exit), so timing reveals neither which nor whether.
    int match(qint64 userId, const QString &code, const QStringList &storedHashes) const;

private:
    QByteArray m_key;
};

} // namespace Auth::Mfa
