// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What the moderator reads about one queue item: the item with its reports and notes
/// (/v1/admin/queue/{id}), the reported post or comment with the thread around it, and
/// the author's recent posts. Loads asynchronously; a newer load() drops the older
/// answers. `html` is escaped (user text) and grows as answers arrive.
/// Threading: GUI thread.

#include "community/client/apiclient.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>


namespace Console {

class RequestProgress;

class ItemContext : public QObject {
    Q_OBJECT
public:
    explicit ItemContext(QObject *parent = nullptr) : QObject(parent) {}

    /// Loads through `progress` (the screen's: Esc cancels, the bar shows the wait).
    void load(RequestProgress *progress, const QJsonObject &item);
    /// Forgets the item and cancels what is still loading for it.
    void clear();
    /// The images the reported text shows (<img src> of its rendered HTML), at most 8.
    QStringList imageUrls() const;
    QString html() const;
    /// The reported text's author ("" until the target loaded).
    QString author() const { return m_author; }

Q_SIGNALS:
    void changed();

private:
    void loadTarget(const QString &type, const QString &id);
    void loadHistory(const QString &username);
    bool stale(quint64 generation) const { return generation != m_generation; }
    void send(const QString &path, std::function<void(const Community::Client::ApiReply &)> onFinished);

    QPointer<RequestProgress> m_progress;
    QList<QPointer<Community::Client::PendingReply>> m_inflight;
    quint64 m_generation = 0;
    QJsonObject m_item;
    QJsonObject m_detail;
    QJsonObject m_target;      // post or comment
    QString m_thread;          // html of the comments around it
    QString m_history;         // html of the author's recent posts
    QString m_author;
    QString m_error;
};

} // namespace Console
