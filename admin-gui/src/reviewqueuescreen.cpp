// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "reviewqueuescreen.h"

#include "jsontablemodel.h"
#include "session.h"
#include "triagekeys.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Community::Client;

namespace Console {

namespace {

QList<Column> reportColumns()
{
    return {
        {QObject::tr("Reason"), QStringLiteral("reason")},
        {QObject::tr("Target"), QStringLiteral("targetType")},
        {QObject::tr("Title"), QStringLiteral("target.title")},
        {QObject::tr("Author"), QStringLiteral("target.author.username")},
        {QObject::tr("Reporter"), QStringLiteral("reporter.username")},
        {QObject::tr("Community"), QStringLiteral("community.slug")},
        {QObject::tr("Reported"), QStringLiteral("createdAt")},
    };
}

// The reported item as the moderator reads it; every value is escaped (it is user text).
QString detailHtml(const QJsonObject &r)
{
    auto v = [&r](const char *path) { return JsonTableModel::valueAt(r, QString::fromLatin1(path)).toHtmlEscaped(); };
    QString html = QStringLiteral("<h3>%1</h3>").arg(v("target.title"));
    html += QStringLiteral("<p><b>%1</b> %2 · %3 %4 · %5</p>")
                .arg(QObject::tr("Author:"), v("target.author.username"), v("targetType"), v("targetId"), v("target.state"));
    html += QStringLiteral("<blockquote>%1</blockquote>").arg(v("target.excerpt"));
    html += QStringLiteral("<p><b>%1</b> %2</p>").arg(QObject::tr("Reason:"), v("reason"));
    if (!r.value(QStringLiteral("details")).toString().isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(QObject::tr("Details:"), v("details"));
    html += QStringLiteral("<p>%1 %2 · %3 %4</p>")
                .arg(QObject::tr("Reported by"), v("reporter.username"), QObject::tr("in"), v("community.slug"));
    return html;
}

} // namespace

ReviewQueueScreen::ReviewQueueScreen(Session *session, QWidget *parent)
    : QWidget(parent),
      m_session(session),
      m_model(new JsonTableModel(reportColumns(), this)),
      m_list(new QTableView),
      m_detail(new QTextBrowser),
      m_status(new QComboBox),
      m_note(new QLineEdit),
      m_resolve(new QPushButton(tr("&Resolve (r)"))),
      m_dismiss(new QPushButton(tr("D&ismiss (i)"))),
      m_feedback(new QLabel)
{
    m_status->addItem(tr("Open"), QStringLiteral("open"));
    m_status->addItem(tr("Resolved"), QStringLiteral("resolved"));
    m_status->addItem(tr("Dismissed"), QStringLiteral("dismissed"));
    m_list->setModel(m_model);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->horizontalHeader()->setStretchLastSection(true);
    m_list->verticalHeader()->hide();
    m_list->setWordWrap(false);
    m_detail->setOpenLinks(false);  // nothing in a report opens or loads anything
    m_note->setPlaceholderText(tr("Note for the record (n)"));

    auto *decision = new QWidget;
    auto *decisionLayout = new QVBoxLayout(decision);
    decisionLayout->addWidget(new QLabel(tr("Decision")));
    decisionLayout->addWidget(m_note);
    decisionLayout->addWidget(m_resolve);
    decisionLayout->addWidget(m_dismiss);
    decisionLayout->addStretch();
    decision->setMinimumWidth(240);

    auto *panes = new QSplitter;
    panes->addWidget(m_list);
    panes->addWidget(m_detail);
    panes->addWidget(decision);
    panes->setStretchFactor(0, 3);
    panes->setStretchFactor(1, 3);
    panes->setStretchFactor(2, 1);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Reports:")));
    top->addWidget(m_status);
    top->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(panes, 1);
    layout->addWidget(m_feedback);

    connect(m_status, &QComboBox::currentIndexChanged, this, &ReviewQueueScreen::reload);
    connect(m_resolve, &QPushButton::clicked, this, [this] { decide(QStringLiteral("resolved")); });
    connect(m_dismiss, &QPushButton::clicked, this, [this] { decide(QStringLiteral("dismissed")); });
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ReviewQueueScreen::showSelected);
    connect(m_model, &JsonTableModel::failed, this, [this](const QString &message) { setFeedback(message, true); });
    connect(m_model, &JsonTableModel::loaded, this, [this] {
        setFeedback(tr("%n report(s)", nullptr, m_model->rowCount()));
        m_list->resizeColumnsToContents();
        if (m_model->rowCount() > 0 && selectedRow() < 0)
            m_list->setCurrentIndex(m_model->index(0, 0));
        showSelected();
    });

    auto *keys = new TriageKeys(this);
    keys->bind(Qt::Key_J, [this] { move(1); });
    keys->bind(Qt::Key_K, [this] { move(-1); });
    keys->bind(Qt::Key_R, [this] { decide(QStringLiteral("resolved")); });
    keys->bind(Qt::Key_I, [this] { decide(QStringLiteral("dismissed")); });
    keys->bind(Qt::Key_N, [this] { m_note->setFocus(); });
    keys->bind(Qt::Key_F5, [this] { reload(); });
    keys->attach(m_list);
    keys->attach(m_detail);
    // Esc in the note field goes back to the list.
    auto *noteKeys = new TriageKeys(this);
    noteKeys->bind(Qt::Key_Escape, [this] { m_list->setFocus(); });
    noteKeys->attach(m_note);
    setFocusProxy(m_list);
}

void ReviewQueueScreen::reload()
{
    ApiRequest request{"GET", QStringLiteral("/v1/reports")};
    request.query.addQueryItem(QStringLiteral("status"), m_status->currentData().toString());
    request.query.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
    setFeedback(tr("Loading…"));
    m_model->load(m_session->api(), request);
}

QString ReviewQueueScreen::feedback() const
{
    return m_feedback->text();
}

int ReviewQueueScreen::selectedRow() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.row() : -1;
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
    const bool open = row >= 0 && m_model->item(row).value(QStringLiteral("status")).toString() == QLatin1String("open");
    m_resolve->setEnabled(open && !m_busy);
    m_dismiss->setEnabled(open && !m_busy);
    m_detail->setHtml(row >= 0 ? detailHtml(m_model->item(row)) : QString());
}

void ReviewQueueScreen::decide(const QString &resolution)
{
    const int row = selectedRow();
    if (row < 0 || m_busy)
        return;
    const QJsonObject report = m_model->item(row);
    if (report.value(QStringLiteral("status")).toString() != QLatin1String("open"))
        return setFeedback(tr("This report is already %1.").arg(report.value(QStringLiteral("status")).toString()), true);
    const QString id = report.value(QStringLiteral("id")).toString();
    QJsonObject body{{QStringLiteral("resolution"), resolution}};
    if (!m_note->text().trimmed().isEmpty())
        body.insert(QStringLiteral("note"), m_note->text().trimmed());
    m_busy = true;
    showSelected();
    setFeedback(tr("Report %1: sending…").arg(id));
    m_session->api()->send(ApiRequest::withJson("POST", QStringLiteral("/v1/reports/%1/resolve").arg(id), body),
                           [this, id, resolution](const ApiReply &reply) {
        m_busy = false;
        if (!reply.ok()) {
            showSelected();
            return setFeedback(tr("Report %1 not changed: %2").arg(id, reply.error().message), true);
        }
        // The row leaves the open list; the one below it (or above, at the end) is next.
        for (int r = 0; r < m_model->rowCount(); ++r) {
            if (m_model->item(r).value(QStringLiteral("id")).toString() == id) {
                m_model->removeItem(r);
                if (m_model->rowCount() > 0)
                    m_list->setCurrentIndex(m_model->index(std::min(r, m_model->rowCount() - 1), 0));
                break;
            }
        }
        m_note->clear();
        showSelected();
        setFeedback(resolution == QLatin1String("resolved") ? tr("Report %1 resolved.").arg(id)
                                                            : tr("Report %1 dismissed.").arg(id));
        Q_EMIT decided(id, resolution);
    });
}

void ReviewQueueScreen::setFeedback(const QString &text, bool error)
{
    m_feedback->setText(text);
    m_feedback->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

} // namespace Console
