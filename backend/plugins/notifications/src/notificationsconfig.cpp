// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "notificationsconfig.h"

#include "community/config.h"

#include <QFileInfo>

namespace Notifications {

Community::Result<NotificationsConfig> readNotificationsConfig(const QJsonObject &object, const QString &path)
{
    using Community::ConfigReader;
    ConfigReader r(object, path);
    NotificationsConfig c;
    c.defaultPageSize = int(r.integer(QStringLiteral("defaultPageSize"), c.defaultPageSize, 1, 1000));
    c.maxPageSize = int(r.integer(QStringLiteral("maxPageSize"), c.maxPageSize, 1, 1000));
    c.shownActors = int(r.integer(QStringLiteral("shownActors"), c.shownActors, 1, 10));
    c.projectionChunk = int(r.integer(QStringLiteral("projectionChunk"), c.projectionChunk, 1, 1000));
    ConfigReader e = r.child(QStringLiteral("email"));
    c.email.smtpUrl = e.string(QStringLiteral("smtpUrl"));
    c.email.tls = e.string(QStringLiteral("tls"), c.email.tls);
    c.email.caFile = e.string(QStringLiteral("caFile"));
    c.email.username = e.string(QStringLiteral("username"));
    c.email.password = e.secret(QStringLiteral("password")).reveal();
    c.email.from = e.string(QStringLiteral("from"));
    c.email.fromName = e.string(QStringLiteral("fromName"), c.email.fromName);
    c.email.publicBaseUrl = e.string(QStringLiteral("publicBaseUrl"));
    c.email.timeoutMs = int(e.integer(QStringLiteral("timeoutMs"), c.email.timeoutMs, 100, 600000));
    ConfigReader p = r.child(QStringLiteral("push"));
    c.push.enabled = p.boolean(QStringLiteral("enabled"), c.push.enabled);
    c.push.subject = p.string(QStringLiteral("subject"));
    c.push.ttlSeconds = int(p.integer(QStringLiteral("ttlSeconds"), c.push.ttlSeconds, 0, 2419200));
    c.push.allowHttpEndpoints = p.boolean(QStringLiteral("allowHttpEndpoints"), c.push.allowHttpEndpoints);
    c.push.timeoutMs = int(p.integer(QStringLiteral("timeoutMs"), c.push.timeoutMs, 100, 600000));
    ConfigReader m = r.child(QStringLiteral("sms"));
    c.sms.url = m.string(QStringLiteral("url"));
    c.sms.accountId = m.string(QStringLiteral("accountId"));
    c.sms.token = m.secret(QStringLiteral("token")).reveal();
    c.sms.from = m.string(QStringLiteral("from"));
    c.sms.timeoutMs = int(m.integer(QStringLiteral("timeoutMs"), c.sms.timeoutMs, 100, 600000));
    c.sms.codeTtlSeconds = int(m.integer(QStringLiteral("codeTtlSeconds"), c.sms.codeTtlSeconds, 30, 86400));
    c.sms.statusCallbackUrl = m.string(QStringLiteral("statusCallbackUrl"));
    ConfigReader d = r.child(QStringLiteral("delivery"));
    c.delivery.pollMs = int(d.integer(QStringLiteral("pollMs"), c.delivery.pollMs, 10, 600000));
    c.delivery.batch = int(d.integer(QStringLiteral("batch"), c.delivery.batch, 1, 1000));
    c.delivery.maxAttempts = int(d.integer(QStringLiteral("maxAttempts"), c.delivery.maxAttempts, 1, 100));
    c.delivery.backoffBaseMs = int(d.integer(QStringLiteral("backoffBaseMs"), c.delivery.backoffBaseMs, 1, 3600000));
    c.delivery.leaseSeconds = int(d.integer(QStringLiteral("leaseSeconds"), c.delivery.leaseSeconds, 1, 3600));
    c.delivery.digestHour = int(d.integer(QStringLiteral("digestHour"), c.delivery.digestHour, 0, 23));
    ConfigReader ch = r.child(QStringLiteral("chat"));
    c.chat.enabled = ch.boolean(QStringLiteral("enabled"), c.chat.enabled);
    c.chat.maxRoomMembers = int(ch.integer(QStringLiteral("maxRoomMembers"), c.chat.maxRoomMembers, 2, 1000));
    ConfigReader a = r.child(QStringLiteral("announcements"));
    c.announcements.batch = int(a.integer(QStringLiteral("batch"), c.announcements.batch, 1, 10000));
    c.announcements.pollMs = int(a.integer(QStringLiteral("pollMs"), c.announcements.pollMs, 10, 600000));
    for (ConfigReader *child : {&e, &p, &m, &d, &ch, &a})
        if (auto f = child->finish(); !f)
            return tl::unexpected(f.error());
    if (auto f = r.finish(); !f)
        return tl::unexpected(f.error());
    if (!QStringList{QStringLiteral("starttls"), QStringLiteral("implicit"), QStringLiteral("none")}.contains(c.email.tls))
        return Community::fail(Community::ErrorCode::Config, r.path() + QStringLiteral(".email.tls must be starttls, implicit or none"));
    // The URL scheme and the TLS mode must agree: smtps:// is implicit TLS, smtp:// is
    // STARTTLS (required) or, for loopback tests only, plain.
    if (c.email.enabled() && (c.email.tls == QLatin1String("implicit")) != c.email.smtpUrl.startsWith(QLatin1String("smtps://")))
        return Community::fail(Community::ErrorCode::Config,
                               r.path() + QStringLiteral(".email: tls implicit needs an smtps:// smtpUrl, starttls and none an smtp:// one"));
    if (c.email.enabled() && !c.email.smtpUrl.startsWith(QLatin1String("smtp://")) && !c.email.smtpUrl.startsWith(QLatin1String("smtps://")))
        return Community::fail(Community::ErrorCode::Config, r.path() + QStringLiteral(".email.smtpUrl must be smtp:// or smtps://"));
    if (!c.email.caFile.isEmpty() && !QFileInfo(c.email.caFile).isReadable())
        return Community::fail(Community::ErrorCode::Config, r.path() + QStringLiteral(".email.caFile is not a readable file: ") + c.email.caFile);
    if (!c.sms.statusCallbackUrl.isEmpty() && !c.sms.statusCallbackUrl.startsWith(QLatin1String("https://"))
        && !c.sms.statusCallbackUrl.startsWith(QLatin1String("http://")))
        return Community::fail(Community::ErrorCode::Config, r.path() + QStringLiteral(".sms.statusCallbackUrl must be an http(s) URL"));
    if (!c.sms.statusCallbackUrl.isEmpty() && c.sms.statusCallbackUrl.contains(QLatin1Char('?')))
        return Community::fail(Community::ErrorCode::Config, r.path() + QStringLiteral(".sms.statusCallbackUrl must have no query"));
    if (c.email.enabled() && c.email.from.isEmpty())
        return Community::fail(Community::ErrorCode::Config, r.path() + QStringLiteral(".email.from is required with smtpUrl"));
    if (c.push.enabled && !c.push.subject.startsWith(QLatin1String("mailto:")) && !c.push.subject.startsWith(QLatin1String("https:")))
        return Community::fail(Community::ErrorCode::Config, r.path() + QStringLiteral(".push.subject must be a mailto: or https: URL"));
    return c;
}

} // namespace Notifications
