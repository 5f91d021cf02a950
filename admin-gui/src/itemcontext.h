// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What the moderator reads about one queue item: the item with its reports and notes
/// (/v1/admin/queue/{id}), the reported post or comment with the thread around it, and
/// the author's recent posts. Loads asynchronously; a newer load() drops the older
/// answers. `html` is escaped (user text) and grows as answers arrive.
/// Threading: GUI thread.

#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace Community::Client { class ApiClient; struct ApiReply; }

namespace Console {

class ItemContext : public QObject {
    Q_OBJECT
public:
    explicit ItemContext(QObject *parent = nullptr) : QObject(parent) {}

    void load(Community::Client::ApiClient *api, const QJsonObject &item);
    void clear();
    QString html() const;
    /// The reported text's author ("" until the target loaded).
    QString author() const { return m_author; }

Q_SIGNALS:
    void changed();

private:
    void loadTarget(const QString &type, const QString &id);
    void loadHistory(const QString &username);
    bool stale(quint64 generation) const { return generation != m_generation; }

    QPointer<Community::Client::ApiClient> m_api;
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
