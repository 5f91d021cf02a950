// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "jsontablemodel.h"

#include "requestprogress.h"

#include <QJsonArray>

using namespace Community::Client;

namespace Console {

JsonTableModel::JsonTableModel(QList<Column> columns, QObject *parent)
    : QAbstractTableModel(parent), m_columns(std::move(columns))
{
}

JsonTableModel::~JsonTableModel()
{
    if (m_pending) {   // a closed screen stops waiting for its page
        disconnect(m_pending, nullptr, this, nullptr);
        m_pending->cancel();
    }
}

void JsonTableModel::load(ApiClient *api, const ApiRequest &request)
{
    m_api = api;
    m_request = request;
    fetch(request, false);
}

void JsonTableModel::loadMore()
{
    if (m_nextCursor.isEmpty() || isLoading())
        return;
    ApiRequest next = m_request;
    next.query.removeAllQueryItems(QStringLiteral("cursor"));
    next.query.addQueryItem(QStringLiteral("cursor"), m_nextCursor);
    fetch(next, true);
}

void JsonTableModel::cancel()
{
    if (m_pending)
        m_pending->cancel();
}

void JsonTableModel::fetch(const ApiRequest &request, bool append)
{
    cancel();
    if (!m_api)
        return;
    m_error.clear();
    // The model is the callback's context: once it is gone, its answers go nowhere.
    m_pending = m_api->send(request);
    connect(m_pending, &PendingReply::finished, this, [this, append](const ApiReply &reply) {
        m_pending.clear();
        Q_EMIT loadingChanged(false);
        if (!reply.ok()) {
            m_error = replyMessage(reply);
            return Q_EMIT failed(m_error);
        }
        const QJsonObject page = reply.jsonObject().value_or(QJsonObject());
        m_lastPage = page;
        QList<QJsonObject> items;
        for (const QJsonValue &v : page.value(m_listMember).toArray()) {
            if (!m_keep || m_keep(v.toObject()))
                items.append(v.toObject());
        }
        m_nextCursor = page.value(QStringLiteral("nextCursor")).toString();
        if (append) {
            if (!items.isEmpty()) {
                beginInsertRows({}, int(m_items.size()), int(m_items.size() + items.size() - 1));
                m_items += items;
                endInsertRows();
            }
        } else {
            beginResetModel();
            m_items = items;
            endResetModel();
        }
        Q_EMIT loaded();
    });
    Q_EMIT loadingChanged(true);
}

void JsonTableModel::setItems(const QList<QJsonObject> &items)
{
    cancel();
    beginResetModel();
    m_items = items;
    m_nextCursor.clear();
    endResetModel();
}

void JsonTableModel::removeItem(int row)
{
    if (row < 0 || row >= m_items.size())
        return;
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
}

void JsonTableModel::setItem(int row, const QJsonObject &item)
{
    if (row < 0 || row >= m_items.size())
        return;
    m_items[row] = item;
    Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
}

QString JsonTableModel::valueAt(const QJsonObject &item, const QString &path)
{
    QJsonValue v = item;
    for (const QString &key : path.split(QLatin1Char('.')))
        v = v.toObject().value(key);
    switch (v.type()) {
    case QJsonValue::String: return v.toString();
    case QJsonValue::Double: return QString::number(v.toDouble(), 'g', 15);
    case QJsonValue::Bool: return v.toBool() ? tr("yes") : tr("no");
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue &e : v.toArray())
            parts << (e.isString() ? e.toString() : QString::number(e.toDouble(), 'g', 15));
        return parts.join(QStringLiteral(", "));
    }
    default: return {};
    }
}

int JsonTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int JsonTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant JsonTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_items.size() || index.column() >= m_columns.size())
        return {};
    const QJsonObject &item = m_items[index.row()];
    if (role == ItemRole)
        return item;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const Column &c = m_columns[index.column()];
    return c.format ? c.format(item) : valueAt(item, c.path);
}

QVariant JsonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section >= m_columns.size())
        return {};
    return m_columns[section].title;
}

} // namespace Console
