// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The requests one screen has in flight, and the one way to stop them: while any is
/// pending (for longer than a moment), a bar under the screen shows it with the seconds
/// waited and a Cancel button, and Esc anywhere in the screen aborts them all. Each
/// aborted request ends with Outcome::Cancelled (replyMessage(): "Cancelled."); the
/// event loop never waits on the network, so a slow server leaves the screen usable.
/// Screens send through send() (or track()/watch() what they send otherwise) rather
/// than through the client directly. Threading: GUI thread.

#include "community/client/apiclient.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QShortcut;

namespace Console {

class JsonTableModel;
class Session;

/// What a failed answer tells the user: the problem+json detail (else its title or the
/// transport error), "Cancelled." when the user stopped it, or that the server did not
/// answer in time.
QString replyMessage(const Community::Client::ApiReply &reply);

class RequestProgress : public QWidget {
    Q_OBJECT
public:
    /// Esc cancels while `screen` (or any child) has the focus.
    RequestProgress(Session *session, QWidget *screen);
    /// Aborts what was sent through send() or track() with a callback, without calling
    /// back: a closed screen neither waits for nor hears from its requests.
    ~RequestProgress() override;

    /// Sends `request` through the session's client and tracks it; `onFinished` is called
    /// once with the answer (never after this object is gone).
    Community::Client::PendingReply *send(const Community::Client::ApiRequest &request,
                                          Community::Client::ApiClient::Callback onFinished);
    /// Tracks a request sent elsewhere (the client's fetch(), …), with the same promise
    /// about `onFinished` as send().
    Community::Client::PendingReply *track(Community::Client::PendingReply *pending,
                                           Community::Client::ApiClient::Callback onFinished = {});
    /// The session's client (null before sign-in).
    Community::Client::ApiClient *client() const;
    /// Tracks every page `model` loads.
    void watch(JsonTableModel *model);

    bool isBusy() const { return !m_pending.isEmpty(); }
    /// Aborts every tracked request.
    void cancelAll();
    /// The bar's text ("Waiting for the server: 3 s — Esc cancels").
    QString text() const;

Q_SIGNALS:
    void busyChanged(bool busy);
    /// The user cancelled (Esc or the button) `count` requests.
    void cancelled(int count);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    void update();

    Session *m_session;
    QList<QPointer<Community::Client::PendingReply>> m_pending;
    QList<QPointer<Community::Client::PendingReply>> m_owned;   // with a callback here
    QProgressBar *m_bar;
    QLabel *m_label;
    QPushButton *m_cancel;
    QShortcut *m_escape;
    QBasicTimer m_tick;
    QElapsedTimer m_since;
    bool m_wasBusy = false;
};

} // namespace Console
