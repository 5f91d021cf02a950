// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "pushsender.h"

#include "community/outbound.h"

#include <curl/curl.h>

#include <memory>

using namespace Community;

namespace Notifications {

namespace {

size_t discard(char *, size_t size, size_t count, void *)
{
    return size * count;
}

} // namespace

Result<int> PushSender::send(const PushRequest &r) const
{
    if (auto injected = Outbound::beforeCall(QStringLiteral("notifications"), QStringLiteral("push"), r.endpoint); !injected)
        return tl::unexpected(injected.error());
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl)
        return fail(ErrorCode::Internal, QStringLiteral("push: curl_easy_init failed"));
    CURL *c = curl.get();
    curl_slist *headers = nullptr;
    for (const QByteArray &h : {QByteArray("Content-Type: application/octet-stream"), QByteArray("Content-Encoding: aes128gcm"),
                                "TTL: " + QByteArray::number(m_config.ttlSeconds), "Urgency: " + r.urgency.toLatin1(),
                                "Authorization: vapid t=" + r.vapidJwt.toLatin1() + ", k=" + r.vapidPublicKey})
        headers = curl_slist_append(headers, h.constData());
    if (!r.topic.isEmpty())
        headers = curl_slist_append(headers, ("Topic: " + r.topic.toLatin1()).constData());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headerList(headers, &curl_slist_free_all);
    const QByteArray url = r.endpoint.toUtf8();
    char detail[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.constData());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(r.body.size()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(m_config.timeoutMs));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, m_config.allowHttpEndpoints ? "http,https" : "https");
    const CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK)
        return fail(ErrorCode::Unavailable, QStringLiteral("push: %1").arg(QString::fromUtf8(detail[0] ? detail : curl_easy_strerror(code))));
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    return int(status);
}

} // namespace Notifications
