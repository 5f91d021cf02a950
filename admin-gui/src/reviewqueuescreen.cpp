// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "reviewqueuescreen.h"

#include "bulkpreview.h"
#include "decisionpanel.h"
#include "decisionpresets.h"
#include "itemcontext.h"
#include "screenparts.h"
#include "jsontablemodel.h"
#include "mediastrip.h"
#include "requestprogress.h"
#include "session.h"
#include "triagekeys.h"

#include "community/client/endpoints.h"
#include "community/client/realtimeclient.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

using namespace Community::Client;

namespace Console {

namespace {

const QString kTopic = QStringLiteral("admin:queue");

QString claimText(const QJsonObject &item)
{
    return item.value(QStringLiteral("claim")).toObject().value(QStringLiteral("holder")).toString();
}

QString reasonsText(const QJsonObject &item)
{
    QStringList reasons;
    for (const QJsonValue &v : item.value(QStringLiteral("reasons")).toArray())
        reasons << v.toString();
    return reasons.join(QStringLiteral(", "));
}

} // namespace

ReviewQueueScreen::ReviewQueueScreen(Session *session, QWidget *parent)
    : QWidget(parent),
      m_session(session),
      m_progress(new RequestProgress(session, this)),
      m_model(new JsonTableModel({{QStringLiteral("✓"), {}, [this](const QJsonObject &i) {
                                      return m_marked.contains(i.value(QStringLiteral("id")).toString()) ? QStringLiteral("✓") : QString();
                                  }},
                                  {tr("Priority"), QStringLiteral("priority")},
                                  {tr("Kind"), QStringLiteral("kind")},
                                  {tr("Target"), {}, [](const QJsonObject &i) {
                                      return JsonTableModel::valueAt(i, QStringLiteral("target.type")) + QLatin1Char(' ')
                                           + JsonTableModel::valueAt(i, QStringLiteral("target.id"));
                                  }},
                                  {tr("Reasons"), {}, reasonsText},
                                  {tr("Reports"), QStringLiteral("openReports")},
                                  {tr("Held by"), {}, claimText},
                                  {tr("Opened"), {}, [](const QJsonObject &i) {
                                      const QDateTime at = QDateTime::fromString(i.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs);
                                      return at.toLocalTime().toString(QStringLiteral("MM-dd HH:mm"));
                                  }}},
                                 this)),
      m_context(new ItemContext(this)),
      m_list(new QTableView),
      m_detail(new QTextBrowser),
      m_panel(new DecisionPanel),
      m_media(new MediaStrip(m_progress)),
      m_search(new QLineEdit),
      m_status(new QComboBox),
      m_liveLabel(new QLabel),
      m_feedback(new QLabel)
{
    buildLayout();
    bindKeys();
    m_reloadSoon.setSingleShot(true);
    m_reloadSoon.setInterval(250);   // a burst of frames is one reload
    connect(&m_reloadSoon, &QTimer::timeout, this, &ReviewQueueScreen::reload);
    connect(m_status, &QComboBox::currentIndexChanged, this, &ReviewQueueScreen::reload);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ReviewQueueScreen::showSelected);
    connect(m_model, &JsonTableModel::failed, this, [this](const QString &message) { setFeedback(message, true); });
    connect(m_model, &JsonTableModel::loaded, this, &ReviewQueueScreen::onLoaded);
    connect(m_context, &ItemContext::changed, this, [this] {
        m_detail->setHtml(m_context->html());
        const QStringList images = m_context->imageUrls();
        if (images != m_mediaUrls) {
            m_mediaUrls = images;
            m_media->load(images);
        }
    });
    m_progress->watch(m_model);
    connect(m_progress, &RequestProgress::cancelled, this, [this] { setFeedback(tr("Cancelled: the server was not waited for."), true); });
    connect(m_panel, &DecisionPanel::decideRequested, this, &ReviewQueueScreen::decideWithPanel);
    connectLive();
}

void ReviewQueueScreen::buildLayout()
{
    m_search->setPlaceholderText(tr("Search (/): words, post/comment/chat_message, spam/harassment/off-topic/illegal/other"));
    m_search->setClearButtonEnabled(true);
    m_status->addItem(tr("Open"), QStringLiteral("open"));
    m_status->addItem(tr("Resolved"), QStringLiteral("resolved"));
    setUpRowList(m_list, m_model);
    m_detail->setOpenLinks(false);  // nothing in a report opens or loads anything
    m_panel->setMinimumWidth(260);

    auto *itemPane = new QWidget;
    auto *itemLayout = new QVBoxLayout(itemPane);
    itemLayout->setContentsMargins(0, 0, 0, 0);
    itemLayout->addWidget(m_detail, 1);
    itemLayout->addWidget(m_media);
    auto *panes = new QSplitter;
    panes->addWidget(m_list);
    panes->addWidget(itemPane);
    panes->addWidget(m_panel);
    panes->setStretchFactor(0, 3);
    panes->setStretchFactor(1, 3);
    panes->setStretchFactor(2, 1);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Queue:")));
    top->addWidget(m_status);
    top->addWidget(m_search, 1);
    top->addWidget(m_liveLabel);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(panes, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_feedback);
    setFocusProxy(m_list);
    setTabOrder(m_list, m_detail);
    setTabOrder(m_detail, m_panel);
}

void ReviewQueueScreen::bindKeys()
{
    auto *keys = new TriageKeys(this);
    keys->bind(Qt::Key_J, [this] { move(1); });
    keys->bind(Qt::Key_K, [this] { move(-1); });
    keys->bind(Qt::Key_A, [this] { decide({{QStringLiteral("hide")}}, tr("Report upheld.")); });
    keys->bind(Qt::Key_R, [this] { decide({{QStringLiteral("dismiss")}}, tr("Report rejected: no rule was broken.")); });
    keys->bind(Qt::Key_I, [this] {
        const QString id = selectedId();
        move(1);
        if (!id.isEmpty())
            setFeedback(tr("Item %1 ignored for now.").arg(id));
    });
    for (int digit = 1; digit <= 9; ++digit)
        keys->bind(Qt::Key_0 + digit, [this, digit] { applyPreset(digit - 1); });
    keys->bind(Qt::Key_X, [this] { toggleMark(false); });
    keys->bind(Qt::Key_X, Qt::ShiftModifier, [this] { toggleMark(true); });
    keys->bind(Qt::Key_C, [this] { toggleClaim(); });
    keys->bind(Qt::Key_B, [this] { openBulkPreview(); });
    keys->bind(Qt::Key_N, [this] { m_panel->reasonField()->setFocus(); });
    keys->bind(Qt::Key_F5, [this] {
        m_contextItem = {};   // the item pane loads again too
        reload();
    });
    keys->bind(Qt::Key_Slash, [this] { m_search->setFocus(); m_search->selectAll(); });
    keys->bind(Qt::Key_M, [this] { m_media->setBlurred(!m_media->isBlurred()); });
    keys->bind(Qt::Key_M, Qt::ShiftModifier, [this] { m_media->setGreyscale(!m_media->isGreyscale()); });
    keys->attach(m_list);
    keys->attach(m_detail);
    auto *fieldKeys = new TriageKeys(this);   // Esc in the reason field goes back to the list
    fieldKeys->bind(Qt::Key_Escape, [this] { m_list->setFocus(); });
    fieldKeys->attach(m_panel->reasonField());
    auto *searchKeys = new TriageKeys(this);  // Enter searches, Esc clears; both return to the list
    searchKeys->bind(Qt::Key_Return, [this] { reload(); m_list->setFocus(); });
    searchKeys->bind(Qt::Key_Enter, [this] { reload(); m_list->setFocus(); });
    searchKeys->bind(Qt::Key_Escape, [this] {
        const bool had = !m_search->text().isEmpty();
        m_search->clear();
        if (had)
            reload();
        m_list->setFocus();
    });
    searchKeys->attach(m_search);
}

void ReviewQueueScreen::connectLive()
{
    RealtimeClient *rt = m_session->realtime();
    if (!rt)
        return;
    auto setLive = [this](bool live) {
        m_live = live;
        m_liveLabel->setText(live ? tr("● live") : tr("○ offline"));
        m_liveLabel->setStyleSheet(live ? QStringLiteral("color: #1b7f3b;") : QStringLiteral("color: #8a8a8a;"));
        Q_EMIT liveChanged(live);
    };
    setLive(rt->isSubscribed(kTopic));   // another screen may have subscribed already
    connect(rt, &RealtimeClient::subscribed, this, [setLive](const QString &topic) {
        if (topic == kTopic)
            setLive(true);
    });
    connect(rt, &RealtimeClient::disconnected, this, [setLive] { setLive(false); });
    connect(rt, &RealtimeClient::event, this, [this](const QString &topic, const QJsonObject &data) {
        if (topic != kTopic)
            return;
        const QString kind = data.value(QStringLiteral("kind")).toString();
        if (kind == QLatin1String("queue.claimed") || kind == QLatin1String("queue.released"))
            return showClaim(data.value(QStringLiteral("itemId")).toString(), data.value(QStringLiteral("claim")));
        m_reloadSoon.start();
    });
    connect(rt, &RealtimeClient::ready, this, [this] { m_reloadSoon.start(); });  // caught up after a drop
    rt->subscribe(kTopic);
}

ReviewQueueScreen::Search ReviewQueueScreen::parseSearch(const QString &text)
{
    static const QStringList types = {QStringLiteral("post"), QStringLiteral("comment"), QStringLiteral("chat_message")};
    static const QStringList reasons = {QStringLiteral("spam"), QStringLiteral("harassment"), QStringLiteral("off-topic"),
                                        QStringLiteral("illegal"), QStringLiteral("other")};
    Search search;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString w = word.toLower();
        if (search.targetType.isEmpty() && types.contains(w))
            search.targetType = w;
        else if (search.reason.isEmpty() && reasons.contains(w))
            search.reason = w;
        else
            search.words << w;
    }
    return search;
}

bool ReviewQueueScreen::matches(const QJsonObject &item, const QStringList &words)
{
    const QString haystack = QStringList{item.value(QStringLiteral("id")).toString(), item.value(QStringLiteral("kind")).toString(),
                                         JsonTableModel::valueAt(item, QStringLiteral("target.type")),
                                         JsonTableModel::valueAt(item, QStringLiteral("target.id")), reasonsText(item),
                                         claimText(item)}
                                 .join(QLatin1Char(' '))
                                 .toLower();
    return std::all_of(words.begin(), words.end(), [&haystack](const QString &w) { return haystack.contains(w); });
}

void ReviewQueueScreen::reload()
{
    const Search search = parseSearch(m_search->text());
    Endpoints::QueueQuery query;
    query.status = m_status->currentData().toString();
    query.targetType = search.targetType;
    query.reason = search.reason;
    query.limit = 100;
    m_model->setRowFilter(search.words.isEmpty() ? std::function<bool(const QJsonObject &)>()
                                                 : [words = search.words](const QJsonObject &i) { return matches(i, words); });
    m_keepSelected = selectedId();
    m_model->load(m_session->api(), Endpoints::queueItems(query));
}

void ReviewQueueScreen::onLoaded()
{
    if (!m_busy) {
        const QString search = m_search->text().trimmed();
        setFeedback(search.isEmpty() ? tr("%n item(s) in the queue", nullptr, m_model->rowCount())
                                     : tr("%n item(s) match “%1”", nullptr, m_model->rowCount()).arg(search));
    }
    m_list->resizeColumnsToContents();
    const int keep = rowOf(m_keepSelected);
    if (m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(keep >= 0 ? keep : 0, 0));
    showSelected();
}

QString ReviewQueueScreen::feedback() const
{
    return m_feedback->text();
}

QString ReviewQueueScreen::detailText() const
{
    return m_detail->toPlainText();
}

int ReviewQueueScreen::selectedRow() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.row() : -1;
}

QString ReviewQueueScreen::selectedId() const
{
    const int row = selectedRow();
    return row < 0 ? QString() : m_model->item(row).value(QStringLiteral("id")).toString();
}

int ReviewQueueScreen::rowOf(const QString &id) const
{
    for (int r = 0; !id.isEmpty() && r < m_model->rowCount(); ++r) {
        if (m_model->item(r).value(QStringLiteral("id")).toString() == id)
            return r;
    }
    return -1;
}

void ReviewQueueScreen::move(int delta)
{
    const int rows = m_model->rowCount();
    if (rows == 0)
        return;
    const int row = std::clamp(selectedRow() + delta, 0, rows - 1);
    m_list->setCurrentIndex(m_model->index(row, 0));
}

void ReviewQueueScreen::showSelected()
{
    const int row = selectedRow();
    if (row < 0) {
        m_contextItem = {};
        m_mediaUrls.clear();
        m_media->clear();
        return m_context->clear();
    }
    const QJsonObject item = m_model->item(row);
    if (item != m_contextItem) {   // a reload that did not change the item keeps its pane
        m_contextItem = item;
        m_mediaUrls.clear();
        m_media->clear();
        m_context->load(m_progress, item);
    }
}

void ReviewQueueScreen::toggleMark(bool range)
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const QString id = selectedId();
    const int from = range ? rowOf(m_lastMarked) : -1;
    const bool mark = range || !m_marked.contains(id);
    const int first = from >= 0 ? std::min(from, row) : row, last = from >= 0 ? std::max(from, row) : row;
    for (int r = first; r <= last; ++r) {
        const QJsonObject item = m_model->item(r);
        const QString rid = item.value(QStringLiteral("id")).toString();
        mark ? (void)m_marked.insert(rid) : (void)m_marked.remove(rid);
        m_model->setItem(r, item);   // repaints the mark column
    }
    m_lastMarked = id;
    setFeedback(tr("%n item(s) marked", nullptr, m_marked.size()));
}

void ReviewQueueScreen::applyPreset(int index)
{
    const QList<DecisionPreset> presets = decisionPresets();
    if (index < 0 || index >= presets.size())
        return;
    m_panel->applyPreset(presets[index]);
    decide(presets[index].actions, presets[index].reason);
}

void ReviewQueueScreen::decideWithPanel()
{
    decide(m_panel->actions(), m_panel->reason());
}

void ReviewQueueScreen::decide(const QList<DecisionAction> &actions, const QString &reason)
{
    if (m_busy || (m_bulk && m_bulk->isRunning()))
        return setFeedback(tr("Still sending the last decision…"), true);
    if (const QString invalid = validateDecision(actions, reason); !invalid.isEmpty())
        return setFeedback(invalid, true);
    m_toDecide = m_marked.isEmpty() ? QStringList{selectedId()} : m_marked.values();
    m_toDecide.removeAll(QString());
    if (m_toDecide.isEmpty())
        return setFeedback(tr("Nothing selected."), true);
    m_decision = {{QStringLiteral("actions"), actionsJson(actions)}, {QStringLiteral("reason"), reason}};
    m_decisionText = describeActions(actions);
    m_busy = true;
    m_panel->setBusy(true);
    decideNext();
}

BulkPreview *ReviewQueueScreen::bulkPreview() const
{
    return m_bulk;
}

void ReviewQueueScreen::openBulkPreview()
{
    if (m_busy || (m_bulk && m_bulk->isRunning()))
        return setFeedback(tr("Still sending the last decision…"), true);
    QList<QJsonObject> items;   // in the list's order
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QJsonObject item = m_model->item(r);
        if (m_marked.contains(item.value(QStringLiteral("id")).toString()))
            items << item;
    }
    if (items.isEmpty() && selectedRow() >= 0)
        items << m_model->item(selectedRow());
    if (items.isEmpty())
        return setFeedback(tr("Nothing selected."), true);
    if (m_bulk)
        m_bulk->deleteLater();
    auto *bulk = new BulkPreview(m_progress, items, m_panel->actions(), m_panel->reason(), m_session->username(), this);
    m_bulk = bulk;
    bulk->setAttribute(Qt::WA_DeleteOnClose);
    connect(bulk, &BulkPreview::itemDecided, this, [this](const QString &id, const QString &text) {
        removeItem(id);
        Q_EMIT decided(id, text);
    });
    connect(bulk, &BulkPreview::itemFailed, this, [this](const QString &id) {
        if (const int r = rowOf(id); r >= 0 && !m_marked.contains(id)) {
            m_marked.insert(id);   // a refused item stays selected for the next try
            m_model->setItem(r, m_model->item(r));
        }
    });
    connect(bulk, &BulkPreview::applied, this, [this](int succeeded, int failed) {
        setFeedback(failed == 0 ? tr("Bulk: %n item(s) decided.", nullptr, succeeded)
                                : tr("Bulk: %1 decided, %2 refused (still marked).").arg(succeeded).arg(failed),
                    failed > 0);
        m_panel->clear();
    });
    connect(bulk, &QDialog::finished, this, [this] { m_list->setFocus(); });
    setFeedback(tr("Bulk preview: %n item(s).", nullptr, int(items.size())));
    bulk->open();
    bulk->table()->setFocus();
}

void ReviewQueueScreen::decideNext()
{
    if (m_toDecide.isEmpty()) {
        m_busy = false;
        m_panel->setBusy(false);
        m_panel->clear();
        return;
    }
    const QString id = m_toDecide.takeFirst();
    setFeedback(tr("Item %1: sending %2…").arg(id, m_decisionText));
    const QString path = QStringLiteral("/v1/admin/queue/%1/decision").arg(ApiClient::pathSegment(id));
    m_progress->send(ApiRequest::withJson("POST", path, m_decision), [this, id](const ApiReply &reply) {
        if (!reply.ok()) {
            m_toDecide.clear();
            decideNext();
            return setFeedback(tr("Item %1 not decided: %2").arg(id, replyMessage(reply)), true);
        }
        const int notified = reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("reportersNotified")).toInt();
        removeItem(id);
        setFeedback(tr("Item %1: %2 — %n reporter(s) notified.", nullptr, notified).arg(id, m_decisionText));
        Q_EMIT decided(id, m_decisionText);
        decideNext();
    });
}

void ReviewQueueScreen::removeItem(const QString &id)
{
    m_marked.remove(id);
    const int row = rowOf(id);
    if (row < 0)
        return;
    const bool wasCurrent = row == selectedRow();
    m_model->removeItem(row);
    // The list moves on: the item below (or above, at the end) is next.
    if (wasCurrent && m_model->rowCount() > 0)
        m_list->setCurrentIndex(m_model->index(std::min(row, m_model->rowCount() - 1), 0));
    showSelected();
}

void ReviewQueueScreen::toggleClaim()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const QJsonObject item = m_model->item(row);
    const QString id = item.value(QStringLiteral("id")).toString();
    const bool mine = claimText(item) == m_session->username();
    const QString path = QStringLiteral("/v1/admin/queue/%1/claim").arg(ApiClient::pathSegment(id));
    const ApiRequest request = mine ? ApiRequest{"DELETE", path} : ApiRequest::withJson("POST", path, QJsonObject{});
    m_progress->send(request, [this, id, mine](const ApiReply &reply) {
        if (!reply.ok())
            return setFeedback(tr("Item %1: %2").arg(id, replyMessage(reply)), true);
        if (const int r = rowOf(id); r >= 0)
            m_model->setItem(r, reply.jsonObject().value_or(QJsonObject()));
        setFeedback(mine ? tr("Item %1 released.").arg(id) : tr("Item %1 is yours for a few minutes.").arg(id));
        showSelected();
    });
}

void ReviewQueueScreen::showClaim(const QString &id, const QJsonValue &claim)
{
    const int row = rowOf(id);
    if (row < 0)
        return;   // not in this list (another status or search): nothing to show
    QJsonObject item = m_model->item(row);
    if (item.value(QStringLiteral("claim")) == claim)
        return;   // our own claim, already shown from its answer
    item.insert(QStringLiteral("claim"), claim);
    m_model->setItem(row, item);
    if (row == selectedRow()) {
        const QString holder = claimText(item);
        setFeedback(holder.isEmpty() ? tr("Item %1 was released.").arg(id) : tr("Item %1 is now held by %2.").arg(id, holder));
    }
    Q_EMIT claimShown(id, claimText(item));
}

void ReviewQueueScreen::setFeedback(const QString &text, bool error)
{
    showFeedback(m_feedback, text, error);
}

} // namespace Console
