// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The comment tree shaping (commenttree.h) without HTTP or a database: which comments a
// page shows, in which order and nesting, placeholders, hidden authors, page limits,
// replies per comment, moreReplies and the next cursor.

#include "commenttree.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

#include "community/request.h"

#include <algorithm>
#include <random>

using namespace Content;

namespace {

constexpr qint64 kHiddenAuthor = 99;

/// Rows from "id/parent/score[flags]" words; flags: d deleted, r removed, h by the hidden
/// author. replyCount is the number of visible direct replies, as the database keeps it.
std::vector<CommentRow> rows(const QString &spec)
{
    std::vector<CommentRow> out;
    for (const QString &word : spec.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QStringList parts = word.split(QLatin1Char('/'));
        QString score = parts.value(2, QStringLiteral("0"));
        QString flags;
        while (!score.isEmpty() && score.back().isLetter()) {
            flags.prepend(score.back());
            score.chop(1);
        }
        CommentRow c;
        c.id = parts.value(0).toLongLong();
        c.parentId = parts.value(1).toLongLong();
        c.postId = 1;
        c.score = score.toInt();
        c.authorId = flags.contains(QLatin1Char('h')) ? kHiddenAuthor : 10 + c.id;
        c.authorName = QStringLiteral("user%1").arg(c.authorId);
        c.body = QStringLiteral("text %1").arg(c.id);
        c.state = flags.contains(QLatin1Char('d')) ? QStringLiteral("deleted")
                  : flags.contains(QLatin1Char('r')) ? QStringLiteral("removed")
                                                     : QStringLiteral("visible");
        c.createdAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + c.id, QTimeZone::utc());
        out.push_back(c);
    }
    for (CommentRow &c : out)
        for (const CommentRow &r : out)
            c.replyCount += r.parentId == c.id && r.state == QLatin1String("visible");
    return out;
}

/// "id(replies)+moreReplies" per node, top-level nodes separated by spaces.
QString signature(const QJsonObject &node)
{
    QString s = node.value(QStringLiteral("id")).toString();
    const QJsonArray replies = node.value(QStringLiteral("replies")).toArray();
    if (!replies.isEmpty()) {
        QStringList inner;
        for (const QJsonValue &r : replies)
            inner << signature(r.toObject());
        s += QLatin1Char('(') + inner.join(QLatin1Char(',')) + QLatin1Char(')');
    }
    if (const int more = node.value(QStringLiteral("moreReplies")).toInt(); more > 0)
        s += QLatin1Char('+') + QString::number(more);
    return s;
}

QJsonArray parse(const TreePage &page)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(page.nodes, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning() << "not JSON:" << error.errorString() << page.nodes;
    return doc.array();
}

QString signature(const TreePage &page)
{
    QStringList nodes;
    for (const QJsonValue &n : parse(page))
        nodes << signature(n.toObject());
    return nodes.join(QLatin1Char(' '));
}

TreeQuery query(CommentSort sort, int limit)
{
    TreeQuery q;
    q.sort = sort;
    q.limit = limit;
    q.anchor = 1;
    q.hidden = {kHiddenAuthor};
    return q;
}

TreePage firstPage(const QString &spec, const TreeQuery &q)
{
    return shapePage(flatCandidates(rows(spec), q), q);
}

} // namespace

class TstCommentTree : public QObject {
    Q_OBJECT

private slots:
    void shapes_data()
    {
        QTest::addColumn<QString>("rows");
        QTest::addColumn<QString>("sort");
        QTest::addColumn<int>("limit");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("more");

        QTest::newRow("best: score, then newest") << "1/0/1 2/0/5 3/0/5 4/0/-1" << "best" << 20 << "3 2 1 4" << false;
        QTest::newRow("new") << "1/0/1 2/0/5 3/0/5 4/0/-1" << "new" << 20 << "4 3 2 1" << false;
        QTest::newRow("old") << "1/0/1 2/0/5 3/0/5 4/0/-1" << "old" << 20 << "1 2 3 4" << false;
        QTest::newRow("nested, siblings sorted") << "1/0/0 2/1/0 3/2/0 4/1/3 5/0/1" << "best" << 20 << "5 1(4,2(3))" << false;
        QTest::newRow("deleted with replies stays, without goes") << "1/0/0d 2/1/0 3/0/0d" << "new" << 20 << "1(2)" << false;
        QTest::newRow("removed placeholder") << "1/0/0r 2/1/0" << "old" << 20 << "1(2)" << false;
        QTest::newRow("hidden author and replies left out") << "1/0/0 2/1/0h 3/2/0" << "old" << 20 << "1+1" << false;
        QTest::newRow("hidden top level") << "1/0/0h 2/1/0 3/0/0" << "old" << 20 << "3" << false;
        QTest::newRow("limit cuts top level") << "1/0/0 2/0/0 3/0/0" << "old" << 2 << "1 2" << true;
        QTest::newRow("limit counts replies") << "1/0/0 2/1/0 3/1/0 4/0/0" << "old" << 3 << "1(2,3)" << true;
        QTest::newRow("replies per comment") << "1/0/0 2/1/0 3/1/0 4/1/0 5/1/0 6/1/0" << "old" << 12 << "1(2,3,4)+2" << false;
        QTest::newRow("first threads' replies before later threads")
            << "1/0/0 2/0/0 3/0/0 4/1/0 5/4/0 6/2/0" << "old" << 4 << "1(4(5)) 2+1" << true;
        QTest::newRow("empty") << "" << "best" << 20 << "" << false;
    }

    void shapes()
    {
        QFETCH(QString, rows);
        QFETCH(QString, sort);
        QFETCH(int, limit);
        QFETCH(QString, expected);
        QFETCH(bool, more);
        const auto parsed = parseCommentSort(sort);
        QVERIFY(parsed.has_value());
        const TreeQuery q = query(*parsed, limit);
        const TreePage page = firstPage(rows, q);
        QCOMPARE(signature(page), expected);
        QCOMPARE(page.nextCursor.isString(), more);
        QCOMPARE(page.count, int(parse(page).size()));
    }

    void candidateOrderDoesNotMatter()
    {
        // The recursive statement returns rows in the planner's order.
        const TreeQuery q = query(CommentSort::Best, 6);
        std::vector<Candidate> candidates = flatCandidates(rows("1/0/2 2/1/1 3/1/4 4/0/1 5/4/0 6/3/0 7/0/3 8/2/0"), q);
        const QByteArray expected = shapePage(candidates, q).nodes;
        std::mt19937 random(42);
        for (int i = 0; i < 20; ++i) {
            std::shuffle(candidates.begin(), candidates.end(), random);
            QCOMPARE(shapePage(candidates, q).nodes, expected);
        }
    }

    void nextCursorContinuesAfterLastTopLevel()
    {
        const TreeQuery q = query(CommentSort::Best, 2);
        const TreePage page = firstPage(QStringLiteral("1/0/1 2/0/7 3/0/4"), q);
        QCOMPARE(signature(page), QStringLiteral("2 3"));
        const auto keys = Community::Http::decodeCursor(sortCursorKind(CommentSort::Best), page.nextCursor.toString(), 2);
        QVERIFY(keys.has_value());
        QCOMPARE(*keys, (QList<qint64>{4, 3}));   // score, id of comment 3
    }

    void placeholdersHideTextUnlessPrivileged()
    {
        TreeQuery q = query(CommentSort::Old, 20);
        const QString spec = QStringLiteral("1/0/0r 2/1/0");
        QJsonObject node = parse(firstPage(spec, q)).at(0).toObject();
        QVERIFY(node.value("author").isNull());
        QCOMPARE(node.value("body").toString(), QString());
        QVERIFY(!node.contains("removedReason"));
        QCOMPARE(node.value("state").toString(), QStringLiteral("removed"));

        q.moderator = true;
        node = parse(firstPage(spec, q)).at(0).toObject();
        QCOMPARE(node.value("author").toObject().value("username").toString(), QStringLiteral("user11"));
        QCOMPARE(node.value("body").toString(), QStringLiteral("text 1"));
        QVERIFY(node.contains("removedReason"));

        q.moderator = false;
        q.viewer = 11;   // its author
        node = parse(firstPage(spec, q)).at(0).toObject();
        QCOMPARE(node.value("body").toString(), QStringLiteral("text 1"));
    }

    void badSort()
    {
        const auto r = parseCommentSort(QStringLiteral("hot"));
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().fields.value(0).field, QStringLiteral("sort"));
        QCOMPARE(r.error().fields.value(0).code, QStringLiteral("invalid_choice"));
    }
};

QTEST_GUILESS_MAIN(TstCommentTree)
#include "tst_commenttree.moc"
