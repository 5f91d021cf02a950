// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "blobstore.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>

using namespace Community;

namespace Files {

bool isSha256Hex(QByteArrayView name)
{
    if (name.size() != 64)
        return false;
    for (char c : name) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

Result<void> IBlobStore::copyTo(const QByteArray &sha, const QString &path) const
{
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fail(ErrorCode::Internal, QStringLiteral("The file could not be read."), QStringLiteral("cannot create %1").arg(path));
    constexpr qint64 slice = 4 * 1024 * 1024;
    for (qint64 at = 0;; at += slice) {
        auto part = read(sha, at, slice);
        if (!part)
            return tl::unexpected(part.error());
        if (out.write(*part) != part->size())
            return fail(ErrorCode::Internal, QStringLiteral("The file could not be read."), out.errorString());
        if (part->size() < slice)
            return {};
    }
}

QString LocalBlobStore::pathOf(const QByteArray &sha) const
{
    return QStringLiteral("%1/blobs/%2/%3/%4")
        .arg(m_root, QLatin1String(sha.left(2)), QLatin1String(sha.mid(2, 2)), QLatin1String(sha));
}

Result<bool> LocalBlobStore::put(const QByteArray &sha, const QString &tempPath)
{
    if (!isSha256Hex(sha))
        return fail(ErrorCode::Internal, QStringLiteral("The file could not be stored."), QStringLiteral("bad blob name"));
    const QString target = pathOf(sha);
    if (QFileInfo::exists(target))
        return false;
    if (!QDir().mkpath(QFileInfo(target).path()))
        return fail(ErrorCode::Internal, QStringLiteral("The file could not be stored."),
                    QStringLiteral("cannot create %1").arg(QFileInfo(target).path()));
    // rename() is atomic: a reader sees the whole blob or none (the spool directory is
    // on the same file system, under the data directory).
    if (std::rename(QFile::encodeName(tempPath).constData(), QFile::encodeName(target).constData()) != 0) {
        const int err = errno;
        if (err != EXDEV || !QFile::copy(tempPath, target + QStringLiteral(".part"))
            || !QFile::rename(target + QStringLiteral(".part"), target))
            return fail(ErrorCode::Internal, QStringLiteral("The file could not be stored."),
                        QStringLiteral("rename to %1: %2").arg(target, QString::fromLocal8Bit(strerror(err))));
        QFile::remove(tempPath);
    }
    QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup);
    return true;
}

bool LocalBlobStore::exists(const QByteArray &sha) const
{
    return isSha256Hex(sha) && QFileInfo::exists(pathOf(sha));
}

Result<QByteArray> LocalBlobStore::read(const QByteArray &sha, qint64 offset, qint64 length) const
{
    QFile f(pathOf(sha));
    if (!isSha256Hex(sha) || !f.open(QIODevice::ReadOnly) || !f.seek(offset))
        return fail(ErrorCode::NotFound, QStringLiteral("The file's content is missing."), f.errorString());
    QByteArray out = f.read(length);
    if (out.size() != qMin(length, f.size() - offset))
        return fail(ErrorCode::Internal, QStringLiteral("The file could not be read."), f.errorString());
    return out;
}

Result<void> LocalBlobStore::remove(const QByteArray &sha)
{
    const QString path = pathOf(sha);
    if (!isSha256Hex(sha) || (QFileInfo::exists(path) && !QFile::remove(path)))
        return fail(ErrorCode::Internal, QStringLiteral("The blob could not be removed."), path);
    return {};
}

Result<QList<QByteArray>> LocalBlobStore::list() const
{
    QList<QByteArray> out;
    QDirIterator it(m_root + QStringLiteral("/blobs"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QByteArray name = it.next().section(QLatin1Char('/'), -1).toLatin1();
        if (isSha256Hex(name))
            out.append(name);
    }
    return out;
}

} // namespace Files
