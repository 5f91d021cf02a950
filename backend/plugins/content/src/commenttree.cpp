// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "commenttree.h"

#include "commentjson.h"
#include "jsonwriter.h"

#include "community/request.h"

#include <QHash>

#include <algorithm>
#include <numeric>

namespace Content {

namespace {

struct SortInfo {
    const char *name;
    const char *cursorKind;
};
constexpr SortInfo kSorts[] = {{"best", "tb"}, {"new", "tn"}, {"old", "to"}};

} // namespace

const char *sortName(CommentSort sort)
{
    return kSorts[size_t(sort)].name;
}

QLatin1StringView sortCursorKind(CommentSort sort)
{
    return QLatin1StringView(kSorts[size_t(sort)].cursorKind);
}

int sortCursorKeys(CommentSort sort)
{
    return sort == CommentSort::Best ? 2 : 1;
}

Community::Result<CommentSort> parseCommentSort(const QString &raw)
{
    if (raw.isEmpty())
        return CommentSort::Best;
    for (int s = 0; s < 3; ++s)
        if (raw == QLatin1String(kSorts[s].name))
            return CommentSort(s);
    return tl::unexpected(Community::invalidField(QStringLiteral("sort"), QStringLiteral("must be best, new or old"),
                                                  QStringLiteral("invalid_choice")));
}

int repliesPerNode(int limit) { return std::clamp(limit / 4, 3, 50); }
int candidateRows(int limit) { return 3 * limit; }
int flatThreadMax(int limit) { return std::clamp(2 * limit, 50, 400); }

bool sortsBefore(CommentSort sort, const CommentRow &a, const CommentRow &b)
{
    switch (sort) {
    case CommentSort::Best: return a.score != b.score ? a.score > b.score : a.id > b.id;
    case CommentSort::New: return a.id > b.id;
    case CommentSort::Old: break;
    }
    return a.id < b.id;
}

std::vector<Candidate> flatCandidates(const std::vector<CommentRow> &all, const TreeQuery &q)
{
    QHash<qint64, QList<int>> children;   // parent id (0: top level) -> rows
    for (size_t i = 0; i < all.size(); ++i)
        children[all[i].parentId].append(int(i));
    const auto shown = [&](int i) {
        const CommentRow &c = all[size_t(i)];
        return (c.state == QLatin1String("visible") || children.contains(c.id)) && !q.hidden.contains(c.authorId);
    };
    // Shown children of a parent in the sort, at most `take`.
    const auto pick = [&](qint64 parent, int take) {
        QList<int> kids;
        for (int i : children.value(parent))
            if (shown(i))
                kids.append(i);
        std::sort(kids.begin(), kids.end(), [&](int a, int b) { return sortsBefore(q.sort, all[size_t(a)], all[size_t(b)]); });
        if (kids.size() > take)
            kids.resize(take);
        return kids;
    };
    std::vector<Candidate> out;
    const QList<int> roots = pick(0, q.limit + 1);
    for (int r = 0; r < roots.size(); ++r)
        out.push_back({all[size_t(roots[r])], r, 0});
    const size_t cap = size_t(candidateRows(q.limit));
    const int perNode = repliesPerNode(q.limit);
    for (size_t next = 0; next < out.size() && out.size() < cap; ++next) {   // breadth-first, like the statement
        const Candidate parent = out[next];
        for (int i : pick(parent.row.id, perNode)) {
            if (out.size() >= cap)
                break;
            out.push_back({all[size_t(i)], parent.rank, parent.level + 1});
        }
    }
    return out;
}

namespace {

/// Breadth-first positions of the candidates (the statement's output order is the
/// planner's business): each level ordered by its parents' positions, then the sort.
std::vector<size_t> breadthFirstPositions(const std::vector<Candidate> &items, CommentSort sort)
{
    std::vector<size_t> bfs(items.size());
    std::iota(bfs.begin(), bfs.end(), 0);
    std::stable_sort(bfs.begin(), bfs.end(), [&](size_t a, size_t b) { return items[a].level < items[b].level; });
    QHash<qint64, size_t> position;
    std::vector<size_t> pos(items.size(), 0);
    for (size_t from = 0; from < bfs.size();) {
        size_t to = from;
        while (to < bfs.size() && items[bfs[to]].level == items[bfs[from]].level)
            ++to;
        std::sort(bfs.begin() + qsizetype(from), bfs.begin() + qsizetype(to), [&](size_t a, size_t b) {
            if (items[a].level == 0)
                return items[a].rank < items[b].rank;
            const size_t pa = position.value(items[a].row.parentId), pb = position.value(items[b].row.parentId);
            return pa != pb ? pa < pb : sortsBefore(sort, items[a].row, items[b].row);
        });
        for (size_t k = from; k < to; ++k) {
            position.insert(items[bfs[k]].row.id, k);
            pos[bfs[k]] = k;
        }
        from = to;
    }
    return pos;
}

/// The candidates a page of `limit` nodes shows, in breadth-first order.
std::vector<size_t> pageNodes(const std::vector<Candidate> &items, const std::vector<size_t> &pos, int limit)
{
    std::vector<size_t> order(items.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const int ka = items[a].rank + items[a].level, kb = items[b].rank + items[b].level;
        if (ka != kb)
            return ka < kb;
        return items[a].rank != items[b].rank ? items[a].rank < items[b].rank : pos[a] < pos[b];
    });
    if (order.size() > size_t(limit))
        order.resize(size_t(limit));
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return pos[a] < pos[b]; });
    return order;
}

/// Writes the chosen nodes as nested trees.
class TreeWriter {
public:
    TreeWriter(const std::vector<Candidate> &items, const TreeQuery &q, TreePage &page)
        : m_items(items), m_q(q), m_page(page)
    {
    }

    /// The top-level nodes of `nodes` (breadth-first order), children under their parents.
    QList<size_t> arrange(const std::vector<size_t> &nodes)
    {
        QList<size_t> top;
        for (size_t i : nodes) {
            if (m_items[i].level == 0)
                top.append(i);
            else
                m_children[m_items[i].row.parentId].append(i);
        }
        return top;
    }

    void node(QByteArray &out, size_t i) const
    {
        const CommentRow &c = m_items[i].row;
        const bool privileged = m_q.moderator || (m_q.viewer > 0 && c.authorId == m_q.viewer);
        out += '{';
        appendCommentFields(out, c, privileged, &m_page.places);
        if (c.state != QLatin1String("visible"))
            m_page.seeMore.append(c.authorId);
        out += ",\"replies\":[";
        int shownVisible = 0;
        bool first = true;
        for (size_t k : m_children.value(c.id)) {
            if (!first)
                out += ',';
            first = false;
            node(out, k);
            shownVisible += m_items[k].row.state == QLatin1String("visible");
        }
        out += "],\"moreReplies\":";
        JsonWriter::appendNumber(out, std::max(0, c.replyCount - shownVisible));
        out += '}';
    }

private:
    const std::vector<Candidate> &m_items;
    const TreeQuery &m_q;
    TreePage &m_page;
    QHash<qint64, QList<size_t>> m_children;
};

} // namespace

TreePage shapePage(std::vector<Candidate> items, const TreeQuery &q)
{
    int fetchedRoots = 0;
    for (const Candidate &c : items)
        fetchedRoots += c.level == 0;
    TreePage page;
    for (const Candidate &c : items)   // the look-ahead comment's too: hiding it changes nextCursor
        page.authors.append(c.row.authorId);
    // The extra top-level comment only says that there are more.
    std::erase_if(items, [&](const Candidate &c) { return c.rank >= q.limit; });

    const std::vector<size_t> nodes = pageNodes(items, breadthFirstPositions(items, q.sort), q.limit);
    TreeWriter writer(items, q, page);
    const QList<size_t> top = writer.arrange(nodes);
    page.nodes = "[";
    page.nodes.reserve(1024 * qsizetype(nodes.size() + 1));
    for (size_t i : top) {
        if (page.count++)
            page.nodes += ',';
        writer.node(page.nodes, i);
    }
    page.nodes += ']';
    if (q.scope != TreeScope::Single && !top.isEmpty() && fetchedRoots > top.size()) {
        const CommentRow &last = items[top.last()].row;
        const QLatin1StringView kind = sortCursorKind(q.sort);
        page.nextCursor = q.sort == CommentSort::Best ? Community::Http::encodeCursor(kind, {last.score, last.id})
                                                      : Community::Http::encodeCursor(kind, {last.id});
    }
    return page;
}

} // namespace Content
