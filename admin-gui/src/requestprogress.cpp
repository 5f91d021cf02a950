// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "requestprogress.h"

#include "jsontablemodel.h"
#include "session.h"

#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QTimerEvent>

#include <utility>

using namespace Community::Client;

namespace Console {

namespace {
// A request answered within this long shows no bar (no flicker on every reload).
constexpr qint64 kShowAfterMs = 300;
constexpr int kTickMs = 250;
} // namespace

QString replyMessage(const ApiReply &reply)
{
    if (reply.outcome == ApiReply::Outcome::Cancelled)
        return QCoreApplication::translate("Console::RequestProgress", "Cancelled.");
    if (reply.timedOut)
        return QCoreApplication::translate("Console::RequestProgress", "The server did not answer in time (%1).")
            .arg(reply.transportError);
    return reply.error().message;
}

RequestProgress::RequestProgress(Session *session, QWidget *screen)
    : QWidget(screen),
      m_session(session),
      m_bar(new QProgressBar),
      m_label(new QLabel),
      m_cancel(new QPushButton(tr("Cancel (Esc)"))),
      m_escape(new QShortcut(QKeySequence(Qt::Key_Escape), screen))
{
    m_bar->setRange(0, 0);   // indeterminate: the API does not say how long it takes
    m_bar->setMaximumWidth(160);
    m_bar->setTextVisible(false);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_bar);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_cancel);
    m_cancel->setFocusPolicy(Qt::NoFocus);   // Esc is the keyboard's way; tab order stays the screen's
    // Only while something is pending: otherwise Esc keeps its meaning in the screen.
    m_escape->setContext(Qt::WidgetWithChildrenShortcut);
    m_escape->setEnabled(false);
    connect(m_escape, &QShortcut::activated, this, &RequestProgress::cancelAll);
    connect(m_cancel, &QPushButton::clicked, this, &RequestProgress::cancelAll);
    hide();
}

ApiClient *RequestProgress::client() const
{
    return m_session->api();
}

RequestProgress::~RequestProgress()
{
    for (const QPointer<PendingReply> &p : std::exchange(m_owned, {})) {
        if (p && !p->isFinished()) {
            disconnect(p, nullptr, this, nullptr);
            p->cancel();
        }
    }
}

PendingReply *RequestProgress::send(const ApiRequest &request, ApiClient::Callback onFinished)
{
    return track(m_session->api()->send(request), std::move(onFinished));
}

PendingReply *RequestProgress::track(PendingReply *pending, ApiClient::Callback onFinished)
{
    if (!pending)
        return pending;
    if (m_pending.isEmpty())
        m_since.start();
    m_pending.append(pending);
    if (onFinished) {
        connect(pending, &PendingReply::finished, this, std::move(onFinished));
        m_owned.removeIf([](const QPointer<PendingReply> &p) { return !p || p->isFinished(); });
        m_owned.append(pending);
    }
    // The request's own callback was connected first: it runs before the bar updates.
    connect(pending, &PendingReply::finished, this, &RequestProgress::update);
    connect(pending, &QObject::destroyed, this, &RequestProgress::update);
    update();
    return pending;
}

void RequestProgress::watch(JsonTableModel *model)
{
    connect(model, &JsonTableModel::loadingChanged, this, [this, model](bool loading) {
        if (loading)
            track(model->pendingReply());
    });
}

void RequestProgress::cancelAll()
{
    const auto pending = m_pending;   // cancelling finishes them, which edits the list
    int count = 0;
    for (const QPointer<PendingReply> &p : pending) {
        if (p && !p->isFinished()) {
            p->cancel();
            ++count;
        }
    }
    update();
    if (count > 0)
        Q_EMIT cancelled(count);
}

QString RequestProgress::text() const
{
    return m_label->text();
}

void RequestProgress::update()
{
    m_pending.removeIf([](const QPointer<PendingReply> &p) { return !p || p->isFinished(); });
    const bool busy = !m_pending.isEmpty();
    m_escape->setEnabled(busy);
    if (busy) {
        const qint64 waited = m_since.elapsed();
        m_label->setText(tr("Waiting for the server: %n request(s), %1 s — Esc cancels", nullptr, int(m_pending.size()))
                             .arg(waited / 1000));
        setVisible(waited >= kShowAfterMs);
        if (!m_tick.isActive())
            m_tick.start(kTickMs, this);
    } else {
        m_tick.stop();
        m_label->clear();
        hide();
    }
    if (busy != m_wasBusy) {
        m_wasBusy = busy;
        Q_EMIT busyChanged(busy);
    }
}

void RequestProgress::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_tick.timerId())
        update();
    else
        QWidget::timerEvent(event);
}

} // namespace Console
