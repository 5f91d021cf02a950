// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "bulkpreview.h"

#include "jsontablemodel.h"
#include "requestprogress.h"
#include "screenparts.h"
#include "triagekeys.h"

#include "community/client/apiclient.h"

#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Community::Client;

namespace Console {

namespace {

// Each row is the queue item plus what the preview adds: "plan" {actions, reason, text,
// invalid} and "result" {ok, text} once the server answered.
const QString kPlan = QStringLiteral("plan");
const QString kResult = QStringLiteral("result");

QJsonObject planJson(const QList<DecisionAction> &actions, const QString &reason)
{
    return {{QStringLiteral("actions"), actionsJson(actions)},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("text"), describeActions(actions)},
            {QStringLiteral("invalid"), actions.isEmpty() ? BulkPreview::tr("no decision yet: press 1–9 on the row")
                                                          : validateDecision(actions, reason)}};
}

QString holder(const QJsonObject &item)
{
    return JsonTableModel::valueAt(item, QStringLiteral("claim.holder"));
}

} // namespace

BulkPreview::BulkPreview(RequestProgress *progress, const QList<QJsonObject> &items, const QList<DecisionAction> &actions,
                         const QString &reason, const QString &me, QWidget *parent)
    : QDialog(parent),
      m_progress(progress),
      m_model(new JsonTableModel({{tr("Item"), QStringLiteral("id")},
                                  {tr("Target"), {}, [](const QJsonObject &i) {
                                       return JsonTableModel::valueAt(i, QStringLiteral("target.type")) + QLatin1Char(' ')
                                            + JsonTableModel::valueAt(i, QStringLiteral("target.id"));
                                   }},
                                  {tr("Held by"), {}, [me](const QJsonObject &i) {
                                       const QString h = holder(i);
                                       return h.isEmpty() || h == me ? h : tr("%1 (will likely refuse)").arg(h);
                                   }},
                                  {tr("Decision"), {}, [](const QJsonObject &i) {
                                       const QJsonObject plan = i.value(kPlan).toObject();
                                       const QString invalid = plan.value(QStringLiteral("invalid")).toString();
                                       return invalid.isEmpty() ? plan.value(QStringLiteral("text")).toString() : QStringLiteral("⚠ ") + invalid;
                                   }},
                                  {tr("Result"), {}, [](const QJsonObject &i) {
                                       const QJsonObject r = i.value(kResult).toObject();
                                       if (r.isEmpty())
                                           return QString();
                                       return (r.value(QStringLiteral("ok")).toBool() ? QStringLiteral("✓ ") : QStringLiteral("✗ "))
                                            + r.value(QStringLiteral("text")).toString();
                                   }}},
                                 this)),
      m_table(new QTableView),
      m_summary(new QLabel),
      m_apply(new QPushButton(tr("&Apply to every row (Enter)"))),
      m_me(me)
{
    setWindowTitle(tr("Bulk decision: preview"));
    QList<QJsonObject> rows;
    for (QJsonObject item : items) {
        item.insert(kPlan, planJson(actions, reason));
        rows << item;
    }
    m_model->setItems(rows);
    setUpRowList(m_table, m_model);
    m_table->resizeColumnsToContents();
    m_summary->setWordWrap(true);
    auto *help = new QLabel(tr("Each row gets the decision shown; 1–9 give the selected row a preset instead. "
                               "One request is sent per item; a refusal does not stop the others."));
    help->setWordWrap(true);
    auto *buttons = new QDialogButtonBox;
    buttons->addButton(m_apply, QDialogButtonBox::AcceptRole);
    QPushButton *close = buttons->addButton(QDialogButtonBox::Close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(help);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    resize(900, 420);
    // Enter applies and Esc closes through the dialog's own keys; Apply is the default.
    m_apply->setDefault(true);
    connect(m_apply, &QPushButton::clicked, this, &BulkPreview::apply);
    connect(close, &QPushButton::clicked, this, &QDialog::reject);
    auto *keys = new TriageKeys(this);
    for (int digit = 1; digit <= 9; ++digit)
        keys->bind(Qt::Key_0 + digit, [this, digit] {
            if (m_table->currentIndex().isValid())
                applyPreset(m_table->currentIndex().row(), digit - 1);
        });
    keys->bind(Qt::Key_Return, [this] { apply(); });
    keys->bind(Qt::Key_Enter, [this] { apply(); });
    keys->attach(m_table);
    if (m_model->rowCount() > 0)
        m_table->setCurrentIndex(m_model->index(0, 0));
    m_summary->setText(summary());
}

QString BulkPreview::plannedText(int row) const
{
    const QJsonObject plan = m_model->item(row).value(kPlan).toObject();
    const QString invalid = plan.value(QStringLiteral("invalid")).toString();
    return invalid.isEmpty() ? plan.value(QStringLiteral("text")).toString() : invalid;
}

QString BulkPreview::resultText(int row) const
{
    const QJsonObject r = m_model->item(row).value(kResult).toObject();
    if (r.isEmpty())
        return {};
    return r.value(QStringLiteral("ok")).toBool() ? QStringLiteral("ok") : r.value(QStringLiteral("text")).toString();
}

void BulkPreview::setRow(int row, const QJsonObject &item)
{
    m_model->setItem(row, item);
    m_summary->setText(summary());
}

void BulkPreview::applyPreset(int row, int index)
{
    const QList<DecisionPreset> presets = decisionPresets();
    if (m_running || row < 0 || row >= m_model->rowCount() || index < 0 || index >= presets.size())
        return;
    QJsonObject item = m_model->item(row);
    if (item.value(kResult).toObject().value(QStringLiteral("ok")).toBool())
        return;   // decided already
    item.insert(kPlan, planJson(presets[index].actions, presets[index].reason));
    item.remove(kResult);   // a refused row may be tried again with another decision
    setRow(row, item);
}

QString BulkPreview::summary() const
{
    int ready = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QJsonObject item = m_model->item(r);
        if (item.value(kPlan).toObject().value(QStringLiteral("invalid")).toString().isEmpty() && !item.contains(kResult))
            ++ready;
    }
    QString text = tr("%n item(s) ready to send", nullptr, ready);
    if (m_succeeded + m_failed > 0)
        text += QStringLiteral(" · ") + tr("%1 decided, %2 refused").arg(m_succeeded).arg(m_failed);
    return text;
}

void BulkPreview::apply()
{
    if (m_running)
        return;
    m_toSend.clear();
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QJsonObject item = m_model->item(r);
        const bool valid = item.value(kPlan).toObject().value(QStringLiteral("invalid")).toString().isEmpty();
        const QJsonObject result = item.value(kResult).toObject();
        if (valid && !result.value(QStringLiteral("ok")).toBool())
            m_toSend << r;
    }
    if (m_toSend.isEmpty()) {
        m_summary->setText(tr("Nothing to send: give each row a decision (1–9) first."));
        return;
    }
    m_succeeded = m_failed = 0;
    m_running = true;
    m_apply->setEnabled(false);
    sendNext();
}

void BulkPreview::reject()
{
    if (m_running)
        return m_progress->cancelAll();   // Esc while sending stops the run; the next Esc closes
    QDialog::reject();
}

void BulkPreview::sendNext()
{
    if (m_toSend.isEmpty()) {
        m_running = false;
        m_apply->setEnabled(true);
        m_summary->setText(summary());
        Q_EMIT applied(m_succeeded, m_failed);
        return;
    }
    const int row = m_toSend.takeFirst();
    const QJsonObject item = m_model->item(row);
    const QString id = item.value(QStringLiteral("id")).toString();
    const QJsonObject plan = item.value(kPlan).toObject();
    const QJsonObject body{{QStringLiteral("actions"), plan.value(QStringLiteral("actions"))},
                           {QStringLiteral("reason"), plan.value(QStringLiteral("reason"))}};
    const QString path = QStringLiteral("/v1/admin/queue/%1/decision").arg(ApiClient::pathSegment(id));
    m_progress->send(ApiRequest::withJson("POST", path, body), [this, row, id](const ApiReply &reply) {
        QJsonObject item = m_model->item(row);
        const QString text = item.value(kPlan).toObject().value(QStringLiteral("text")).toString();
        if (reply.ok()) {
            ++m_succeeded;
            const int notified = reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("reportersNotified")).toInt();
            item.insert(kResult, QJsonObject{{QStringLiteral("ok"), true},
                                             {QStringLiteral("text"), tr("decided — %n reporter(s) notified", nullptr, notified)}});
            setRow(row, item);
            Q_EMIT itemDecided(id, text, notified);
        } else {
            if (reply.outcome == ApiReply::Outcome::Cancelled)
                m_toSend.clear();   // the user stopped the run: the rest stay unsent
            ++m_failed;
            const QString message = replyMessage(reply);
            item.insert(kResult, QJsonObject{{QStringLiteral("ok"), false}, {QStringLiteral("text"), message}});
            setRow(row, item);
            Q_EMIT itemFailed(id, message);
        }
        m_table->resizeColumnToContents(4);
        sendNext();
    });
}

} // namespace Console
