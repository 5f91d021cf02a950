// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "auditscreen.h"

#include "auditformat.h"
#include "screenparts.h"
#include "jsontablemodel.h"
#include "requestprogress.h"
#include "session.h"
#include "triagekeys.h"

#include "community/client/auditexport.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Community::Client;

namespace Console {

namespace {

QList<Column> auditColumns()
{
    return {
        {AuditScreen::tr("Seq"), QStringLiteral("seq")},
        {AuditScreen::tr("Time"), QStringLiteral("occurredAt")},
        {AuditScreen::tr("Actor"), {}, [](const QJsonObject &r) {
             const QString name = JsonTableModel::valueAt(r, QStringLiteral("actor.username"));
             return name.isEmpty() ? JsonTableModel::valueAt(r, QStringLiteral("actor.kind")) : name;
         }},
        {AuditScreen::tr("Action"), QStringLiteral("action")},
        {AuditScreen::tr("Target"), {}, [](const QJsonObject &r) {
             return JsonTableModel::valueAt(r, QStringLiteral("target.type")) + QLatin1Char(' ')
                  + JsonTableModel::valueAt(r, QStringLiteral("target.id"));
         }},
        {AuditScreen::tr("Reason"), QStringLiteral("reason")},
    };
}

QString rowHtml(const QJsonObject &r)
{
    auto v = [&r](const char *path) { return JsonTableModel::valueAt(r, QString::fromLatin1(path)).toHtmlEscaped(); };
    QString html = QStringLiteral("<h3>#%1 %2</h3>").arg(v("seq"), v("action"));
    html += QStringLiteral("<p>%1 · %2 (%3) · %4 %5</p>").arg(v("occurredAt"), v("actor.username"), v("actor.kind"),
                                                              v("target.type"), v("target.id"));
    if (!r.value(QStringLiteral("reason")).toString().isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(AuditScreen::tr("Reason:"), v("reason"));
    html += auditDiffHtml(r);
    html += QStringLiteral("<p><small>%1 %2<br>%3 %4<br>%5 %6</small></p>")
                .arg(AuditScreen::tr("Request"), v("requestId"), AuditScreen::tr("Source"), v("source"),
                     AuditScreen::tr("Hash"), v("hash"));
    return html;
}

} // namespace

AuditScreen::AuditScreen(Session *session, QWidget *parent)
    : QWidget(parent),
      m_session(session),
      m_progress(new RequestProgress(session, this)),
      m_model(new JsonTableModel(auditColumns(), this)),
      m_list(new QTableView),
      m_detail(new QTextBrowser),
      m_actor(new QLineEdit),
      m_action(new QLineEdit),
      m_targetType(new QLineEdit),
      m_targetId(new QLineEdit),
      m_useSince(new QCheckBox(tr("Since"))),
      m_since(new QDateTimeEdit(QDateTime::currentDateTime().addDays(-7))),
      m_useUntil(new QCheckBox(tr("Until"))),
      m_until(new QDateTimeEdit(QDateTime::currentDateTime())),
      m_more(new QPushButton(tr("Load &more"))),
      m_verify(new QLabel),
      m_feedback(new QLabel)
{
    buildLayout();
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AuditScreen::showSelected);
    connect(m_model, &JsonTableModel::failed, this, [this](const QString &message) { setFeedback(message, true); });
    connect(m_model, &JsonTableModel::loaded, this, [this] {
        setFeedback(tr("%n row(s)", nullptr, m_model->rowCount()));
        m_more->setEnabled(m_model->hasMore());
        m_list->resizeColumnsToContents();
        if (m_model->rowCount() > 0 && !m_list->currentIndex().isValid())
            m_list->setCurrentIndex(m_model->index(0, 0));
    });
    connect(m_more, &QPushButton::clicked, m_model, &JsonTableModel::loadMore);
    for (QLineEdit *field : {m_actor, m_action, m_targetType, m_targetId})
        connect(field, &QLineEdit::returnPressed, this, &AuditScreen::reload);
    auto *keys = new TriageKeys(this);
    keys->bind(Qt::Key_J, [this] { m_list->setCurrentIndex(m_model->index(std::min(m_list->currentIndex().row() + 1, m_model->rowCount() - 1), 0)); });
    keys->bind(Qt::Key_K, [this] { m_list->setCurrentIndex(m_model->index(std::max(m_list->currentIndex().row() - 1, 0), 0)); });
    keys->bind(Qt::Key_Slash, [this] { m_action->setFocus(); });
    keys->bind(Qt::Key_V, [this] { verify(); });
    keys->bind(Qt::Key_F5, [this] { reload(); });
    keys->attach(m_list);
}

void AuditScreen::buildLayout()
{
    m_actor->setPlaceholderText(tr("actor id"));
    m_action->setPlaceholderText(tr("action or prefix (user.)"));
    m_targetType->setPlaceholderText(tr("post, user, queue_item…"));
    m_targetId->setPlaceholderText(tr("target id"));
    for (QDateTimeEdit *edit : {m_since, m_until}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    auto *filters = new QHBoxLayout;
    for (QWidget *w : std::initializer_list<QWidget *>{m_actor, m_action, m_targetType, m_targetId, m_useSince, m_since,
                                                       m_useUntil, m_until})
        filters->addWidget(w);
    auto *apply = new QPushButton(tr("&Filter"));
    auto *verifyButton = new QPushButton(tr("&Verify chain"));
    auto *exportButton = new QPushButton(tr("&Export…"));
    filters->addWidget(apply);
    connect(apply, &QPushButton::clicked, this, &AuditScreen::reload);
    connect(verifyButton, &QPushButton::clicked, this, &AuditScreen::verify);
    connect(exportButton, &QPushButton::clicked, this, &AuditScreen::chooseExport);

    setUpRowList(m_list, m_model);
    m_detail->setOpenLinks(false);
    auto *panes = new QSplitter;
    panes->addWidget(m_list);
    panes->addWidget(m_detail);
    panes->setStretchFactor(0, 3);
    panes->setStretchFactor(1, 2);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_more);
    bottom->addWidget(m_feedback, 1);
    bottom->addWidget(m_verify);
    bottom->addWidget(verifyButton);
    bottom->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(panes, 1);
    layout->addWidget(m_progress);
    layout->addLayout(bottom);
    m_progress->watch(m_model);
    setFocusProxy(m_list);
}

ApiRequest AuditScreen::request() const
{
    ApiRequest r{"GET", QStringLiteral("/v1/admin/audit")};
    const QList<QPair<QString, QLineEdit *>> fields{{QStringLiteral("actor"), m_actor}, {QStringLiteral("action"), m_action},
                                                    {QStringLiteral("targetType"), m_targetType},
                                                    {QStringLiteral("targetId"), m_targetId}};
    for (const auto &[name, field] : fields) {
        if (!field->text().trimmed().isEmpty())
            r.query.addQueryItem(name, field->text().trimmed());
    }
    if (m_useSince->isChecked())
        r.query.addQueryItem(QStringLiteral("since"), m_since->dateTime().toUTC().toString(Qt::ISODate));
    if (m_useUntil->isChecked())
        r.query.addQueryItem(QStringLiteral("until"), m_until->dateTime().toUTC().toString(Qt::ISODate));
    r.query.addQueryItem(QStringLiteral("limit"), QStringLiteral("100"));
    return r;
}

void AuditScreen::reload()
{
    setFeedback(tr("Loading…"));
    m_model->load(m_session->api(), request());
}

void AuditScreen::verify()
{
    m_verify->setText(tr("Verifying…"));
    m_progress->send(ApiRequest{"GET", QStringLiteral("/v1/admin/audit/verify")}, [this](const ApiReply &reply) {
        if (!reply.ok()) {
            m_verify->setText(replyMessage(reply));
            m_verify->setStyleSheet(QStringLiteral("color: #b00020;"));
            return Q_EMIT verified(false);
        }
        const QJsonObject o = reply.jsonObject().value_or(QJsonObject());
        const bool ok = o.value(QStringLiteral("ok")).toBool();
        m_verify->setText(ok ? tr("✔ Chain intact: %1 rows checked, last #%2")
                                   .arg(o.value(QStringLiteral("checked")).toInt())
                                   .arg(o.value(QStringLiteral("lastSeq")).toString())
                             : tr("✘ Chain broken at #%1: %2")
                                   .arg(o.value(QStringLiteral("brokenSeq")).toString(), o.value(QStringLiteral("problem")).toString()));
        m_verify->setStyleSheet(ok ? QStringLiteral("color: #1b7f3b; font-weight: bold;")
                                   : QStringLiteral("color: #b00020; font-weight: bold;"));
        Q_EMIT verified(ok);
    });
}

void AuditScreen::chooseExport()
{
    QString filter;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the audit log"), QStringLiteral("audit.csv"),
                                                      tr("CSV (*.csv);;JSON (*.json)"), &filter);
    if (!path.isEmpty())
        exportTo(path, path.endsWith(QLatin1String(".json")) || filter.startsWith(QLatin1String("JSON")) ? QStringLiteral("json")
                                                                                                      : QStringLiteral("csv"));
}

void AuditScreen::exportTo(const QString &path, const QString &format)
{
    setFeedback(tr("Exporting…"));
    exportPage(path, format, {}, {});
}

void AuditScreen::exportPage(const QString &path, const QString &format, const QString &cursor, QList<QJsonObject> rows)
{
    ApiRequest r = request();
    if (!cursor.isEmpty())
        r.query.addQueryItem(QStringLiteral("cursor"), cursor);
    m_progress->send(r, [this, path, format, rows = std::move(rows)](const ApiReply &reply) mutable {
        if (!reply.ok()) {
            setFeedback(tr("Export failed: %1").arg(replyMessage(reply)), true);
            return Q_EMIT exportFailed(replyMessage(reply));
        }
        const QJsonObject page = reply.jsonObject().value_or(QJsonObject());
        for (const QJsonValue &v : page.value(QStringLiteral("items")).toArray())
            rows.append(v.toObject());
        if (const QString next = page.value(QStringLiteral("nextCursor")).toString(); !next.isEmpty())
            return exportPage(path, format, next, std::move(rows));
        const QByteArray data = format == QLatin1String("json") ? Community::Client::auditJson(rows) : Community::Client::auditCsv(rows);
        QSaveFile file(path);
        const bool ok = file.open(QIODevice::WriteOnly) && file.write(data) == data.size() && file.commit();
        if (!ok) {
            setFeedback(tr("Export failed: %1").arg(file.errorString()), true);
            return Q_EMIT exportFailed(file.errorString());
        }
        setFeedback(tr("%n row(s) exported to %1", nullptr, rows.size()).arg(path));
        Q_EMIT exported(path, rows.size());
    });
}

void AuditScreen::showSelected()
{
    const QModelIndex current = m_list->currentIndex();
    m_detail->setHtml(current.isValid() ? rowHtml(m_model->item(current.row())) : QString());
}

QString AuditScreen::verifyText() const { return m_verify->text(); }
QString AuditScreen::detailText() const { return m_detail->toPlainText(); }
QString AuditScreen::feedback() const { return m_feedback->text(); }

void AuditScreen::setFeedback(const QString &text, bool error)
{
    showFeedback(m_feedback, text, error);
}

} // namespace Console
