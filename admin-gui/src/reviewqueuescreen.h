// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The review queue (/v1/admin/queue) in three panes: items by priority, who holds each
/// (list) | the reported text with its thread, reports, notes and the author's recent
/// posts (ItemContext) | the decision (DecisionPanel). Keyboard first, keys off while
/// Ctrl/Alt/Meta is held: j/k move, a approves the report (hide), r rejects it (dismiss),
/// i ignores (next item), 1–9 decide with a preset, x marks, Shift+X marks the range to
/// the last mark (marked items are decided together), b previews the marked items with
/// the decision each gets before sending (BulkPreview), c claims or releases, F5 reloads.
/// After a decision the item leaves the list, the next is selected and the status line
/// says what happened. Live: `admin:queue` frames over the realtime hub reload the list; a
/// claim, takeover or release elsewhere updates the row's holder in place, without a reload.
/// `/` searches: words naming a target type (post, comment, chat_message) or a report
/// reason (spam, harassment, off-topic, illegal, other) become the queue API's filters,
/// other words narrow the loaded items by id, kind, target, reason or holder; Enter goes
/// back to the list, Esc clears the search. The item's images show blurred and grey
/// (MediaStrip: m, Shift+M). Requests in flight show under the screen; Esc cancels them.
/// Threading: GUI thread; network calls asynchronous through the session's client.

#include <QJsonObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTextBrowser;

namespace Console {

class BulkPreview;
class DecisionPanel;
class ItemContext;
class JsonTableModel;
class MediaStrip;
class RequestProgress;
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
    MediaStrip *media() const { return m_media; }
    RequestProgress *progress() const { return m_progress; }
    QLineEdit *searchField() const { return m_search; }
    ItemContext *context() const { return m_context; }
    /// The search split into the API's filters and the remaining words.
    struct Search {
        QString targetType, reason;
        QStringList words;
    };
    static Search parseSearch(const QString &text);
    static bool matches(const QJsonObject &item, const QStringList &words);
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
    /// `b`: the marked items (or the selected one) in a preview table with the decision
    /// each will get; Apply there sends them one by one (BulkPreview).
    void openBulkPreview();
    /// The open preview, if any.
    BulkPreview *bulkPreview() const;

Q_SIGNALS:
    void decided(const QString &itemId, const QString &actions);
    void liveChanged(bool live);
    /// A claim frame changed the holder shown for `itemId` ("" once released).
    void claimShown(const QString &itemId, const QString &holder);

private:
    void buildLayout();
    void bindKeys();
    void connectLive();
    void onLoaded();
    void showSelected();
    void decideNext();
    void removeItem(const QString &id);
    /// Shows the holder a `queue.claimed` / `queue.released` frame names, in place.
    void showClaim(const QString &id, const QJsonValue &claim);
    void setFeedback(const QString &text, bool error = false);
    int selectedRow() const;
    int rowOf(const QString &id) const;
    QString selectedId() const;

    Session *m_session;
    RequestProgress *m_progress;
    JsonTableModel *m_model;
    ItemContext *m_context;
    QTableView *m_list;
    QTextBrowser *m_detail;
    DecisionPanel *m_panel;
    MediaStrip *m_media;
    QLineEdit *m_search;
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
    QJsonObject m_contextItem;    // the item the middle pane shows
    QStringList m_mediaUrls;      // the images the media strip shows
    QPointer<BulkPreview> m_bulk;
    bool m_busy = false;
    bool m_live = false;
};

} // namespace Console
