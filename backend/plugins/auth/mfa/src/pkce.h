// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// RFC 7636 PKCE (S256 only) and OAuth `state` values. Pure functions, thread-safe.

#include <QByteArray>
#include <QString>

namespace Auth::Mfa::Pkce {

/// base64url without padding.
QString base64Url(QByteArrayView data);
/// A code_verifier: 32 random bytes, base64url = 43 characters of [A-Za-z0-9-_].
QString generateVerifier();
/// True for 43..128 characters of the RFC 7636 unreserved set [A-Za-z0-9-._~].
bool isValidVerifier(const QString &verifier);
/// S256: base64url(SHA-256(ASCII(verifier))).
QString challengeS256(const QString &verifier);
/// An unguessable `state`: 32 random bytes, base64url.
QString generateState();
/// Hex SHA-256, for storing bearer-like values (state, MFA tokens) without keeping them.
QString sha256Hex(const QString &value);

} // namespace Auth::Mfa::Pkce
