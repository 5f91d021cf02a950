// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "contenttext.h"

#include "contenterrors.h"

#include "contentcontext.h"

#include "community/contracts/writegate.h"
#include "community/request.h"

#include <QJsonArray>
#include <QSet>

using Community::Error;
using Community::ErrorCode;
using Community::FieldError;
using Community::Result;
using Community::Contracts::UserRecord;

namespace Content {

QStringList parseTags(const QJsonValue &value, const ContentConfig &cfg, QList<FieldError> &errors)
{
    const QString field = QStringLiteral("tags");
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isArray()) {
        errors.append({field, QStringLiteral("must be an array of strings"), QStringLiteral("type")});
        return {};
    }
    const QJsonArray arr = value.toArray();
    if (arr.size() > cfg.maxTags) {
        errors.append({field, QStringLiteral("at most %1 tags").arg(cfg.maxTags), QStringLiteral("too_many")});
        return {};
    }
    QStringList tags;
    for (qsizetype i = 0; i < arr.size(); ++i) {
        const QString f = QStringLiteral("tags[%1]").arg(i);
        if (!arr.at(i).isString()) {
            errors.append({f, QStringLiteral("must be a string"), QStringLiteral("type")});
            continue;
        }
        // NFC like every text field (BodyReader's rule): one tag whether sent composed or not.
        const QString tag = arr.at(i).toString().normalized(QString::NormalizationForm_C).trimmed().toLower();
        bool ok = !tag.isEmpty() && Community::Http::codePoints(tag) <= cfg.tagMax && tag.front() != QLatin1Char('-')
                  && tag.back() != QLatin1Char('-');
        for (QChar c : tag)
            ok = ok && (c.isLetterOrNumber() || c == QLatin1Char('-'));
        if (!ok) {
            errors.append({f, QStringLiteral("tags are 1–%1 letters, digits or inner hyphens").arg(cfg.tagMax),
                           QStringLiteral("invalid_tag")});
            continue;
        }
        if (tags.contains(tag)) {
            errors.append({f, QStringLiteral("duplicate tag"), QStringLiteral("duplicate")});
            continue;
        }
        tags.append(tag);
    }
    return tags;
}

Result<RenderedMarkdown> renderBody(const QString &markdown, const ContentConfig &cfg, const QString &field)
{
    auto r = renderMarkdown(markdown, cfg.markdown);
    if (!r && r.error().code == ErrorCode::InvalidArgument) {
        Error e = r.error();
        for (FieldError &f : e.fields)
            f.field = field;
        if (e.fields.isEmpty())
            e.fields.append({field, e.message, QStringLiteral("invalid")});
        return tl::unexpected(e);
    }
    return r;
}

namespace {

Result<QList<UserRecord>> resolveMentions(const ContentContext &ctx, const QStringList &names, qint64 authorId)
{
    QList<UserRecord> users;
    QSet<qint64> seen;
    for (const QString &name : names) {
        if (users.size() >= ctx.config.maxMentions)
            break;
        auto u = ctx.directory.findByUsername(name);
        if (!u) {
            if (u.error().code == ErrorCode::NotFound)
                continue;
            return tl::unexpected(u.error());
        }
        if (u->id == authorId || seen.contains(u->id) || u->state != Community::Contracts::AccountState::Active)
            continue;
        seen.insert(u->id);
        users.append(*u);
    }
    return users;
}

} // namespace

Result<PreparedBody> prepareBody(const ContentContext &ctx, const QString &markdown, qint64 authorId)
{
    auto rendered = renderBody(markdown, ctx.config);
    if (!rendered)
        return tl::unexpected(rendered.error());
    auto mentioned = resolveMentions(ctx, rendered->mentions, authorId);
    if (!mentioned)
        return tl::unexpected(mentioned.error());
    auto relations = ctx.relations.relationsOf(authorId);
    if (!relations)
        return tl::unexpected(relations.error());
    for (const auto &u : std::as_const(*mentioned)) {
        if (relations->isBlockedBy(u.id))
            return tl::unexpected(blocked(QStringLiteral("mention of @%1").arg(u.username)));
    }
    return PreparedBody{std::move(*rendered), std::move(*mentioned), std::move(*relations)};
}

Result<void> checkWrite(const ContentContext &ctx, const QString &kind, qint64 authorId,
                        const QList<std::pair<QString, QString>> &fields)
{
    if (!ctx.writeGate)
        return {};
    if (auto refusal = ctx.writeGate->check(Community::Contracts::WriteAttempt{kind, authorId, fields}))
        return tl::unexpected(*refusal);
    return {};
}

QList<UserRecord> newlyMentioned(const ContentConfig &cfg, const QString &oldMarkdown, const QList<UserRecord> &mentioned)
{
    if (mentioned.isEmpty())
        return {};
    auto before = renderBody(oldMarkdown, cfg);
    const QStringList previous = before ? before->mentions : QStringList();
    QList<UserRecord> fresh;
    for (const auto &u : mentioned)
        if (!previous.contains(u.username, Qt::CaseInsensitive))
            fresh.append(u);
    return fresh;
}

} // namespace Content
