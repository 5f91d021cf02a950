// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "s3blobstore.h"

#include "community/outbound.h"

#include <QFile>
#include <QRegularExpression>
#include <QUrl>
#include <QXmlStreamReader>

#include <curl/curl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

using namespace Community;

namespace Files {

struct S3BlobStore::Call {
    QByteArray method = "GET";
    QString key;                       ///< object key; empty: the bucket itself
    QList<QPair<QString, QString>> query;   ///< sorted by name (SigV4's canonical query)
    QList<QByteArray> headers;
    std::FILE *upload = nullptr;       ///< PUT body
    qint64 uploadSize = 0;
    qint64 bodyLimit = 64 * 1024;      ///< the most bytes kept in Answer::body
    int bodyFd = -1;                   ///< a 2xx body is written to this descriptor instead
    bool transfer = false;             ///< big body: no whole-request timeout, a stall limit instead
    QString subject;                   ///< for the fault layer's percent selector
};

namespace {

struct Sink {
    QByteArray *buffer;
    qint64 limit;
    int fd = -1;            ///< a success's body goes to this file instead of `buffer`
    long *status = nullptr; ///< the answer's status, known when the body starts
    bool overflow = false;
};

size_t writeBody(char *data, size_t size, size_t n, void *user)
{
    auto *sink = static_cast<Sink *>(user);
    const qint64 bytes = qint64(size * n);
    if (sink->fd >= 0 && *sink->status / 100 == 2) {
        for (qint64 done = 0; done < bytes;) {
            const ssize_t w = ::write(sink->fd, data + done, size_t(bytes - done));
            if (w <= 0)
                return 0;
            done += w;
        }
        return size_t(bytes);
    }
    if (sink->buffer->size() + bytes > sink->limit) {
        sink->overflow = true;
        return 0;
    }
    sink->buffer->append(data, bytes);
    return size_t(bytes);
}

/// Keeps the status of the last response head ("HTTP/1.1 206 …"), so the body callback
/// knows whether it is the object or an error document.
size_t statusLine(char *data, size_t size, size_t n, void *user)
{
    const QByteArrayView line(data, qsizetype(size * n));
    if (line.startsWith("HTTP/")) {
        const QList<QByteArray> parts = line.toByteArray().split(' ');
        if (parts.size() >= 2)
            *static_cast<long *>(user) = parts.at(1).toLong();
    }
    return size * n;
}

size_t readBody(char *data, size_t size, size_t n, void *user)
{
    return std::fread(data, 1, size * n, static_cast<std::FILE *>(user));
}

QString s3ErrorCode(const QByteArray &xml)
{
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        if (r.readNext() == QXmlStreamReader::StartElement && r.name() == QLatin1String("Code"))
            return r.readElementText();
    }
    return {};
}

Error unavailable(const QString &detail)
{
    Error e = Error::make(ErrorCode::Unavailable, QStringLiteral("File storage is unavailable; try again shortly."));
    e.type = QStringLiteral("storage-unavailable");
    e.logDetail = detail;
    return e;
}

/// An S3 answer that is not a success: 5xx and 429/503 slow-downs are retryable
/// (Unavailable), anything else is a fault of ours (credentials, bucket, request).
Error answerError(const QByteArray &what, long status, const QByteArray &body)
{
    const QString code = s3ErrorCode(body);
    const QString detail = QStringLiteral("s3 %1: HTTP %2 %3").arg(QLatin1String(what)).arg(status).arg(code);
    if (status >= 500 || status == 429)
        return unavailable(detail);
    Error e = Error::make(ErrorCode::Internal, QStringLiteral("The file could not be stored or read."));
    e.logDetail = detail;
    return e;
}

} // namespace

Result<S3Config> readS3Config(ConfigReader &r)
{
    S3Config c;
    c.endpoint = r.string(QStringLiteral("endpoint"));
    c.region = r.string(QStringLiteral("region"), c.region);
    c.bucket = r.string(QStringLiteral("bucket"));
    c.accessKeyId = r.string(QStringLiteral("accessKeyId"));
    c.secretAccessKey = r.secret(QStringLiteral("secretAccessKey"));
    c.pathStyle = r.boolean(QStringLiteral("pathStyle"), c.pathStyle);
    c.timeoutMs = int(r.integer(QStringLiteral("timeoutMs"), c.timeoutMs, 100, 600'000));
    c.listPageSize = int(r.integer(QStringLiteral("listPageSize"), c.listPageSize, 1, 1000));
    if (auto f = r.finish(); !f)
        return tl::unexpected(f.error());
    const QString at = r.path();
    const QUrl url(c.endpoint, QUrl::StrictMode);
    if (c.endpoint.isEmpty() || !url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        || url.host().isEmpty() || !url.path(QUrl::FullyEncoded).remove(QLatin1Char('/')).isEmpty() || url.hasQuery()
        || !url.userInfo().isEmpty())
        return fail(ErrorCode::Config, QStringLiteral("%1.endpoint: give the S3 endpoint as http(s)://host[:port], "
                                                      "without a path, query or credentials").arg(at));
    // Bucket names per S3's rules: 3-63 of a-z 0-9 . -, starting and ending alphanumeric.
    static const QRegularExpression bucket(QStringLiteral("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"));
    if (!bucket.match(c.bucket).hasMatch())
        return fail(ErrorCode::Config, QStringLiteral("%1.bucket: an S3 bucket name (3-63 characters: a-z, 0-9, '.', '-')").arg(at));
    static const QRegularExpression region(QStringLiteral("^[a-z0-9-]{1,32}$"));
    if (!region.match(c.region).hasMatch())
        return fail(ErrorCode::Config, QStringLiteral("%1.region: a region name such as us-east-1").arg(at));
    if (c.accessKeyId.isEmpty() || c.accessKeyId.size() > 128 || c.accessKeyId.contains(QLatin1Char(':')))
        return fail(ErrorCode::Config, QStringLiteral("%1.accessKeyId: required (at most 128 characters, no ':')").arg(at));
    if (c.secretAccessKey.isEmpty())
        return fail(ErrorCode::Config, QStringLiteral("%1.secretAccessKey (or secretAccessKeyFile): required").arg(at));
    if (!c.pathStyle && c.bucket.contains(QLatin1Char('.')) && url.scheme() == QLatin1String("https"))
        return fail(ErrorCode::Config, QStringLiteral("%1.pathStyle: a bucket name with '.' needs path-style "
                                                      "addressing over https (the certificate names one level)").arg(at));
    return c;
}

S3BlobStore::S3BlobStore(S3Config config) : m_config(std::move(config)), m_pageSize(m_config.listPageSize)
{
    while (m_config.endpoint.endsWith(QLatin1Char('/')))
        m_config.endpoint.chop(1);
}

QString S3BlobStore::keyOf(const QByteArray &sha) const
{
    return QStringLiteral("%1%2/%3/%4").arg(m_config.prefix, QLatin1String(sha.left(2)), QLatin1String(sha.mid(2, 2)),
                                            QLatin1String(sha));
}

Result<S3BlobStore::Answer> S3BlobStore::perform(const Call &call) const
{
    if (auto injected = Outbound::beforeCall(QStringLiteral("files"), QStringLiteral("s3"), call.subject); !injected)
        return tl::unexpected(unavailable(injected.error().message));
    // One handle per worker thread, reset for each call: curl_easy_reset() keeps the
    // handle's connection cache, so consecutive calls reuse the keep-alive connection
    // (and its TLS session) instead of connecting anew each time.
    thread_local std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(), &curl_easy_cleanup);
    if (!handle)
        return fail(ErrorCode::Internal, QStringLiteral("The file storage could not be reached."), QStringLiteral("s3: curl_easy_init failed"));
    CURL *c = handle.get();
    curl_easy_reset(c);

    const QUrl base(m_config.endpoint);
    QUrl url(base);
    QString path;
    if (m_config.pathStyle) {
        path = QLatin1Char('/') + m_config.bucket + (call.key.isEmpty() ? QStringLiteral("/") : QLatin1Char('/') + call.key);
    } else {
        url.setHost(m_config.bucket + QLatin1Char('.') + base.host());
        path = QLatin1Char('/') + call.key;
    }
    // Keys are [0-9a-f/] and bucket names [a-z0-9.-]: nothing to escape in the path. The
    // query is given sorted and escaped as SigV4's canonical form wants it, because curl
    // 7.88 signs the query string as it is.
    QByteArray query;
    for (const auto &[name, value] : call.query) {
        if (!query.isEmpty())
            query += '&';
        query += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    const QByteArray target = url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::FullyEncoded).toUtf8()
                              + path.toUtf8() + (query.isEmpty() ? QByteArray() : '?' + query);
    const QByteArray sigv4 = "aws:amz:" + m_config.region.toUtf8() + ":s3";
    const QByteArray user = m_config.accessKeyId.toUtf8();
    const QByteArray secret = m_config.secretAccessKey.reveal().toUtf8();

    curl_easy_setopt(c, CURLOPT_URL, target.constData());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_AWS_SIGV4, sigv4.constData());
    curl_easy_setopt(c, CURLOPT_USERNAME, user.constData());
    curl_easy_setopt(c, CURLOPT_PASSWORD, secret.constData());
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(m_config.timeoutMs));
    if (call.transfer) {
        // A large body may take long; a stalled one (no byte for the timeout) fails.
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, long(qMax(1, m_config.timeoutMs / 1000)));
    } else {
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(m_config.timeoutMs));
    }

    curl_slist *headers = nullptr;
    bool payloadHash = false;
    for (const QByteArray &h : call.headers) {
        headers = curl_slist_append(headers, h.constData());
        payloadHash = payloadHash || h.startsWith("x-amz-content-sha256:");
    }
    // curl 7.88 signs this header when present but does not add it; S3 wants it on every
    // request (here: the SHA-256 of an empty body).
    if (!payloadHash)
        headers = curl_slist_append(headers, "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    headers = curl_slist_append(headers, "Expect:");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headerList(headers, &curl_slist_free_all);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

    if (call.method == "HEAD") {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (call.method == "PUT") {
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, &readBody);
        curl_easy_setopt(c, CURLOPT_READDATA, call.upload);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, curl_off_t(call.uploadSize));
    } else if (call.method != "GET") {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, call.method.constData());
    }
    Answer answer;
    Sink sink{&answer.body, call.bodyLimit, call.bodyFd, &answer.status};
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &writeBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &statusLine);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &answer.status);

    const CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
    const bool success = answer.status / 100 == 2;
    if (rc == CURLE_WRITE_ERROR && sink.overflow)
        return fail(ErrorCode::Internal, QStringLiteral("The file could not be read."),
                    QStringLiteral("s3 %1 %2: answer larger than %3 bytes").arg(QLatin1String(call.method), call.key).arg(call.bodyLimit));
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && !success))
        return tl::unexpected(unavailable(QStringLiteral("s3 %1 %2: %3").arg(QLatin1String(call.method), call.key,
                                                                             QString::fromUtf8(curl_easy_strerror(rc)))));
    return answer;
}

Result<bool> S3BlobStore::head(const QByteArray &sha) const
{
    Call call;
    call.method = "HEAD";
    call.key = keyOf(sha);
    call.subject = QString::fromLatin1(sha);
    auto a = perform(call);
    if (!a)
        return tl::unexpected(a.error());
    if (a->status == 200)
        return true;
    if (a->status == 404)
        return false;
    return tl::unexpected(answerError("HEAD", a->status, a->body));
}

Result<bool> S3BlobStore::put(const QByteArray &sha, const QString &tempPath)
{
    if (!isSha256Hex(sha))
        return fail(ErrorCode::Internal, QStringLiteral("The file could not be stored."), QStringLiteral("bad blob name"));
    auto there = head(sha);
    if (!there)
        return tl::unexpected(there.error());
    if (*there)
        return false;
    std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(QFile::encodeName(tempPath).constData(), "rb"),
                                                          &std::fclose);
    if (!file)
        return fail(ErrorCode::Internal, QStringLiteral("The file could not be stored."), QStringLiteral("cannot open %1").arg(tempPath));
    const qint64 size = QFile(tempPath).size();
    Call call;
    call.method = "PUT";
    call.key = keyOf(sha);
    call.subject = QString::fromLatin1(sha);
    call.upload = file.get();
    call.uploadSize = size;
    call.transfer = true;
    // The hash is the blob's name: S3 checks the body against it (no unsigned payload).
    call.headers = {"x-amz-content-sha256: " + sha, "Content-Type: application/octet-stream"};
    auto a = perform(call);
    if (!a)
        return tl::unexpected(a.error());
    if (a->status / 100 != 2)
        return tl::unexpected(answerError("PUT", a->status, a->body));
    file.reset();
    QFile::remove(tempPath);   // stored: the temporary file is gone, as after the local store's rename
    return true;
}

bool S3BlobStore::exists(const QByteArray &sha) const
{
    if (!isSha256Hex(sha))
        return false;
    auto r = head(sha);
    return r && *r;
}

Result<QByteArray> S3BlobStore::read(const QByteArray &sha, qint64 offset, qint64 length) const
{
    if (!isSha256Hex(sha) || offset < 0 || length < 0)
        return fail(ErrorCode::NotFound, QStringLiteral("The file's content is missing."), QStringLiteral("bad blob name or range"));
    if (length == 0)
        return QByteArray();
    Call call;
    call.key = keyOf(sha);
    call.subject = QString::fromLatin1(sha);
    call.transfer = true;
    call.bodyLimit = qMax<qint64>(length, 64 * 1024);
    call.headers = {"Range: bytes=" + QByteArray::number(offset) + '-' + QByteArray::number(offset + length - 1)};
    auto a = perform(call);
    if (!a)
        return tl::unexpected(a.error());
    if (a->status == 404)
        return fail(ErrorCode::NotFound, QStringLiteral("The file's content is missing."), QStringLiteral("s3 GET %1: 404").arg(call.key));
    if (a->status == 416)
        return QByteArray();
    if (a->status == 200)   // a server that ignores Range: the whole object came
        return a->body.mid(offset, length);
    if (a->status != 206)
        return tl::unexpected(answerError("GET", a->status, a->body));
    return a->body;
}

Result<int> S3BlobStore::fetchRange(const QByteArray &sha, qint64 offset, qint64 length, const QString &dir) const
{
    if (!isSha256Hex(sha) || offset < 0 || length <= 0)
        return fail(ErrorCode::NotFound, QStringLiteral("The file's content is missing."), QStringLiteral("bad blob name or range"));
    // An unnamed file (O_TMPFILE): nothing to clean up whatever happens, gone with its descriptor.
    const int fd = ::open(QFile::encodeName(dir).constData(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(ErrorCode::Internal, QStringLiteral("The file could not be read."),
                    QStringLiteral("O_TMPFILE in %1: %2").arg(dir, QString::fromLocal8Bit(strerror(errno))));
    Call call;
    call.key = keyOf(sha);
    call.subject = QString::fromLatin1(sha);
    call.transfer = true;
    call.bodyFd = fd;
    call.headers = {"Range: bytes=" + QByteArray::number(offset) + '-' + QByteArray::number(offset + length - 1)};
    auto a = perform(call);
    const auto failed = [fd](Error e) {
        ::close(fd);
        return tl::unexpected(std::move(e));
    };
    if (!a)
        return failed(a.error());
    if (a->status == 404)
        return failed(Error::make(ErrorCode::NotFound, QStringLiteral("The file's content is missing."),
                                  QStringLiteral("s3 GET %1: 404").arg(call.key)));
    if (a->status != 206 || ::lseek(fd, 0, SEEK_END) != length)
        return failed(a->status / 100 == 2 ? Error::make(ErrorCode::Internal, QStringLiteral("The file could not be read."),
                                                         QStringLiteral("s3 GET %1: status %2, not the range asked for")
                                                             .arg(call.key).arg(a->status))
                                           : answerError("GET", a->status, a->body));
    return fd;
}

Result<void> S3BlobStore::remove(const QByteArray &sha)
{
    if (!isSha256Hex(sha))
        return fail(ErrorCode::Internal, QStringLiteral("The blob could not be removed."), QStringLiteral("bad blob name"));
    Call call;
    call.method = "DELETE";
    call.key = keyOf(sha);
    call.subject = QString::fromLatin1(sha);
    auto a = perform(call);
    if (!a)
        return tl::unexpected(a.error());
    if (a->status / 100 != 2 && a->status != 404)
        return tl::unexpected(answerError("DELETE", a->status, a->body));
    return {};
}

Result<QList<QByteArray>> S3BlobStore::list() const
{
    QList<QByteArray> out;
    QString token;
    for (int pages = 0;; ++pages) {
        Call call;
        call.bodyLimit = 16 * 1024 * 1024;
        if (!token.isEmpty())
            call.query.append({QStringLiteral("continuation-token"), token});
        call.query.append({QStringLiteral("list-type"), QStringLiteral("2")});
        call.query.append({QStringLiteral("max-keys"), QString::number(m_pageSize)});
        call.query.append({QStringLiteral("prefix"), m_config.prefix});
        auto a = perform(call);
        if (!a)
            return tl::unexpected(a.error());
        if (a->status != 200)
            return tl::unexpected(answerError("ListObjectsV2", a->status, a->body));
        QXmlStreamReader xml(a->body);
        bool truncated = false;
        QString next;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == QLatin1String("Key")) {
                const QByteArray name = xml.readElementText().section(QLatin1Char('/'), -1).toLatin1();
                if (isSha256Hex(name))
                    out.append(name);
            } else if (xml.name() == QLatin1String("IsTruncated")) {
                truncated = xml.readElementText() == QLatin1String("true");
            } else if (xml.name() == QLatin1String("NextContinuationToken")) {
                next = xml.readElementText();
            }
        }
        if (xml.hasError())
            return fail(ErrorCode::Internal, QStringLiteral("The file store's listing could not be read."),
                        QStringLiteral("s3 ListObjectsV2: %1").arg(xml.errorString()));
        if (!truncated)
            return out;
        if (next.isEmpty() || next == token || pages > 1'000'000)
            return fail(ErrorCode::Internal, QStringLiteral("The file store's listing could not be read."),
                        QStringLiteral("s3 ListObjectsV2: truncated without a new continuation token"));
        token = next;
    }
}

Result<void> S3BlobStore::checkBucket() const
{
    Call call;
    call.method = "HEAD";
    auto a = perform(call);
    const QString where = QStringLiteral("bucket \"%1\" at %2").arg(m_config.bucket, m_config.endpoint);
    if (!a)
        return fail(ErrorCode::Config, QStringLiteral("plugins.files.s3: cannot reach %1 (%2)").arg(where, a.error().logDetail));
    if (a->status == 200)
        return {};
    // HEAD answers carry no body, so S3's error code is not known: a GET of the listing says it.
    Call list;
    list.query = {{QStringLiteral("list-type"), QStringLiteral("2")}, {QStringLiteral("max-keys"), QStringLiteral("1")}};
    auto why = perform(list);
    const QString code = why ? s3ErrorCode(why->body) : QString();
    QString hint;
    if (a->status == 403)
        hint = QStringLiteral(": check accessKeyId and secretAccessKey");
    else if (a->status == 404)
        hint = QStringLiteral(": the bucket does not exist");
    return fail(ErrorCode::Config, QStringLiteral("plugins.files.s3: %1 answered HTTP %2%3%4")
                                       .arg(where).arg(a->status)
                                       .arg(code.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(code), hint));
}

} // namespace Files
