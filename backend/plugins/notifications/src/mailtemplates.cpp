// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mailtemplates.h"

#include "mailmessage.h"
#include "projector.h"

#include <QJsonArray>
#include <QUrl>

namespace Notifications {

namespace {

bool korean(const QString &language)
{
    return language == QLatin1String("ko");
}

/// "mina", "mina and 2 others" / "mina님", "mina님 외 2명".
QString actorsText(const QJsonObject &n, bool ko)
{
    const QJsonArray actors = n.value(QStringLiteral("actors")).toArray();
    const QString first = actors.isEmpty() ? QString() : actors.at(0).toObject().value(QStringLiteral("username")).toString();
    const int others = n.value(QStringLiteral("actorCount")).toInt() - 1;
    if (ko)
        return others > 0 ? QStringLiteral("%1님 외 %2명").arg(first).arg(others) : first + QStringLiteral("님");
    return others > 0 ? QStringLiteral("%1 and %2 other%3").arg(first).arg(others).arg(others == 1 ? "" : "s") : first;
}

QString line(const QJsonObject &n, bool ko)
{
    const QString kind = n.value(QStringLiteral("kind")).toString();
    const QJsonObject s = n.value(QStringLiteral("subject")).toObject();
    const QString who = actorsText(n, ko);
    if (kind == Kind::Reply)
        return s.contains(QStringLiteral("parentId"))
                   ? (ko ? QStringLiteral("%1이 회원님의 댓글에 답글을 남겼습니다").arg(who) : QStringLiteral("%1 replied to your comment").arg(who))
                   : (ko ? QStringLiteral("%1이 회원님의 글에 댓글을 남겼습니다").arg(who) : QStringLiteral("%1 commented on your post").arg(who));
    if (kind == Kind::Mention)
        return ko ? QStringLiteral("%1이 회원님을 언급했습니다").arg(who) : QStringLiteral("%1 mentioned you").arg(who);
    if (kind == Kind::Follow)
        return ko ? QStringLiteral("%1이 회원님을 팔로우합니다").arg(who) : QStringLiteral("%1 started following you").arg(who);
    if (kind == Kind::ChatMessage) {
        const int messages = n.value(QStringLiteral("eventCount")).toInt(1);
        return ko ? QStringLiteral("%1이 채팅 메시지 %2개를 보냈습니다").arg(who).arg(messages)
                  : QStringLiteral("%1 sent you %2 chat message%3").arg(who).arg(messages).arg(messages == 1 ? "" : "s");
    }
    if (kind == Kind::Announcement)
        return (ko ? QStringLiteral("공지: %1") : QStringLiteral("Announcement: %1")).arg(s.value(QStringLiteral("title")).toString());
    const QString m = QString::number(s.value(QStringLiteral("milestone")).toInteger());
    if (kind == Kind::VoteMilestone)
        return ko ? QStringLiteral("회원님의 글이 추천 %1개를 받았습니다").arg(m) : QStringLiteral("Your post reached %1 upvotes").arg(m);
    if (kind == Kind::ReportOutcome)
        return ko ? QStringLiteral("신고하신 내용이 검토되었습니다 (%1)").arg(s.value(QStringLiteral("outcome")).toString())
                  : QStringLiteral("Your report was reviewed (%1)").arg(s.value(QStringLiteral("outcome")).toString());
    return ko ? QStringLiteral("회원님의 계정에 운영 조치가 있습니다 (%1)").arg(s.value(QStringLiteral("penalty")).toString())
              : QStringLiteral("A moderation action on your account (%1)").arg(s.value(QStringLiteral("penalty")).toString());
}

QString link(const QJsonObject &n, const QString &baseUrl)
{
    const QJsonObject s = n.value(QStringLiteral("subject")).toObject();
    if (s.contains(QStringLiteral("postId")))
        return baseUrl + QStringLiteral("/posts/") + s.value(QStringLiteral("postId")).toString();
    if (s.value(QStringLiteral("targetType")).toString() == QLatin1String("chat-room"))
        return baseUrl + QStringLiteral("/chat/") + s.value(QStringLiteral("roomId")).toString();
    // An announcement's own link is the admin's (validated http(s) when published).
    if (const QString url = s.value(QStringLiteral("url")).toString(); !url.isEmpty())
        return url;
    return baseUrl + QStringLiteral("/notifications");
}

RenderedMail wrap(const QString &subject, const QStringList &lines, const QStringList &links, bool ko, const QString &baseUrl)
{
    const QString footer = ko ? QStringLiteral("알림 설정: %1/settings/notifications").arg(baseUrl)
                              : QStringLiteral("Notification settings: %1/settings/notifications").arg(baseUrl);
    QString text, items;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        text += lines[i] + QStringLiteral("\n") + links[i] + QStringLiteral("\n\n");
        items += QStringLiteral("<li><a href=\"%1\">%2</a></li>").arg(htmlEscape(links[i]), htmlEscape(lines[i]));
    }
    text += QStringLiteral("--\n") + footer + QStringLiteral("\n");
    const QString html = QStringLiteral("<!DOCTYPE html><html lang=\"%1\"><body><ul>%2</ul><p style=\"color:#666\">%3</p></body></html>")
                             .arg(ko ? "ko" : "en", items, htmlEscape(footer));
    return {subject, text, html};
}

} // namespace

QStringList mailLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("ko")};
}

RenderedMail renderNotification(const QJsonObject &notification, const QString &language, const QString &baseUrl)
{
    const bool ko = korean(language);
    const QString l = line(notification, ko);
    return wrap(l, {l}, {link(notification, baseUrl)}, ko, baseUrl);
}

RenderedMail renderDigest(const QList<QJsonObject> &notifications, const QString &language, const QString &baseUrl)
{
    const bool ko = korean(language);
    QStringList lines, links;
    for (const QJsonObject &n : notifications) {
        lines << line(n, ko);
        links << link(n, baseUrl);
    }
    const QString subject = ko ? QStringLiteral("새 알림 %1개").arg(notifications.size())
                               : QStringLiteral("%1 new notification%2").arg(notifications.size()).arg(notifications.size() == 1 ? "" : "s");
    return wrap(subject, lines, links, ko, baseUrl);
}

RenderedMail renderAuthMail(const QString &kind, const QString &token, qint64 validMinutes, const QString &language,
                            const QString &baseUrl)
{
    const bool ko = korean(language);
    const bool verify = kind == kAuthVerifyEmail;
    const QString url = baseUrl + (verify ? QStringLiteral("/verify-email?token=") : QStringLiteral("/reset-password?token="))
                        + QString::fromLatin1(QUrl::toPercentEncoding(token));
    const qint64 hours = validMinutes >= 60 && validMinutes % 60 == 0 ? validMinutes / 60 : 0;
    const QString validity = ko ? (hours ? QStringLiteral("%1시간").arg(hours) : QStringLiteral("%1분").arg(validMinutes))
                                : (hours == 1 ? QStringLiteral("1 hour")
                                   : hours    ? QStringLiteral("%1 hours").arg(hours)
                                              : QStringLiteral("%1 minutes").arg(validMinutes));
    QString subject, intro, action, ignore;
    if (verify) {
        subject = ko ? QStringLiteral("이메일 주소를 확인해 주세요") : QStringLiteral("Confirm your email address");
        intro = ko ? QStringLiteral("아래 링크를 열어 이 이메일 주소를 확인해 주세요. 링크는 %1 동안 한 번만 쓸 수 있습니다.").arg(validity)
                   : QStringLiteral("Open the link below to confirm this email address. It works once, for %1.").arg(validity);
        action = ko ? QStringLiteral("이메일 주소 확인") : QStringLiteral("Confirm email address");
        ignore = ko ? QStringLiteral("가입하지 않으셨다면 이 메일을 무시하세요.")
                    : QStringLiteral("If you did not sign up, ignore this message.");
    } else {
        subject = ko ? QStringLiteral("비밀번호 재설정") : QStringLiteral("Reset your password");
        intro = ko ? QStringLiteral("아래 링크를 열어 새 비밀번호를 정하세요. 링크는 %1 동안 한 번만 쓸 수 있습니다.").arg(validity)
                   : QStringLiteral("Open the link below to choose a new password. It works once, for %1.").arg(validity);
        action = ko ? QStringLiteral("비밀번호 재설정") : QStringLiteral("Reset password");
        ignore = ko ? QStringLiteral("요청하지 않으셨다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다.")
                    : QStringLiteral("If you did not ask for this, ignore this message; your password stays as it is.");
    }
    const QString codeLabel = ko ? QStringLiteral("코드") : QStringLiteral("Code");
    const QString text = intro + QStringLiteral("\n\n") + url + QStringLiteral("\n\n") + codeLabel + QStringLiteral(": ") + token
                         + QStringLiteral("\n\n") + ignore + QStringLiteral("\n");
    const QString html = QStringLiteral("<!DOCTYPE html><html lang=\"%1\"><body><p>%2</p><p><a href=\"%3\">%4</a></p>"
                                        "<p>%5: <code>%6</code></p><p style=\"color:#666\">%7</p></body></html>")
                             .arg(ko ? "ko" : "en", htmlEscape(intro), htmlEscape(url), htmlEscape(action), htmlEscape(codeLabel),
                                  htmlEscape(token), htmlEscape(ignore));
    return {subject, text, html};
}

} // namespace Notifications
