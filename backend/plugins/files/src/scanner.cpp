// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "scanner.h"

#include "community/config.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QtEndian>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

extern char **environ;

using namespace Community;

namespace Files {

namespace {

Error unavailable(const QString &detail)
{
    Error e = Error::make(ErrorCode::Unavailable, QStringLiteral("The file could not be checked for malware; try again later."),
                          detail);
    e.type = QStringLiteral("scanner-unavailable");
    return e;
}

/// A connected socket, closed when it goes out of scope.
struct Socket {
    int fd = -1;
    ~Socket() { if (fd >= 0) ::close(fd); }
};

/// Waits until `fd` is ready for `events` or the deadline passes.
bool waitFor(int fd, short events, const QDeadlineTimer &deadline)
{
    for (;;) {
        pollfd p{fd, events, 0};
        const int ms = int(qMax<qint64>(0, deadline.remainingTime()));
        const int n = ::poll(&p, 1, ms);
        if (n > 0)
            return true;
        if (n == 0 || errno != EINTR)
            return false;
    }
}

Result<void> connectTo(Socket &s, const QString &where, const QDeadlineTimer &deadline)
{
    const bool unixSocket = where.startsWith(QLatin1Char('/'));
    if (unixSocket) {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const QByteArray path = QFile::encodeName(where);
        if (size_t(path.size()) >= sizeof(addr.sun_path))
            return tl::unexpected(unavailable(QStringLiteral("clamd socket path too long: %1").arg(where)));
        std::memcpy(addr.sun_path, path.constData(), size_t(path.size()));
        s.fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (s.fd < 0 || ::connect(s.fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
            return tl::unexpected(unavailable(QStringLiteral("clamd at %1: %2").arg(where, QString::fromLocal8Bit(std::strerror(errno)))));
        return {};
    }
    const qsizetype colon = where.lastIndexOf(QLatin1Char(':'));
    const QByteArray host = where.left(colon).toUtf8();
    const QByteArray port = where.mid(colon + 1).toUtf8();
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *res = nullptr;
    if (::getaddrinfo(host.constData(), port.constData(), &hints, &res) != 0 || !res)
        return tl::unexpected(unavailable(QStringLiteral("clamd at %1: cannot resolve").arg(where)));
    int err = ECONNREFUSED;
    for (addrinfo *a = res; a; a = a->ai_next) {
        Socket candidate;
        candidate.fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (candidate.fd < 0)
            continue;
        if (::connect(candidate.fd, a->ai_addr, a->ai_addrlen) != 0) {
            if (errno != EINPROGRESS) {
                err = errno;
                continue;
            }
            socklen_t len = sizeof err;
            if (!waitFor(candidate.fd, POLLOUT, deadline)
                || ::getsockopt(candidate.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
                err = err ? err : ETIMEDOUT;
                continue;
            }
        }
        std::swap(s.fd, candidate.fd);
        break;
    }
    ::freeaddrinfo(res);
    if (s.fd < 0)
        return tl::unexpected(unavailable(QStringLiteral("clamd at %1: %2").arg(where, QString::fromLocal8Bit(std::strerror(err)))));
    return {};
}

/// Sends all of `data`; false when the peer went away or the deadline passed.
bool sendAll(int fd, const char *data, size_t size, const QDeadlineTimer &deadline)
{
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n > 0) {
            data += n;
            size -= size_t(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!waitFor(fd, POLLOUT, deadline))
                return false;
            continue;
        }
        return false;
    }
    return true;
}

/// Reads until the NUL that ends a z-command's reply, EOF, 4 KiB or the deadline.
QByteArray readReply(int fd, const QDeadlineTimer &deadline)
{
    QByteArray reply;
    char buf[512];
    while (reply.size() < 4096 && !reply.contains('\0')) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            reply.append(buf, n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!waitFor(fd, POLLIN, deadline))
                break;
            continue;
        }
        break;
    }
    const qsizetype nul = reply.indexOf('\0');
    return nul >= 0 ? reply.left(nul) : reply;
}

} // namespace

Result<ScanConfig> readScanConfig(ConfigReader &r)
{
    ScanConfig c;
    c.command = r.stringList(QStringLiteral("command"));
    c.clamd = r.string(QStringLiteral("clamd"));
    c.timeoutMs = int(r.integer(QStringLiteral("timeoutMs"), c.timeoutMs, 100, 600000));
    c.streamMaxLength = r.integer(QStringLiteral("streamMaxLength"), c.streamMaxLength, 1, qint64(4) << 30);
    const QString action = r.string(QStringLiteral("action"), QStringLiteral("reject"));
    const QString onError = r.string(QStringLiteral("onError"), QStringLiteral("reject"));
    if (auto f = r.finish(); !f)
        return tl::unexpected(f.error());
    const QString path = r.path();
    if (!c.command.isEmpty() && !c.clamd.isEmpty())
        return fail(ErrorCode::Config, QStringLiteral("%1: set either command or clamd, not both").arg(path));
    if (!c.command.isEmpty()) {
        if (!QFileInfo(c.command.first()).isAbsolute())
            return fail(ErrorCode::Config, QStringLiteral("%1.command: the program must be an absolute path (no shell, no PATH lookup)").arg(path));
        c.mode = ScanConfig::Mode::Command;
    } else if (!c.clamd.isEmpty()) {
        const qsizetype colon = c.clamd.lastIndexOf(QLatin1Char(':'));
        bool portOk = false;
        const int port = colon > 0 ? c.clamd.mid(colon + 1).toInt(&portOk) : 0;
        if (!c.clamd.startsWith(QLatin1Char('/')) && (!portOk || port <= 0 || port > 65535))
            return fail(ErrorCode::Config, QStringLiteral("%1.clamd: a unix socket path (/...) or host:port").arg(path));
        c.mode = ScanConfig::Mode::Clamd;
    }
    if (action == QLatin1String("reject"))
        c.action = ScanConfig::Action::Reject;
    else if (action == QLatin1String("quarantine"))
        c.action = ScanConfig::Action::Quarantine;
    else
        return fail(ErrorCode::Config, QStringLiteral("%1.action: reject or quarantine").arg(path));
    if (onError == QLatin1String("reject"))
        c.onError = ScanConfig::OnError::Reject;
    else if (onError == QLatin1String("allow"))
        c.onError = ScanConfig::OnError::Allow;
    else
        return fail(ErrorCode::Config, QStringLiteral("%1.onError: reject or allow").arg(path));
    return c;
}

Result<ScanVerdict> parseClamdReply(const QByteArray &raw)
{
    const QByteArray reply = raw.trimmed();
    // "stream: OK" | "stream: <signature> FOUND" | "<message> ERROR"
    if (reply == "stream: OK")
        return ScanVerdict{};
    if (reply.startsWith("stream: ") && reply.endsWith(" FOUND")) {
        const QByteArray name = reply.mid(8, reply.size() - 8 - 6).trimmed();
        if (!name.isEmpty())
            return ScanVerdict{true, QString::fromUtf8(name.left(200))};
    }
    return tl::unexpected(unavailable(QStringLiteral("clamd replied: %1").arg(QString::fromUtf8(reply.left(200)))));
}

QString Scanner::kind() const
{
    return m_config.mode == ScanConfig::Mode::Clamd ? QStringLiteral("clamd") : QStringLiteral("command");
}

Result<ScanVerdict> Scanner::scan(const QString &path) const
{
    switch (m_config.mode) {
    case ScanConfig::Mode::Off:
        return ScanVerdict{};
    case ScanConfig::Mode::Command:
        return runCommand(path);
    case ScanConfig::Mode::Clamd:
        return askClamd(path);
    }
    return ScanVerdict{};
}

Result<ScanVerdict> Scanner::runCommand(const QString &path) const
{
    // posix_spawn, not QProcess: the database workers are plain threads without a Qt event
    // dispatcher. argv only: no shell sees the path.
    QList<QByteArray> args;
    for (const QString &a : m_config.command)
        args.append(QFile::encodeName(a));
    args.append(QFile::encodeName(path));
    std::vector<char *> argv;
    for (QByteArray &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        return tl::unexpected(unavailable(QStringLiteral("scan command: pipe: %1").arg(QString::fromLocal8Bit(std::strerror(errno)))));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    pid_t pid = 0;
    const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    Socket pipeEnd{out[0]};   // closed on every return
    if (spawned != 0)
        return tl::unexpected(unavailable(QStringLiteral("scan command %1 did not start: %2")
                                              .arg(m_config.command.first(), QString::fromLocal8Bit(std::strerror(spawned)))));
    // Read its output (the first 4 KiB are kept) until it closes the pipe or time is up.
    const QDeadlineTimer deadline(m_config.timeoutMs);
    QByteArray output;
    char buf[1024];
    bool timedOut = false;
    for (;;) {
        if (!waitFor(pipeEnd.fd, POLLIN, deadline)) {
            timedOut = deadline.hasExpired();
            break;
        }
        const ssize_t n = ::read(pipeEnd.fd, buf, sizeof buf);
        if (n > 0) {
            if (output.size() < 4096)
                output.append(buf, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break;   // EOF: every writer (the command and its children) is gone
    }
    int status = 0;
    if (!timedOut) {
        // Closed its output but may still run: wait for it within the deadline.
        while (::waitpid(pid, &status, WNOHANG) == 0) {
            if (deadline.hasExpired()) {
                timedOut = true;
                break;
            }
            ::usleep(2000);
        }
    }
    if (timedOut) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        return tl::unexpected(unavailable(QStringLiteral("scan command timed out after %1 ms").arg(m_config.timeoutMs)));
    }
    if (!WIFEXITED(status))
        return tl::unexpected(unavailable(QStringLiteral("scan command ended by signal %1").arg(WTERMSIG(status))));
    const int code = WEXITSTATUS(status);
    if (code == 0)
        return ScanVerdict{};
    if (code == 1) {
        // The first line names what it found, like clamscan's "path: Name FOUND".
        QString name = QString::fromUtf8(output.split('\n').value(0)).trimmed();
        if (name.startsWith(path))
            name = name.mid(path.size()).remove(QRegularExpression(QStringLiteral("^:\\s*"))).trimmed();
        if (name.endsWith(QLatin1String(" FOUND")))
            name.chop(6);
        return ScanVerdict{true, name.isEmpty() ? QStringLiteral("unnamed") : name.left(200)};
    }
    return tl::unexpected(unavailable(QStringLiteral("scan command exited with %1: %2")
                                          .arg(code)
                                          .arg(QString::fromUtf8(output.left(200)).trimmed())));
}

Result<ScanVerdict> Scanner::askClamd(const QString &path) const
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return tl::unexpected(Error::make(ErrorCode::Internal, QStringLiteral("The upload could not be read."),
                                          QStringLiteral("scan: cannot open %1").arg(path)));
    // clamd drops the connection at StreamMaxLength; a file over it is not scanned at all.
    if (f.size() > m_config.streamMaxLength)
        return tl::unexpected(unavailable(QStringLiteral("file of %1 bytes is over streamMaxLength %2")
                                              .arg(f.size())
                                              .arg(m_config.streamMaxLength)));
    const QDeadlineTimer deadline(m_config.timeoutMs);
    Socket s;
    if (auto c = connectTo(s, m_config.clamd, deadline); !c)
        return tl::unexpected(c.error());
    static const char command[] = "zINSTREAM";
    bool sent = sendAll(s.fd, command, sizeof command, deadline);   // with its NUL
    QByteArray chunk(64 * 1024 + 4, Qt::Uninitialized);
    while (sent) {
        const qint64 n = f.read(chunk.data() + 4, 64 * 1024);
        if (n < 0)
            return tl::unexpected(Error::make(ErrorCode::Internal, QStringLiteral("The upload could not be read."),
                                              QStringLiteral("scan: cannot read %1").arg(path)));
        const quint32 be = qToBigEndian(quint32(n));   // length prefix, network order; 0 ends the stream
        std::memcpy(chunk.data(), &be, 4);
        sent = sendAll(s.fd, chunk.constData(), size_t(n) + 4, deadline);
        if (n == 0)
            break;
    }
    // Read the reply even when sending failed: clamd answers "... size limit exceeded"
    // before it closes.
    const QByteArray reply = readReply(s.fd, deadline);
    if (reply.isEmpty())
        return tl::unexpected(unavailable(deadline.hasExpired() ? QStringLiteral("clamd timed out after %1 ms").arg(m_config.timeoutMs)
                                                                : QStringLiteral("clamd closed the connection without a reply")));
    return parseClamdReply(reply);
}

} // namespace Files
