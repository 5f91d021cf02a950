// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// A table of JSON objects loaded from one list endpoint of the API ({"items": [...],
/// "nextCursor": ...}): columns name a path into each object ("reporter.username").
/// Loading is asynchronous and cancellable; loadMore() follows nextCursor. Screens show
/// `loading` and `error` as they change. Threading: GUI thread.

#include "community/client/apiclient.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QPointer>

#include <functional>

namespace Console {

struct Column {
    QString title;
    QString path;   ///< dotted path into the item; "" with `format` set: computed
    std::function<QString(const QJsonObject &)> format = {};
};

class JsonTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// The item object itself, for screens that show more than the columns.
    static constexpr int ItemRole = Qt::UserRole + 1;

    JsonTableModel(QList<Column> columns, QObject *parent = nullptr);
    ~JsonTableModel() override;

    /// Replaces the rows with the first page of `request` (the query keeps its filters).
    void load(Community::Client::ApiClient *api, const Community::Client::ApiRequest &request);
    /// Appends the next page, if the last answer named one.
    void loadMore();
    void cancel();
    void reload() { load(m_api, m_request); }
    /// The array the rows come from ("items" unless set; e.g. "faults").
    void setListMember(const QString &member) { m_listMember = member; }
    /// Keeps only the items `keep` accepts (a client-side narrowing of what the API can
    /// filter); applies from the next page loaded. Empty: every item.
    void setRowFilter(std::function<bool(const QJsonObject &)> keep) { m_keep = std::move(keep); }
    /// The whole object of the last answer (for what the list sits in: counts, flags).
    QJsonObject lastPage() const { return m_lastPage; }

    bool isLoading() const { return !m_pending.isNull(); }
    /// The page request in flight (null when none), for progress indicators.
    Community::Client::PendingReply *pendingReply() const { return m_pending; }
    bool hasMore() const { return !m_nextCursor.isEmpty(); }
    QString errorMessage() const { return m_error; }
    QJsonObject item(int row) const { return m_items.value(row); }
    /// Replaces the rows with `items` gathered elsewhere (several requests; no paging).
    void setItems(const QList<QJsonObject> &items);
    /// Removes one row (after an action took it out of the list).
    void removeItem(int row);
    /// Replaces one row's object (after an action changed it).
    void setItem(int row, const QJsonObject &item);

    static QString valueAt(const QJsonObject &item, const QString &path);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loadingChanged(bool loading);
    void loaded();
    void failed(const QString &message);

private:
    void fetch(const Community::Client::ApiRequest &request, bool append);

    QList<Column> m_columns;
    QList<QJsonObject> m_items;
    QPointer<Community::Client::ApiClient> m_api;
    Community::Client::ApiRequest m_request;
    QPointer<Community::Client::PendingReply> m_pending;
    QString m_nextCursor;
    QString m_error;
    QString m_listMember = QStringLiteral("items");
    QJsonObject m_lastPage;
    std::function<bool(const QJsonObject &)> m_keep;
};

} // namespace Console
