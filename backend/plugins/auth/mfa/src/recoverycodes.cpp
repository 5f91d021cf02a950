// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "recoverycodes.h"

#include <QSet>

#include <sodium.h>

// Why a keyed BLAKE2b (crypto_generichash) and not Argon2 (crypto_pwhash_str):
// - A code carries 60 random bits, not a human password: brute-forcing one hash of a
//   stolen table costs ~2^59 BLAKE2b evaluations per code, and with the per-install pepper
//   (kept out of the database) a table dump alone is useless. The user id is mixed in, so
//   nothing can be precomputed across accounts.
// - A deterministic hash fits the (user_id, code_hash) primary key and lets verification
//   compare all ten codes at once in constant time; ten Argon2 runs (64 MiB each at the
//   interactive limits) per login attempt would be a cheap way to exhaust the worker pool.

namespace Auth::Mfa {

namespace {
constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr int kSymbols = 12;
constexpr char kDomain[] = "community.auth.recovery-code.v1";
} // namespace

RecoveryCodes::RecoveryCodes(Community::Secret pepper)
{
    if (sodium_init() < 0)
        qFatal("libsodium failed to initialise");
    // The pepper of any length becomes a 32-byte BLAKE2b key; empty pepper: a fixed
    // domain key, so the construction is the same and a pepper can be added later only
    // by regenerating codes (documented in the config reference).
    const QByteArray material = QByteArray(kDomain) + '\0' + pepper.reveal().toUtf8();
    m_key.resize(crypto_generichash_KEYBYTES);
    crypto_generichash(reinterpret_cast<unsigned char *>(m_key.data()), size_t(m_key.size()),
                       reinterpret_cast<const unsigned char *>(material.constData()), size_t(material.size()),
                       nullptr, 0);
}

QStringList RecoveryCodes::generate() const
{
    QSet<QString> seen;
    QStringList out;
    while (out.size() < kCount) {
        unsigned char raw[kSymbols];
        randombytes_buf(raw, sizeof raw);
        QString code;
        for (int i = 0; i < kSymbols; ++i) {
            if (i > 0 && i % 4 == 0)
                code.append(QLatin1Char('-'));
            code.append(QLatin1Char(kAlphabet[raw[i] & 0x1f]));  // 256 % 32 == 0: unbiased
        }
        if (!seen.contains(code)) {
            seen.insert(code);
            out.append(code);
        }
    }
    return out;
}

std::optional<QString> RecoveryCodes::normalize(const QString &input)
{
    QString out;
    for (QChar c : input) {
        if (c == QLatin1Char('-') || c == QLatin1Char(' '))
            continue;
        const QChar l = c.toLower();
        const char16_t u = l.unicode();
        if (!((u >= 'a' && u <= 'z') || (u >= '2' && u <= '7')))
            return std::nullopt;
        out.append(l);
    }
    if (out.size() != kSymbols)
        return std::nullopt;
    return out;
}

std::optional<QString> RecoveryCodes::hash(qint64 userId, const QString &code) const
{
    const auto norm = normalize(code);
    if (!norm)
        return std::nullopt;
    const QByteArray msg = QByteArray::number(userId) + ':' + norm->toLatin1();
    unsigned char out[32];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char *>(msg.constData()), size_t(msg.size()),
                       reinterpret_cast<const unsigned char *>(m_key.constData()), size_t(m_key.size()));
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(out), sizeof out).toHex());
}

int RecoveryCodes::match(qint64 userId, const QString &code, const QStringList &storedHashes) const
{
    const auto h = hash(userId, code);
    const QByteArray given = h ? h->toLatin1() : QByteArray(64, '\0');
    int found = -1;
    for (int i = 0; i < storedHashes.size(); ++i) {
        const QByteArray stored = storedHashes.at(i).toLatin1();
        const bool equal = stored.size() == given.size()
                           && sodium_memcmp(stored.constData(), given.constData(), size_t(given.size())) == 0;
        if (equal && h && found < 0)
            found = i;
    }
    return found;
}

} // namespace Auth::Mfa
