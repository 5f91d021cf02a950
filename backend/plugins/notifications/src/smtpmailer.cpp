// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "smtpmailer.h"

#include "community/outbound.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

using namespace Community;

namespace Notifications {

namespace {

struct Upload {
    const QByteArray *data;
    qsizetype offset = 0;
};

size_t readChunk(char *buffer, size_t size, size_t count, void *user)
{
    auto *u = static_cast<Upload *>(user);
    const size_t n = std::min(size * count, size_t(u->data->size() - u->offset));
    memcpy(buffer, u->data->constData() + u->offset, n);
    u->offset += qsizetype(n);
    return n;
}

/// 5xx replies are permanent (the recipient does not exist, the message is refused);
/// everything else may work on a later attempt.
Error mapCurl(CURLcode code, long reply, const char *detail)
{
    const QString text = QStringLiteral("SMTP: %1 (reply %2)").arg(QString::fromUtf8(detail[0] ? detail : curl_easy_strerror(code))).arg(reply);
    if (reply >= 500 && reply < 600)
        return Error::make(ErrorCode::InvalidArgument, text);
    return Error::make(ErrorCode::Unavailable, text);
}

} // namespace

void SmtpMailer::globalInit()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Result<void> SmtpMailer::send(const QString &to, const QByteArray &message) const
{
    if (auto injected = Outbound::beforeCall(QStringLiteral("notifications"), QStringLiteral("smtp"), to); !injected)
        return injected;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl)
        return fail(ErrorCode::Internal, QStringLiteral("SMTP: curl_easy_init failed"));
    CURL *c = curl.get();
    const QByteArray url = m_config.smtpUrl.toUtf8(), from = "<" + m_config.from.toUtf8() + ">";
    const QByteArray rcpt = "<" + to.toUtf8() + ">", user = m_config.username.toUtf8(), pass = m_config.password.toUtf8();
    const QByteArray ca = m_config.caFile.toUtf8();
    curl_slist *recipients = curl_slist_append(nullptr, rcpt.constData());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcptList(recipients, &curl_slist_free_all);
    Upload upload{&message};
    char detail[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, readChunk);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(m_config.timeoutMs));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (m_config.tls == QLatin1String("starttls"))
        curl_easy_setopt(c, CURLOPT_USE_SSL, long(CURLUSESSL_ALL));
    if (!ca.isEmpty())
        curl_easy_setopt(c, CURLOPT_CAINFO, ca.constData());
    if (!user.isEmpty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(c, CURLOPT_PASSWORD, pass.constData());
    }
    const CURLcode code = curl_easy_perform(c);
    if (code == CURLE_OK)
        return {};
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    return tl::unexpected(mapCurl(code, reply, detail));
}

} // namespace Notifications
