// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "smsprovider.h"

#include "community/outbound.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

#include <curl/curl.h>

#include <algorithm>
#include <memory>

using namespace Community;

namespace Notifications {

namespace {

size_t collect(char *data, size_t size, size_t count, void *user)
{
    static_cast<QByteArray *>(user)->append(data, qsizetype(size * count));
    return size * count;
}

QByteArray formField(const char *name, const QString &value)
{
    return QByteArray(name) + '=' + QUrl::toPercentEncoding(value);
}

} // namespace

bool isE164(const QString &number)
{
    static const QRegularExpression re(QStringLiteral("^\\+[1-9][0-9]{7,14}$"));
    return re.match(number).hasMatch();
}

QByteArray callbackSignature(const QByteArray &token, const QString &url, QList<std::pair<QString, QString>> params)
{
    std::stable_sort(params.begin(), params.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QByteArray data = url.toUtf8();
    for (const auto &[name, value] : params)
        data += name.toUtf8() + value.toUtf8();
    return QMessageAuthenticationCode::hash(data, token, QCryptographicHash::Sha1).toBase64();
}

int smsStatusRank(const QString &status)
{
    static const QHash<QString, int> ranks{{QStringLiteral("accepted"), 1}, {QStringLiteral("scheduled"), 1},
                                           {QStringLiteral("queued"), 1}, {QStringLiteral("sending"), 2},
                                           {QStringLiteral("sent"), 3}, {QStringLiteral("delivered"), 4},
                                           {QStringLiteral("undelivered"), 4}, {QStringLiteral("failed"), 4},
                                           {QStringLiteral("canceled"), 4}, {QStringLiteral("read"), 5}};
    return ranks.value(status, -1);
}

bool smsStatusFailed(const QString &status)
{
    return status == QLatin1String("failed") || status == QLatin1String("undelivered") || status == QLatin1String("canceled");
}

Result<SmsResult> HttpSmsProvider::send(const QString &to, const QString &body, const QString &idempotencyKey,
                                        const QString &statusCallback)
{
    if (auto injected = Outbound::beforeCall(QStringLiteral("notifications"), QStringLiteral("sms"), to); !injected)
        return tl::unexpected(injected.error());
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl)
        return fail(ErrorCode::Internal, QStringLiteral("sms: curl_easy_init failed"));
    CURL *c = curl.get();
    const QByteArray url = m_config.url.toUtf8(), user = m_config.accountId.toUtf8(), pass = m_config.token.toUtf8();
    QByteArray form = formField("To", to) + '&' + formField("From", m_config.from) + '&' + formField("Body", body);
    if (!statusCallback.isEmpty())
        form += '&' + formField("StatusCallback", statusCallback);
    curl_slist *headers = curl_slist_append(nullptr, ("Idempotency-Key: " + idempotencyKey.toUtf8()).constData());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headerList(headers, &curl_slist_free_all);
    QByteArray answer;
    char detail[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.constData());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(form.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_USERNAME, user.constData());
    curl_easy_setopt(c, CURLOPT_PASSWORD, pass.constData());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(m_config.timeoutMs));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    const CURLcode code = curl_easy_perform(c);
    const QString what = QString::fromUtf8(detail[0] ? detail : curl_easy_strerror(code));
    if (code == CURLE_OPERATION_TIMEDOUT) {
        curl_off_t uploaded = 0;
        curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &uploaded);
        // Sent and unanswered: the provider may have accepted it.
        if (uploaded > 0)
            return fail(ErrorCode::Timeout, QStringLiteral("sms: no answer after sending (%1); not sent again").arg(what));
    }
    if (code != CURLE_OK)
        return fail(ErrorCode::Unavailable, QStringLiteral("sms: %1").arg(what));
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status == 429 || status >= 500)
        return fail(ErrorCode::Unavailable, QStringLiteral("sms provider answered %1").arg(status));
    if (status < 200 || status >= 300)
        return fail(ErrorCode::InvalidArgument, QStringLiteral("sms provider answered %1").arg(status));
    const QJsonObject answered = QJsonDocument::fromJson(answer).object();
    return SmsResult{answered.value(QStringLiteral("sid")).toString().left(64), answered.value(QStringLiteral("status")).toString().left(32)};
}

} // namespace Notifications
