// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "sniffer.h"

#include <QCryptographicHash>
#include <QFile>
#include <QHash>

#include <magic.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

using namespace Community;

namespace Files {

namespace {

constexpr size_t kSniffBytes = 1024 * 1024;

/// A loaded libmagic handle. Loading maps the 8 MB magic database privately and each
/// handle keeps its own match buffers: about 9 MB resident per handle once used.
struct MagicHandle {
    magic_t cookie = nullptr;
    bool loaded = false;
    MagicHandle()
    {
        cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
        loaded = cookie && magic_load(cookie, nullptr) == 0;
        // libmagic reads up to 7 MiB of a file by default (and its text analysis allocates
        // several bytes per byte read). The first 1 MiB decides the type of everything on
        // the allowlists.
        const size_t bytesMax = kSniffBytes;
        if (loaded)
            magic_setparam(cookie, MAGIC_PARAM_BYTES_MAX, &bytesMax);
    }
    ~MagicHandle()
    {
        if (cookie)
            magic_close(cookie);
    }
    MagicHandle(const MagicHandle &) = delete;
    MagicHandle &operator=(const MagicHandle &) = delete;
};

/// A few handles shared by every worker thread. One handle per thread cost ~9 MB for each
/// of the pool's threads that ever sniffed (20 concurrent uploads: +65 MiB RSS); sniffing
/// 1 MiB takes milliseconds, so a worker waiting for a handle waits briefly, and memory
/// no longer grows with the number of threads (issue 13).
class MagicPool {
public:
    static constexpr int kHandles = 2;

    class Lease {
    public:
        Lease(MagicPool &pool, MagicHandle *h) : m_pool(pool), m_handle(h) {}
        ~Lease() { m_pool.release(m_handle); }
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        MagicHandle *operator->() const { return m_handle; }
    private:
        MagicPool &m_pool;
        MagicHandle *m_handle;
    };

    static MagicPool &instance()
    {
        static MagicPool pool;
        return pool;
    }

    Lease acquire()
    {
        std::unique_lock lock(m_mutex);
        m_available.wait(lock, [this] { return !m_idle.empty() || int(m_handles.size()) < kHandles; });
        if (!m_idle.empty()) {
            MagicHandle *h = m_idle.back();
            m_idle.pop_back();
            return Lease(*this, h);
        }
        m_handles.push_back(std::make_unique<MagicHandle>());
        return Lease(*this, m_handles.back().get());
    }

private:
    void release(MagicHandle *h)
    {
        {
            std::lock_guard lock(m_mutex);
            m_idle.push_back(h);
        }
        m_available.notify_one();
    }

    std::mutex m_mutex;
    std::condition_variable m_available;
    std::vector<std::unique_ptr<MagicHandle>> m_handles;
    std::vector<MagicHandle *> m_idle;
};

constexpr qint64 kZipTail = 65535 + 22;   // the ZIP end record lies within this of the end

QByteArray readAt(QFile &f, qint64 offset, qint64 size)
{
    if (!f.seek(offset))
        return {};
    return f.read(size);
}

// Offset just after the JPEG's EOI marker, or -1 when the stream does not end properly.
qint64 jpegEnd(QFile &f)
{
    qint64 pos = 2;   // after SOI
    for (;;) {
        const QByteArray m = readAt(f, pos, 4);
        if (m.size() < 2 || uchar(m[0]) != 0xFF)
            return -1;
        const uchar type = uchar(m[1]);
        if (type == 0xD9)
            return pos + 2;
        if (type == 0x01 || (type >= 0xD0 && type <= 0xD7)) {
            pos += 2;
            continue;
        }
        if (m.size() < 4)
            return -1;
        const qint64 len = (uchar(m[2]) << 8) | uchar(m[3]);
        pos += 2 + len;
        if (type != 0xDA)
            continue;
        // Entropy-coded data: scan for the next marker that is not a stuffed 0xFF00 or a restart.
        for (;;) {
            const QByteArray block = readAt(f, pos, 64 * 1024);
            if (block.size() < 2)
                return -1;
            qsizetype i = 0;
            for (; i + 1 < block.size(); ++i) {
                if (uchar(block[i]) == 0xFF) {
                    const uchar n = uchar(block[i + 1]);
                    if (n != 0x00 && !(n >= 0xD0 && n <= 0xD7) && n != 0xFF)
                        break;
                }
            }
            pos += i;
            if (i + 1 < block.size())
                break;   // a marker at pos
        }
    }
}

// Offset just after the PNG's IEND chunk, or -1.
qint64 pngEnd(QFile &f)
{
    qint64 pos = 8;
    for (;;) {
        const QByteArray h = readAt(f, pos, 8);
        if (h.size() < 8)
            return -1;
        const qint64 len = (qint64(uchar(h[0])) << 24) | (uchar(h[1]) << 16) | (uchar(h[2]) << 8) | uchar(h[3]);
        pos += 12 + len;
        if (h.mid(4, 4) == "IEND")
            return pos;
    }
}

qint64 riffEnd(QFile &f)
{
    const QByteArray h = readAt(f, 4, 4);
    if (h.size() < 4)
        return -1;
    const qint64 len = qint64(uchar(h[0])) | (uchar(h[1]) << 8) | (uchar(h[2]) << 16) | (qint64(uchar(h[3])) << 24);
    return 8 + len + (len & 1);
}

} // namespace

Result<QString> sniffMediaType(const QString &path)
{
    const auto magic = MagicPool::instance().acquire();
    if (!magic->loaded)
        return fail(ErrorCode::Internal, QStringLiteral("The file type could not be determined."),
                    QStringLiteral("libmagic: cannot load the magic database"));
    const QByteArray native = QFile::encodeName(path);
    const char *type = magic_file(magic->cookie, native.constData());
    if (!type)
        return fail(ErrorCode::Internal, QStringLiteral("The file type could not be determined."),
                    QStringLiteral("libmagic: %1").arg(QString::fromUtf8(magic_error(magic->cookie))));
    return QString::fromLatin1(type);
}

QString polyglotReason(const QString &path, const QString &mediaType)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("unreadable");
    const qint64 size = f.size();
    if (mediaType != QLatin1String("application/zip")) {
        const qint64 from = qMax<qint64>(0, size - kZipTail);
        const QByteArray tail = readAt(f, from, size - from);
        if (tail.contains(QByteArrayView("PK\x05\x06", 4)))
            return QStringLiteral("zip-archive-inside");
        if (readAt(f, 0, 4) != QByteArrayView("PK\x03\x04", 4)
            && readAt(f, 0, 64 * 1024).contains(QByteArrayView("PK\x03\x04", 4))
            && mediaType.startsWith(QLatin1String("image/")))
            return QStringLiteral("zip-archive-inside");
    }
    qint64 end = size;
    if (mediaType == QLatin1String("image/jpeg"))
        end = jpegEnd(f);
    else if (mediaType == QLatin1String("image/png"))
        end = pngEnd(f);
    else if (mediaType == QLatin1String("image/webp"))
        end = riffEnd(f);
    else if (mediaType == QLatin1String("image/gif"))
        end = readAt(f, size - 1, 1) == QByteArrayView(";") ? size : -1;
    if (end < 0 || end > size)
        return QStringLiteral("truncated");
    if (end < size)
        return QStringLiteral("data-after-end");
    return {};
}

Result<QByteArray> sha256OfFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Internal, QStringLiteral("The upload could not be read."), f.errorString());
    QCryptographicHash h(QCryptographicHash::Sha256);
    QByteArray block(64 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 n = f.read(block.data(), block.size());
        if (n < 0)
            return fail(ErrorCode::Internal, QStringLiteral("The upload could not be read."), f.errorString());
        if (n == 0)
            break;
        h.addData(QByteArrayView(block.constData(), n));
    }
    return h.result().toHex();
}

QString mediaTypeForName(const QString &name)
{
    static const QHash<QString, QString> byExtension{
        {QStringLiteral("jpg"), QStringLiteral("image/jpeg")}, {QStringLiteral("jpeg"), QStringLiteral("image/jpeg")},
        {QStringLiteral("png"), QStringLiteral("image/png")},  {QStringLiteral("gif"), QStringLiteral("image/gif")},
        {QStringLiteral("webp"), QStringLiteral("image/webp")}, {QStringLiteral("pdf"), QStringLiteral("application/pdf")},
        {QStringLiteral("txt"), QStringLiteral("text/plain")}, {QStringLiteral("zip"), QStringLiteral("application/zip")},
        {QStringLiteral("svg"), QStringLiteral("image/svg+xml")}, {QStringLiteral("html"), QStringLiteral("text/html")},
        {QStringLiteral("htm"), QStringLiteral("text/html")},
    };
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    if (dot < 0)
        return {};
    return byExtension.value(name.mid(dot + 1).toLower());
}

QString extensionFor(const QString &mediaType)
{
    static const QHash<QString, QString> ext{
        {QStringLiteral("image/jpeg"), QStringLiteral("jpg")}, {QStringLiteral("image/png"), QStringLiteral("png")},
        {QStringLiteral("image/gif"), QStringLiteral("gif")},  {QStringLiteral("image/webp"), QStringLiteral("webp")},
        {QStringLiteral("application/pdf"), QStringLiteral("pdf")}, {QStringLiteral("text/plain"), QStringLiteral("txt")},
        {QStringLiteral("application/zip"), QStringLiteral("zip")},
    };
    return ext.value(mediaType, QStringLiteral("bin"));
}

} // namespace Files
