// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "chaosscreen.h"

#include "jsontablemodel.h"
#include "requestprogress.h"
#include "screenparts.h"
#include "session.h"
#include "triagekeys.h"

#include <QAction>
#include <QCheckBox>
#include <QCoreApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTimerEvent>
#include <QVBoxLayout>

using namespace Community::Client;

namespace Console {

namespace {

constexpr int kRefreshMs = 2000;
constexpr int kRenewMs = 1000;
constexpr int kLeaseTtlSeconds = 5;
const QString kFaultsPath = QStringLiteral("/v1/admin/chaos/faults");

// The kinds the daemon names when it cannot be asked (its list replaces these).
const QStringList kKnownKinds = {
    QStringLiteral("http.delay"),      QStringLiteral("http.abort"),       QStringLiteral("http.reset"),
    QStringLiteral("http.throttle"),   QStringLiteral("http.truncate"),    QStringLiteral("db.latency"),
    QStringLiteral("db.refuse"),       QStringLiteral("db.drop"),          QStringLiteral("db.serialization"),
    QStringLiteral("db.hold"),         QStringLiteral("event.delay"),      QStringLiteral("event.duplicate"),
    QStringLiteral("event.pause"),     QStringLiteral("ws.drop"),          QStringLiteral("ws.delay"),
    QStringLiteral("outbound.timeout"), QStringLiteral("outbound.error"),  QStringLiteral("outbound.latency"),
    QStringLiteral("clock.offset")};

QString selectorText(const QJsonObject &f)
{
    const QJsonObject s = f.value(QStringLiteral("selector")).toObject();
    QStringList parts;
    if (const QString r = s.value(QStringLiteral("route")).toString(); !r.isEmpty())
        parts << r;
    if (const QString p = s.value(QStringLiteral("plugin")).toString(); !p.isEmpty())
        parts << QCoreApplication::translate("Console::ChaosScreen", "plugin %1").arg(p);
    if (const double pc = s.value(QStringLiteral("percent")).toDouble(100); pc < 100)
        parts << QCoreApplication::translate("Console::ChaosScreen", "%1% of users").arg(pc);
    if (f.value(QStringLiteral("allNodes")).toBool())
        parts << QCoreApplication::translate("Console::ChaosScreen", "all nodes");
    else if (const QString n = s.value(QStringLiteral("node")).toString(); !n.isEmpty())
        parts << QCoreApplication::translate("Console::ChaosScreen", "node %1").arg(n);
    return parts.isEmpty() ? QStringLiteral("*") : parts.join(QStringLiteral(", "));
}

} // namespace

// The parameters that mean something for the fault's kind.
QString chaosParametersText(const QJsonObject &f)
{
    const QString kind = f.value(QStringLiteral("kind")).toString();
    const int delay = f.value(QStringLiteral("delayMs")).toInt();
    const int jitter = f.value(QStringLiteral("jitterMs")).toInt();
    QStringList parts;
    if (kind == QLatin1String("http.abort"))
        parts << QCoreApplication::translate("Console::ChaosScreen", "status %1").arg(f.value(QStringLiteral("status")).toInt());
    else if (kind == QLatin1String("http.throttle"))
        parts << QCoreApplication::translate("Console::ChaosScreen", "%1 B/s").arg(f.value(QStringLiteral("bytesPerSecond")).toInt());
    else if (kind == QLatin1String("db.hold"))
        parts << QCoreApplication::translate("Console::ChaosScreen", "%n connection(s)", nullptr, f.value(QStringLiteral("count")).toInt());
    else if (kind == QLatin1String("clock.offset"))
        parts << QCoreApplication::translate("Console::ChaosScreen", "%1 s").arg(qint64(f.value(QStringLiteral("offsetSeconds")).toDouble()));
    else if (delay > 0)
        parts << (jitter > 0 ? QCoreApplication::translate("Console::ChaosScreen", "%1 ± %2 ms").arg(delay).arg(jitter) : QCoreApplication::translate("Console::ChaosScreen", "%1 ms").arg(delay));
    const double p = f.value(QStringLiteral("probability")).toDouble(1);
    if (p < 1)
        parts << QCoreApplication::translate("Console::ChaosScreen", "probability %1").arg(p);
    return parts.join(QStringLiteral(", "));
}

ChaosScreen::ChaosScreen(Session *session, QWidget *parent)
    : QWidget(parent),
      m_session(session),
      m_progress(new RequestProgress(session, this)),
      m_model(nullptr),
      m_list(new QTableView),
      m_state(new QLabel),
      m_kind(new QComboBox),
      m_route(new QLineEdit),
      m_plugin(new QLineEdit),
      m_node(new QLineEdit),
      m_percent(new QDoubleSpinBox),
      m_probability(new QDoubleSpinBox),
      m_delay(new QSpinBox),
      m_jitter(new QSpinBox),
      m_status(new QSpinBox),
      m_rate(new QSpinBox),
      m_ttl(new QSpinBox),
      m_hold(new QCheckBox(tr("&Hold while this console is connected"))),
      m_allNodes(new QCheckBox(tr("All &nodes"))),
      m_inject(new QPushButton(tr("&Inject"))),
      m_clear(new QPushButton(tr("&Clear selected"))),
      m_stopAll(new QPushButton(tr("&Stop all"))),
      m_feedback(new QLabel)
{
    const QString leaseKey = QStringLiteral("lease");
    m_model = new JsonTableModel(
        {{tr("Kind"), QStringLiteral("kind")},
         {tr("Target"), QString(), selectorText},
         {tr("Parameters"), QString(), chaosParametersText},
         {tr("Expires"), QStringLiteral("expiresAt")},
         {tr("Held"), QString(),
          [this, leaseKey](const QJsonObject &f) {
              const QString lease = f.value(leaseKey).toString();
              if (lease.isEmpty())
                  return tr("no");
              return lease == m_leaseId ? tr("by this console") : tr("by another session");
          }},
         {tr("Hits"), QStringLiteral("hits")},
         {tr("By"), QStringLiteral("createdBy")},
         {tr("Id"), QStringLiteral("id")}},
        this);
    m_model->setListMember(QStringLiteral("faults"));
    setUpRowList(m_list, m_model);

    m_kind->addItems(kKnownKinds);
    m_route->setPlaceholderText(tr("/v1/posts/* (outbound: smtp, push, sms, s3)"));
    m_plugin->setPlaceholderText(tr("any plugin"));
    m_node->setPlaceholderText(tr("this node"));
    m_percent->setRange(0, 100);
    m_percent->setValue(100);
    m_percent->setSuffix(QStringLiteral(" %"));
    m_probability->setRange(0, 1);
    m_probability->setSingleStep(0.05);
    m_probability->setDecimals(2);
    m_probability->setValue(1);
    m_delay->setRange(0, 600'000);
    m_delay->setValue(500);
    m_delay->setSuffix(tr(" ms"));
    m_jitter->setRange(0, 600'000);
    m_jitter->setSuffix(tr(" ms"));
    m_status->setRange(400, 599);
    m_status->setValue(503);
    m_rate->setRange(1, 1 << 30);
    m_rate->setValue(1024);
    m_rate->setSuffix(tr(" B/s"));
    m_ttl->setRange(1, 86'400);
    m_ttl->setValue(60);
    m_ttl->setSuffix(tr(" s"));
    m_hold->setChecked(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Kind"), m_kind);
    form->addRow(tr("Route"), m_route);
    form->addRow(tr("Plugin"), m_plugin);
    form->addRow(tr("Node"), m_node);
    form->addRow(tr("Users"), m_percent);
    form->addRow(tr("Probability"), m_probability);
    form->addRow(tr("Delay"), m_delay);
    form->addRow(tr("Jitter"), m_jitter);
    form->addRow(tr("Status"), m_status);
    form->addRow(tr("Rate"), m_rate);
    form->addRow(tr("Time limit"), m_ttl);
    form->addRow(m_hold);
    form->addRow(m_allNodes);
    form->addRow(m_inject);
    auto *formBox = new QGroupBox(tr("New fault"));
    formBox->setLayout(form);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_clear);
    actions->addStretch(1);
    actions->addWidget(m_stopAll);
    auto *listSide = new QVBoxLayout;
    listSide->addWidget(m_state);
    listSide->addWidget(m_list, 1);
    listSide->addLayout(actions);
    auto *columns = new QHBoxLayout;
    columns->addLayout(listSide, 1);
    columns->addWidget(formBox);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_feedback);
    m_progress->watch(m_model);
    m_stopAll->setStyleSheet(QStringLiteral("QPushButton { color: #b00020; font-weight: bold; }"));

    connect(m_inject, &QPushButton::clicked, this, &ChaosScreen::inject);
    connect(m_clear, &QPushButton::clicked, this, &ChaosScreen::clearSelected);
    connect(m_stopAll, &QPushButton::clicked, this, &ChaosScreen::stopAll);
    connect(m_kind, &QComboBox::currentTextChanged, this, &ChaosScreen::updateForm);
    connect(m_hold, &QCheckBox::toggled, this, &ChaosScreen::updateForm);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ChaosScreen::updateForm);
    connect(m_model, &JsonTableModel::failed, this, [this](const QString &m) { setFeedback(m, true); });
    connect(m_model, &JsonTableModel::loaded, this, [this] {
        const QJsonObject page = m_model->lastPage();
        const bool enabled = page.value(QStringLiteral("enabled")).toBool();
        const QString node = page.value(QStringLiteral("node")).toString();
        m_state->setText(enabled ? tr("Chaos is enabled on node %1: %n active fault(s).", nullptr, m_model->rowCount()).arg(node)
                                 : tr("Chaos is disabled on node %1 (chaos.enabled is off): nothing can be injected.").arg(node));
        m_state->setStyleSheet(enabled && m_model->rowCount() > 0 ? QStringLiteral("color: #b00020;") : QString());
        const QJsonArray kinds = page.value(QStringLiteral("kinds")).toArray();
        if (!kinds.isEmpty() && m_kind->count() != kinds.size()) {
            const QString current = m_kind->currentText();
            m_kind->clear();
            for (const QJsonValue &k : kinds)
                m_kind->addItem(k.toString());
            m_kind->setCurrentText(current);
        }
        m_list->resizeColumnsToContents();
        for (int row = 0; row < m_model->rowCount() && !m_selectedId.isEmpty(); ++row) {
            if (m_model->item(row).value(QStringLiteral("id")).toString() == m_selectedId)
                m_list->setCurrentIndex(m_model->index(row, 0));
        }
        updateForm();
    });

    auto *keys = new TriageKeys(this);
    keys->bind(Qt::Key_J, [this] {
        m_list->setCurrentIndex(m_model->index(std::min(selectedRow() + 1, m_model->rowCount() - 1), 0));
    });
    keys->bind(Qt::Key_K, [this] { m_list->setCurrentIndex(m_model->index(std::max(selectedRow() - 1, 0), 0)); });
    keys->bind(Qt::Key_Delete, [this] { clearSelected(); });
    keys->bind(Qt::Key_F5, [this] { reload(); });
    keys->attach(m_list);
    auto *stopKey = new QAction(this);
    stopKey->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X));
    stopKey->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(stopKey, &QAction::triggered, this, &ChaosScreen::stopAll);
    addAction(stopKey);
    setFocusProxy(m_list);
    updateForm();
}

ChaosScreen::~ChaosScreen()
{
    closeLease();
}

void ChaosScreen::reload()
{
    const int row = selectedRow();
    m_selectedId = row >= 0 ? m_model->item(row).value(QStringLiteral("id")).toString() : QString();
    m_model->load(m_session->api(), ApiRequest{"GET", kFaultsPath});
}

QString ChaosScreen::feedback() const
{
    return m_feedback->text();
}

int ChaosScreen::selectedRow() const
{
    return m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -1;
}

void ChaosScreen::updateForm()
{
    const QString kind = m_kind->currentText();
    const bool http = kind.startsWith(QLatin1String("http."));
    const bool timed = kind.endsWith(QLatin1String(".delay")) || kind.endsWith(QLatin1String(".latency"))
        || kind == QLatin1String("outbound.timeout");
    m_status->setEnabled(kind == QLatin1String("http.abort"));
    m_rate->setEnabled(kind == QLatin1String("http.throttle"));
    m_delay->setEnabled(timed);
    m_jitter->setEnabled(timed);
    m_route->setEnabled(http || kind.startsWith(QLatin1String("outbound.")));
    m_clear->setEnabled(selectedRow() >= 0);
    m_stopAll->setEnabled(m_model->rowCount() > 0);
    m_inject->setEnabled(m_model->lastPage().value(QStringLiteral("enabled")).toBool(true));
}

QJsonObject ChaosScreen::faultFromForm() const
{
    QJsonObject selector{{QStringLiteral("percent"), m_percent->value()}};
    const auto addText = [&selector](const char *key, const QLineEdit *field) {
        if (field->isEnabled() && !field->text().trimmed().isEmpty())
            selector.insert(QLatin1String(key), field->text().trimmed());
    };
    addText("route", m_route);
    addText("plugin", m_plugin);
    addText("node", m_node);
    QJsonObject fault{{QStringLiteral("kind"), m_kind->currentText()},
                      {QStringLiteral("selector"), selector},
                      {QStringLiteral("probability"), m_probability->value()},
                      {QStringLiteral("ttlSeconds"), m_ttl->value()},
                      {QStringLiteral("allNodes"), m_allNodes->isChecked()}};
    if (m_delay->isEnabled()) {
        fault.insert(QStringLiteral("delayMs"), m_delay->value());
        fault.insert(QStringLiteral("jitterMs"), m_jitter->value());
    }
    if (m_status->isEnabled())
        fault.insert(QStringLiteral("status"), m_status->value());
    if (m_rate->isEnabled())
        fault.insert(QStringLiteral("bytesPerSecond"), m_rate->value());
    return fault;
}

void ChaosScreen::inject()
{
    QJsonObject fault = faultFromForm();
    if (!m_hold->isChecked())
        return sendFault(fault);
    if (!m_leaseId.isEmpty()) {
        fault.insert(QStringLiteral("lease"), m_leaseId);
        return sendFault(fault);
    }
    if (m_leasePending)
        return;
    // The console's one lease: opened with the first held fault, renewed every second.
    m_leasePending = true;
    setFeedback(tr("Opening this console's lease…"));
    m_progress->send(ApiRequest::withJson("POST", QStringLiteral("/v1/admin/chaos/leases"),
                                                {{QStringLiteral("ttlSeconds"), kLeaseTtlSeconds}}),
                           [this, fault](const ApiReply &reply) mutable {
                               m_leasePending = false;
                               if (!reply.ok())
                                   return setFeedback(tr("No lease, nothing injected: %1").arg(replyMessage(reply)), true);
                               m_leaseId = reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("id")).toString();
                               m_renew.start(kRenewMs, this);
                               fault.insert(QStringLiteral("lease"), m_leaseId);
                               sendFault(fault);
                           });
}

void ChaosScreen::sendFault(QJsonObject fault)
{
    const QString kind = fault.value(QStringLiteral("kind")).toString();
    setFeedback(tr("Injecting %1…").arg(kind));
    m_progress->send(ApiRequest::withJson("POST", kFaultsPath, fault), [this, kind](const ApiReply &reply) {
        if (!reply.ok()) {
            const ApiError e = reply.error();
            QStringList fields;
            for (const auto &f : e.fields)
                fields << QStringLiteral("%1: %2").arg(f.field, f.message);
            return setFeedback(fields.isEmpty() ? tr("%1 not injected: %2").arg(kind, e.message)
                                                : tr("%1 not injected: %2").arg(kind, fields.join(QStringLiteral("; "))),
                               true);
        }
        const QJsonObject f = reply.jsonObject().value_or(QJsonObject());
        setFeedback(tr("Injected %1 (%2), until %3.")
                        .arg(f.value(QStringLiteral("kind")).toString(), f.value(QStringLiteral("id")).toString(),
                             f.value(QStringLiteral("expiresAt")).toString()));
        reload();
    });
}

void ChaosScreen::clearSelected()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const QString id = m_model->item(row).value(QStringLiteral("id")).toString();
    m_progress->send(ApiRequest{"DELETE", kFaultsPath + QLatin1Char('/') + ApiClient::pathSegment(id)},
                           [this, id](const ApiReply &reply) {
                               if (!reply.ok() && reply.status != 404)
                                   return setFeedback(tr("%1 not cleared: %2").arg(id, replyMessage(reply)), true);
                               setFeedback(tr("Cleared %1.").arg(id));
                               reload();
                           });
}

void ChaosScreen::stopAll()
{
    setFeedback(tr("Stopping every fault…"));
    m_progress->send(ApiRequest::withJson("POST", QStringLiteral("/v1/admin/chaos/stop-all"),
                                                {{QStringLiteral("allNodes"), m_allNodes->isChecked()}}),
                           [this](const ApiReply &reply) {
                               if (!reply.ok())
                                   return setFeedback(tr("Stop all failed: %1").arg(replyMessage(reply)), true);
                               const int n = reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("cleared")).toInt();
                               setFeedback(tr("Stopped: %n fault(s) cleared.", nullptr, n));
                               reload();
                           });
}

void ChaosScreen::renewLease()
{
    if (m_leaseId.isEmpty())
        return;
    const QString id = m_leaseId;
    m_session->api()->send(ApiRequest{"POST", QStringLiteral("/v1/admin/chaos/leases/%1/renew").arg(ApiClient::pathSegment(id))},
                           [this, id](const ApiReply &reply) {
                               if (reply.ok() || id != m_leaseId)
                                   return;
                               if (reply.status == 404) {
                                   // Lapsed (the server did not hear from us in time) or
                                   // closed elsewhere: its faults are gone; a new held
                                   // fault opens a new lease.
                                   m_renew.stop();
                                   m_leaseId.clear();
                                   setFeedback(tr("This console's lease lapsed: the faults it held were cleared."), true);
                                   reload();
                               }
                           });
}

void ChaosScreen::closeLease()
{
    m_renew.stop();
    if (m_leaseId.isEmpty())
        return;
    // Ending the lease clears its faults on the server; the request outlives this screen
    // (the session's client sends it).
    m_session->api()->send(ApiRequest{"DELETE", QStringLiteral("/v1/admin/chaos/leases/") + ApiClient::pathSegment(m_leaseId)});
    m_leaseId.clear();
}

void ChaosScreen::abandonLease()
{
    m_renew.stop();
    m_leaseId.clear();
}

void ChaosScreen::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_renew.timerId())
        renewLease();
    else if (event->timerId() == m_refresh.timerId() && !m_model->isLoading())
        reload();
    else
        QWidget::timerEvent(event);
}

void ChaosScreen::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reload();
    m_refresh.start(kRefreshMs, this);
}

void ChaosScreen::hideEvent(QHideEvent *event)
{
    m_refresh.stop();   // the lease keeps being renewed while hidden
    QWidget::hideEvent(event);
}

void ChaosScreen::setFeedback(const QString &text, bool error)
{
    showFeedback(m_feedback, text, error);
}

} // namespace Console
