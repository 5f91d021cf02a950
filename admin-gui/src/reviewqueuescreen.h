// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The review queue (/v1/admin/queue) in three panes: items by priority, who holds each
/// (list) | the reported text with its thread, reports, notes and the author's recent
/// posts (ItemContext) | the decision (DecisionPanel). Keyboard first, keys off while
/// Ctrl/Alt/Meta is held: j/k move, a approves the report (hide), r rejects it (dismiss),
/// i ignores (next item), 1–9 decide with a preset, x marks, Shift+X marks the range to
/// the last mark (marked items are decided together), c claims or releases, F5 reloads.
/// After a decision the item leaves the list, the next is selected and the status line
/// says what happened. Live: `admin:queue` frames over the realtime hub reload the list.
/// Threading: GUI thread; network calls asynchronous through the session's client.

#include <QJsonObject>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;
class QTextBrowser;

namespace Console {

class DecisionPanel;
class ItemContext;
class JsonTableModel;
class Session;
struct DecisionAction;

class ReviewQueueScreen : public QWidget {
    Q_OBJECT
public:
    explicit ReviewQueueScreen(Session *session, QWidget *parent = nullptr);

    void reload();
    JsonTableModel *model() const { return m_model; }
    QTableView *list() const { return m_list; }
    DecisionPanel *decisionPanel() const { return m_panel; }
    QString detailText() const;
    /// The last feedback shown (what the moderator just did, or what failed).
    QString feedback() const;
    /// Ids of the marked items (x, Shift+X).
    QStringList marked() const { return m_marked.values(); }
    /// "live" once subscribed to admin:queue.
    bool isLive() const { return m_live; }

    void move(int delta);
    /// Decides the marked items (or the selected one) with the panel's actions and reason.
    void decideWithPanel();
    void decide(const QList<DecisionAction> &actions, const QString &reason);
    void applyPreset(int index);
    void toggleMark(bool range);
    void toggleClaim();

Q_SIGNALS:
    void decided(const QString &itemId, const QString &actions);
    void liveChanged(bool live);

private:
    void buildLayout();
    void bindKeys();
    void connectLive();
    void onLoaded();
    void showSelected();
    void decideNext();
    void removeItem(const QString &id);
    void setFeedback(const QString &text, bool error = false);
    int selectedRow() const;
    int rowOf(const QString &id) const;
    QString selectedId() const;

    Session *m_session;
    JsonTableModel *m_model;
    ItemContext *m_context;
    QTableView *m_list;
    QTextBrowser *m_detail;
    DecisionPanel *m_panel;
    QComboBox *m_status;
    QLabel *m_liveLabel;
    QLabel *m_feedback;
    QTimer m_reloadSoon;
    QSet<QString> m_marked;
    QString m_lastMarked;
    QString m_keepSelected;
    QStringList m_toDecide;       // bulk decisions still to send
    QJsonObject m_decision;       // their body
    QString m_decisionText;
    bool m_busy = false;
    bool m_live = false;
};

} // namespace Console
