// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "indexer.h"

#include "plaintext.h"
#include "searchmetrics.h"
#include "suggestkeys.h"
#include "textanalysis.h"

#include "community/contracts/events/users.h"
#include "community/database.h"

#include <QDebug>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSet>

#include <pqxx/pqxx>

#include <cmath>

Q_LOGGING_CATEGORY(lcSearchIndex, "community.search.index")

namespace Search {

using Community::ErrorCode;
using Community::Result;
using Community::Events::Event;
namespace ContentEvents = Community::Contracts::Events::Content;
namespace UsersEvents = Community::Contracts::Events::Users;

namespace {

constexpr int kMaxBodyChars = 100'000;

std::string s(const QString &q) { return q.toStdString(); }

std::optional<std::string> optId(const std::optional<qint64> &v)
{
    return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}

std::optional<std::string> optText(const QString &v)
{
    return v.isNull() ? std::nullopt : std::optional<std::string>(v.toStdString());
}

QString tokens(const QStringList &list)
{
    return list.join(QLatin1Char(' '));
}

void analyseTitle(DocumentInput &d, const QString &text)
{
    const Analyzed a = analyze(text);
    d.latinTitle = a.latin;
    d.stemsTitle = tokens(a.stems());
    d.gramsTitle = tokens(a.grams());
}

void analyseBody(DocumentInput &d, const QString &text)
{
    const Analyzed a = analyze(text);
    d.latinBody = a.latin;
    d.stemsBody = tokens(a.stems());
    d.gramsBody = tokens(a.grams());
}

void analyseTags(DocumentInput &d, const QStringList &tagsAndAliases)
{
    const Analyzed a = analyze(tagsAndAliases.join(QLatin1Char(' ')));
    d.latinTags = a.latin;
    d.stemsTags = tokens(a.stems());
}

double popularity(double n)
{
    return 1.0 + std::log1p(std::max(0.0, n));
}

void clearText(DocumentInput &d)
{
    d.title.clear();
    d.body.clear();
    d.tags.clear();
    d.suggestTerm.clear();
    d.latinTitle.clear();
    d.stemsTitle.clear();
    d.gramsTitle.clear();
    d.latinTags.clear();
    d.stemsTags.clear();
    d.latinBody.clear();
    d.stemsBody.clear();
    d.gramsBody.clear();
}

std::optional<qint64> optionalId(qint64 id)
{
    return id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

/// f(*event), or nothing for a payload the contract could not read.
template<typename E, typename F>
std::optional<DocumentInput> mapped(const std::optional<E> &event, F f)
{
    return event ? std::optional<DocumentInput>(f(*event)) : std::nullopt;
}

QDateTime timeOr(const QDateTime &t, const QDateTime &fallback)
{
    return t.isValid() ? t : fallback;
}

DocumentInput commentDocument(const ContentEvents::CommentChanged &c)
{
    DocumentInput d;
    d.kind = QStringLiteral("comment");
    d.refId = c.commentId;
    d.postId = optionalId(c.postId);
    d.communityId = optionalId(c.communityId);
    d.authorId = optionalId(c.authorId);
    d.authorName = c.authorName;
    d.state = c.state.isEmpty() ? QStringLiteral("visible") : c.state;
    d.revision = c.revision;
    d.createdAt = timeOr(c.createdAt, QDateTime::currentDateTimeUtc());
    if (d.state != QLatin1String("visible"))
        return d;
    d.body = markdownToPlain(c.body, kMaxBodyChars);
    analyseBody(d, d.body);
    return d;
}

DocumentInput communityDocument(const ContentEvents::CommunityChanged &c)
{
    DocumentInput d;
    d.kind = QStringLiteral("community");
    d.refId = c.id;
    d.communityId = c.id;
    d.communitySlug = c.slug;
    d.authorId = optionalId(c.createdById);
    d.authorName = c.createdByName;
    d.title = c.title;
    d.body = markdownToPlain(c.description, kMaxBodyChars);
    d.createdAt = timeOr(c.createdAt, QDateTime::currentDateTimeUtc());
    analyseTitle(d, d.title);
    analyseTags(d, {d.communitySlug});
    analyseBody(d, d.body);
    d.suggestKind = QStringLiteral("community");
    d.suggestTerm = d.title.isEmpty() ? d.communitySlug : d.title;
    d.suggestDetail = d.communitySlug;
    d.suggestAliases = {d.communitySlug};
    d.suggestWeight = popularity(c.memberCount);
    return d;
}

DocumentInput userDocument(const UsersEvents::ProfileChanged &u, const QDateTime &publishedAt)
{
    DocumentInput d;
    d.kind = QStringLiteral("user");
    d.refId = u.userId;
    d.authorId = u.userId;
    const UsersEvents::ProfileChanged::Public p = u.profile.value_or(UsersEvents::ProfileChanged::Public{});
    d.authorName = p.username;
    d.state = p.state.isEmpty() || p.state == QLatin1String("active") ? QStringLiteral("visible") : p.state;
    d.createdAt = timeOr(p.createdAt, publishedAt);
    if (d.state != QLatin1String("visible"))
        return d;
    d.title = p.displayName.isEmpty() ? d.authorName : p.displayName;
    d.body = markdownToPlain(p.bio, kMaxBodyChars);
    analyseTitle(d, d.title);
    analyseTags(d, {d.authorName});
    analyseBody(d, d.body);
    d.suggestKind = QStringLiteral("user");
    d.suggestTerm = d.authorName;
    d.suggestDetail = p.displayName;
    d.suggestAliases = {p.displayName};
    return d;
}

QStringList jsonStrings(const QByteArray &json)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json).array())
        out.append(v.toString());
    return out;
}

struct Existing {
    bool found = false;
    QString state;
    QString title;
    QStringList tags;
    QString authorName;
    qint64 eventId = 0;
    int revision = 0;
};

Existing lockExisting(pqxx::transaction_base &tx, const QString &kind, qint64 refId)
{
    const pqxx::result r = tx.exec_params(
        "SELECT state, title, array_to_json(tags)::text, author_name, event_id, revision "
        "FROM search.documents WHERE kind = $1 AND ref_id = $2 FOR UPDATE",
        s(kind), refId);
    Existing e;
    if (r.empty())
        return e;
    e.found = true;
    e.state = QString::fromUtf8(r[0][0].c_str());
    e.title = QString::fromUtf8(r[0][1].c_str());
    e.tags = jsonStrings(QByteArray(r[0][2].c_str()));
    e.authorName = r[0][3].is_null() ? QString() : QString::fromUtf8(r[0][3].c_str());
    e.eventId = r[0][4].as<qint64>();
    e.revision = r[0][5].as<int>();
    return e;
}

void writeDocument(pqxx::transaction_base &tx, const DocumentInput &d, qint64 eventId, bool parentVisible,
                   const QString &parentTitle)
{
    tx.exec_params(
        "INSERT INTO search.documents (kind, ref_id, post_id, community_id, community_slug, author_id, author_name, "
        " tags, title, body, parent_title, state, parent_visible, score, revision, event_id, created_at, indexed_at, tsv) "
        "VALUES ($1, $2, $3::bigint, $4::bigint, $5, $6::bigint, $7, ARRAY(SELECT jsonb_array_elements_text($8::jsonb)), "
        " $9, $10, $11, $12::text, $13, $14, $15, $16, $17::timestamptz, now(), "
        " CASE WHEN $12::text = 'visible' THEN search.doc_vector($18, $19, $20, $21, $22, $23, $24, $25) "
        "      ELSE ''::tsvector END) "
        "ON CONFLICT (kind, ref_id) DO UPDATE SET post_id = EXCLUDED.post_id, community_id = EXCLUDED.community_id, "
        " community_slug = EXCLUDED.community_slug, author_id = EXCLUDED.author_id, author_name = EXCLUDED.author_name, "
        " tags = EXCLUDED.tags, title = EXCLUDED.title, body = EXCLUDED.body, parent_title = EXCLUDED.parent_title, "
        " state = EXCLUDED.state, parent_visible = EXCLUDED.parent_visible, score = EXCLUDED.score, "
        " revision = EXCLUDED.revision, event_id = EXCLUDED.event_id, created_at = EXCLUDED.created_at, "
        " indexed_at = now(), tsv = EXCLUDED.tsv",
        s(d.kind), d.refId, optId(d.postId), optId(d.communityId), optText(d.communitySlug.isEmpty() ? QString() : d.communitySlug),
        optId(d.authorId), optText(d.authorName.isEmpty() ? QString() : d.authorName),
        QJsonDocument(QJsonArray::fromStringList(d.tags)).toJson(QJsonDocument::Compact).toStdString(),
        s(d.title), s(d.body), optText(parentTitle), s(d.state), parentVisible, d.score, d.revision, eventId,
        s(d.createdAt.toUTC().toString(Qt::ISODateWithMs)),
        s(d.latinTitle), s(d.stemsTitle), s(d.gramsTitle), s(d.latinTags), s(d.stemsTags), s(d.latinBody),
        s(d.stemsBody), s(d.gramsBody));
}

QByteArray keysJson(const QList<SuggestionKey> &keys)
{
    QJsonArray arr;
    for (const SuggestionKey &k : keys) {
        if (k.jamo.isEmpty())
            continue;
        arr.append(QJsonObject{{QStringLiteral("pos"), k.pos},
                               {QStringLiteral("jamo"), k.jamo},
                               {QStringLiteral("choseong"), k.choseong}});
    }
    return QJsonDocument(arr).toJson(QJsonDocument::Compact);
}

/// The distinct words (two characters or more) of a suggestion's term and aliases.
QStringList vocabularyWords(const QString &text)
{
    QStringList out;
    QString word;
    auto flush = [&] {
        if (word.toUcs4().size() >= 2 && word.size() <= 40 && !out.contains(word))
            out.append(word);
        word.clear();
    };
    for (const QChar c : normalizeForSuggest(text)) {
        if (c.isLetterOrNumber() || c.isMark() || c.isSurrogate())
            word += c;
        else
            flush();
    }
    flush();
    return out;
}

/// Moves vocabulary use counts from `before` to `after` (a word at zero uses is gone).
void adjustVocabulary(pqxx::transaction_base &tx, const QStringList &before, const QStringList &after)
{
    QJsonArray added;
    QJsonArray removed;
    for (const QString &w : after) {
        if (!before.contains(w))
            added.append(QJsonArray{w, transliterate(w)});
    }
    for (const QString &w : before) {
        if (!after.contains(w))
            removed.append(w);
    }
    if (!added.isEmpty()) {
        tx.exec_params(
            "INSERT INTO search.vocabulary AS v (word, translit, uses) "
            "SELECT x ->> 0, x ->> 1, 1 FROM jsonb_array_elements($1::jsonb) x "
            "ON CONFLICT (word) DO UPDATE SET uses = v.uses + 1",
            QJsonDocument(added).toJson(QJsonDocument::Compact).toStdString());
    }
    if (!removed.isEmpty()) {
        const std::string words = QJsonDocument(removed).toJson(QJsonDocument::Compact).toStdString();
        tx.exec_params("UPDATE search.vocabulary SET uses = uses - 1 "
                       "WHERE word IN (SELECT jsonb_array_elements_text($1::jsonb)) AND uses > 0", words);
        tx.exec_params("DELETE FROM search.vocabulary "
                       "WHERE word IN (SELECT jsonb_array_elements_text($1::jsonb)) AND uses <= 0", words);
    }
}

/// Deletes a suggestion; returns the vocabulary words it had contributed.
QStringList deleteSuggestion(pqxx::transaction_base &tx, const QString &kind, const QString &ref)
{
    const pqxx::result r = tx.exec_params(
        "DELETE FROM search.suggestions WHERE kind = $1 AND ref = $2 RETURNING vocab", s(kind), s(ref));
    for (const auto &row : r) {
        if (!row[0].is_null())
            return QString::fromUtf8(row[0].c_str()).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    }
    return {};
}

void removeSuggestion(pqxx::transaction_base &tx, const QString &kind, const QString &ref)
{
    adjustVocabulary(tx, deleteSuggestion(tx, kind, ref), {});
}

void writeSuggestion(pqxx::transaction_base &tx, const QString &kind, const QString &ref, const QString &term,
                     const QString &detail, const QStringList &aliases, double weight)
{
    const QStringList before = deleteSuggestion(tx, kind, ref);
    QStringList after;
    if (!term.trimmed().isEmpty()) {
        after = vocabularyWords(term + QLatin1Char(' ') + aliases.join(QLatin1Char(' ')));
        tx.exec_params(
            "INSERT INTO search.suggestions (kind, ref, pos, term, detail, weight, jamo, choseong, vocab) "
            "SELECT $1, $2, (k ->> 'pos')::smallint, $3, $4, $5, k ->> 'jamo', k ->> 'choseong', "
            "       CASE WHEN (k ->> 'pos')::int = 0 THEN $6 END "
            "FROM jsonb_array_elements($7::jsonb) k",
            s(kind), s(ref), s(term.left(300)), optText(detail.isEmpty() ? QString() : detail.left(300)), weight,
            s(after.join(QLatin1Char(' '))), keysJson(suggestionKeys(term, aliases)).toStdString());
    }
    adjustVocabulary(tx, before, after);
}

/// Moves a tag's post count (its suggestion weight) by `delta`; at zero the tag is gone.
void countTag(pqxx::transaction_base &tx, const QString &tag, int delta)
{
    if (delta > 0) {
        const QStringList words = vocabularyWords(tag);
        const pqxx::result r = tx.exec_params(
            "INSERT INTO search.suggestions AS s (kind, ref, pos, term, weight, jamo, choseong, vocab) "
            "SELECT 'tag', $1, (k ->> 'pos')::smallint, $1, $2, k ->> 'jamo', k ->> 'choseong', "
            "       CASE WHEN (k ->> 'pos')::int = 0 THEN $3 END "
            "FROM jsonb_array_elements($4::jsonb) k "
            "ON CONFLICT (kind, ref, pos) DO UPDATE SET weight = s.weight + EXCLUDED.weight "
            "RETURNING pos, (xmax = 0)",
            s(tag), delta, s(words.join(QLatin1Char(' '))), keysJson(suggestionKeys(tag)).toStdString());
        for (const auto &row : r) {
            if (row[0].as<int>() == 0 && row[1].as<bool>())
                adjustVocabulary(tx, {}, words);   // a new tag
        }
    } else if (delta < 0) {
        tx.exec_params("UPDATE search.suggestions SET weight = weight + $2 WHERE kind = 'tag' AND ref = $1", s(tag), delta);
        const pqxx::result r = tx.exec_params(
            "DELETE FROM search.suggestions WHERE kind = 'tag' AND ref = $1 AND weight <= 0 RETURNING vocab", s(tag));
        for (const auto &row : r) {
            if (!row[0].is_null())
                adjustVocabulary(tx, QString::fromUtf8(row[0].c_str()).split(QLatin1Char(' '), Qt::SkipEmptyParts), {});
        }
    }
}

bool applyPost(pqxx::transaction_base &tx, const PreparedEvent &e)
{
    const DocumentInput &d = e.doc;
    const Existing old = lockExisting(tx, d.kind, d.refId);
    if (old.found && (old.eventId >= e.eventId || old.revision > d.revision))
        return false;
    writeDocument(tx, d, e.eventId, true, QString());
    const bool visible = d.state == QLatin1String("visible");
    const bool wasVisible = old.found && old.state == QLatin1String("visible");

    // Comments follow their post's visibility and title.
    if (old.found && (visible != wasVisible || d.title != old.title)) {
        tx.exec_params(
            "UPDATE search.documents SET parent_visible = $2, parent_title = $3 "
            "WHERE kind = 'comment' AND post_id = $1 AND (parent_visible, parent_title) IS DISTINCT FROM ($2, $3)",
            d.refId, visible, optText(visible ? d.title : QString()));
    }

    const QString ref = QString::number(d.refId);
    if (visible)
        writeSuggestion(tx, QStringLiteral("title"), ref, d.title, ref, {}, popularity(d.score));
    else if (wasVisible)
        removeSuggestion(tx, QStringLiteral("title"), ref);

    const QStringList before = wasVisible ? old.tags : QStringList();
    const QStringList after = visible ? d.tags : QStringList();
    for (const QString &t : after) {
        if (!before.contains(t))
            countTag(tx, t, +1);
    }
    for (const QString &t : before) {
        if (!after.contains(t))
            countTag(tx, t, -1);
    }
    return true;
}

bool applyComment(pqxx::transaction_base &tx, const PreparedEvent &e)
{
    DocumentInput d = e.doc;
    const Existing old = lockExisting(tx, d.kind, d.refId);
    if (old.found && (old.eventId >= e.eventId || old.revision > d.revision))
        return false;
    bool parentVisible = true;
    QString parentTitle;
    if (d.postId) {
        const pqxx::result post = tx.exec_params(
            "SELECT state, title, community_slug FROM search.documents WHERE kind = 'post' AND ref_id = $1", *d.postId);
        if (!post.empty()) {
            parentVisible = QString::fromUtf8(post[0][0].c_str()) == QLatin1String("visible");
            parentTitle = QString::fromUtf8(post[0][1].c_str());
            if (!post[0][2].is_null())
                d.communitySlug = QString::fromUtf8(post[0][2].c_str());
        }
    }
    if (d.communitySlug.isEmpty() && d.communityId) {
        const pqxx::result c = tx.exec_params(
            "SELECT community_slug FROM search.documents WHERE kind = 'community' AND ref_id = $1", *d.communityId);
        if (!c.empty() && !c[0][0].is_null())
            d.communitySlug = QString::fromUtf8(c[0][0].c_str());
    }
    writeDocument(tx, d, e.eventId, parentVisible, parentVisible ? parentTitle : QString());
    return true;
}

bool applyCommunity(pqxx::transaction_base &tx, const PreparedEvent &e)
{
    const DocumentInput &d = e.doc;
    const Existing old = lockExisting(tx, d.kind, d.refId);
    if (old.found && old.eventId >= e.eventId)
        return false;
    writeDocument(tx, d, e.eventId, true, QString());
    writeSuggestion(tx, QStringLiteral("community"), QString::number(d.refId), d.suggestTerm, d.suggestDetail,
                    d.suggestAliases, d.suggestWeight);
    return true;
}

bool applyUser(pqxx::transaction_base &tx, const PreparedEvent &e)
{
    const DocumentInput &d = e.doc;
    const Existing old = lockExisting(tx, d.kind, d.refId);
    if (old.found && old.eventId >= e.eventId)
        return false;
    writeDocument(tx, d, e.eventId, true, QString());
    const QString ref = QString::number(d.refId);
    if (d.state == QLatin1String("visible"))
        writeSuggestion(tx, QStringLiteral("user"), ref, d.suggestTerm, d.suggestDetail, d.suggestAliases, 1);
    else
        removeSuggestion(tx, QStringLiteral("user"), ref);
    // A rename reaches the author names of the user's posts and comments (author filter).
    if (old.found && !d.authorName.isEmpty() && old.authorName != d.authorName) {
        tx.exec_params(
            "UPDATE search.documents SET author_name = $2 "
            "WHERE author_id = $1 AND kind IN ('post', 'comment') AND author_name IS DISTINCT FROM $2",
            d.refId, s(d.authorName));
    }
    return true;
}

bool applyVote(pqxx::transaction_base &tx, const PreparedEvent &e)
{
    const pqxx::result r = tx.exec_params(
        "UPDATE search.documents SET score = $3, event_id = $4 "
        "WHERE kind = $1 AND ref_id = $2 AND event_id < $4 RETURNING searchable",
        s(e.voteKind), e.voteTarget, e.voteScore, e.eventId);
    if (r.empty())
        return false;
    if (e.voteKind == QLatin1String("post") && r[0][0].as<bool>()) {
        tx.exec_params("UPDATE search.suggestions SET weight = $2 WHERE kind = 'title' AND ref = $1",
                       std::to_string(e.voteTarget), popularity(e.voteScore));
    }
    return true;
}

} // namespace

Indexer::Indexer(Community::Db::Database &db, SearchMetrics *metrics) : m_db(db), m_metrics(metrics) {}

QStringList Indexer::eventTypes()
{
    namespace C = ContentEvents::Type;
    namespace U = UsersEvents::Type;
    return {
        C::CommunityCreated, C::CommunityUpdated, C::PostCreated,    C::PostEdited,      C::PostDeleted,
        C::PostRestored,     C::PostRemoved,      C::PostPinned,     C::PostUnpinned,    C::PostLocked,
        C::PostUnlocked,     C::CommentCreated,   C::CommentEdited,  C::CommentDeleted,  C::CommentRemoved,
        C::CommentRestored,  C::VoteChanged,      U::ProfileCreated, U::ProfileUpdated,  U::ProfileDeleted,
    };
}

DocumentInput Indexer::postDocument(const ContentEvents::PostChanged &p)
{
    DocumentInput d;
    d.kind = QStringLiteral("post");
    d.refId = p.postId;
    d.postId = p.postId;
    d.communityId = optionalId(p.communityId);
    d.communitySlug = p.communitySlug;
    d.authorId = optionalId(p.authorId);
    d.authorName = p.authorName;
    d.state = p.state.isEmpty() ? QStringLiteral("visible") : p.state;
    d.score = p.score;
    d.revision = p.revision;
    d.createdAt = timeOr(p.createdAt, QDateTime::currentDateTimeUtc());
    if (d.state != QLatin1String("visible"))
        return d;
    for (const QString &t : p.tags) {
        const QString tag = t.trimmed().toLower();
        if (!tag.isEmpty() && !d.tags.contains(tag))
            d.tags.append(tag);
    }
    d.title = p.title;
    d.body = markdownToPlain(p.body, kMaxBodyChars);
    analyseTitle(d, d.title);
    analyseTags(d, d.tags);
    analyseBody(d, d.body);
    return d;
}

PreparedEvent Indexer::prepare(const Event &event)
{
    PreparedEvent e;
    e.eventId = event.id;
    e.publishedAt = event.createdAt;
    const QString &type = event.type;
    const QJsonObject &p = event.payload;
    const auto upsert = [&e](std::optional<DocumentInput> doc) {
        if (doc) {
            e.doc = std::move(*doc);
            e.op = PreparedEvent::Op::Upsert;
        }
    };
    if (type.startsWith(QLatin1String("content.post."))) {
        upsert(mapped(ContentEvents::PostChanged::fromJson(p), &Indexer::postDocument));
    } else if (type.startsWith(QLatin1String("content.comment."))) {
        upsert(mapped(ContentEvents::CommentChanged::fromJson(p), &commentDocument));
    } else if (type.startsWith(QLatin1String("content.community."))) {
        upsert(mapped(ContentEvents::CommunityChanged::fromJson(p), &communityDocument));
    } else if (type == UsersEvents::Type::ProfileDeleted) {
        const auto u = UsersEvents::ProfileChanged::fromJson(p);
        e.doc.kind = QStringLiteral("user");
        e.doc.refId = u ? u->userId : 0;
        e.doc.authorId = e.doc.refId;
        e.doc.state = QStringLiteral("deleted");
        e.doc.createdAt = event.createdAt;
        e.op = PreparedEvent::Op::DeleteUser;
    } else if (type.startsWith(QLatin1String("users.profile."))) {
        if (const auto u = UsersEvents::ProfileChanged::fromJson(p))
            upsert(userDocument(*u, event.createdAt));
    } else if (type == ContentEvents::Type::VoteChanged) {
        const auto v = ContentEvents::VoteChanged::fromJson(p);
        if (!v)
            return e;
        e.voteKind = v->targetType;
        e.voteTarget = v->targetId;
        e.voteScore = v->score;
        const bool known = e.voteKind == QLatin1String("post") || e.voteKind == QLatin1String("comment");
        e.op = known ? PreparedEvent::Op::Vote : PreparedEvent::Op::Ignore;
        return e;
    }
    if (e.op != PreparedEvent::Op::Ignore && e.doc.refId <= 0)
        e.op = PreparedEvent::Op::Ignore;
    if (e.op == PreparedEvent::Op::Upsert && e.doc.state != QLatin1String("visible"))
        clearText(e.doc);
    return e;
}

bool Indexer::apply(pqxx::transaction_base &tx, const PreparedEvent &e)
{
    switch (e.op) {
    case PreparedEvent::Op::Ignore:
        return false;
    case PreparedEvent::Op::Vote:
        return applyVote(tx, e);
    case PreparedEvent::Op::DeleteUser:
        return applyUser(tx, e);
    case PreparedEvent::Op::Upsert:
        break;
    }
    const QString &kind = e.doc.kind;
    if (kind == QLatin1String("post"))
        return applyPost(tx, e);
    if (kind == QLatin1String("comment"))
        return applyComment(tx, e);
    if (kind == QLatin1String("community"))
        return applyCommunity(tx, e);
    return applyUser(tx, e);
}

Result<void> Indexer::handle(const Event &event)
{
    const PreparedEvent prepared = prepare(event);
    if (prepared.op == PreparedEvent::Op::Ignore) {
        qCWarning(lcSearchIndex, "event %lld (%s) has nothing to index; skipped", static_cast<long long>(event.id),
                  qPrintable(event.type));
    } else {
        auto r = m_db.transact<void>([&](pqxx::work &tx) -> Result<void> {
            // The projection can be rebuilt, and the bus commits its offset (synchronously)
            // only after this transaction: flushing that commit flushes this one too, so an
            // asynchronous commit here loses nothing and saves a WAL flush per event.
            tx.exec("SET LOCAL synchronous_commit = off");
            apply(tx, prepared);
            return {};
        });
        if (!r)
            return r;
    }
    if (m_metrics)
        m_metrics->indexed(event.id, event.createdAt.isValid()
                                         ? double(event.createdAt.msecsTo(QDateTime::currentDateTimeUtc())) / 1000.0
                                         : 0.0);
    return {};
}

void Indexer::truncate(pqxx::transaction_base &tx)
{
    tx.exec("TRUNCATE search.documents, search.suggestions, search.vocabulary");
}

} // namespace Search
