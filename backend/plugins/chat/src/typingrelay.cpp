// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "typingrelay.h"

#include "community/database.h"

#include <QDebug>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <pqxx/pqxx>

using namespace Community;

namespace Chat {

namespace {

constexpr const char *kChannel = "chat_typing";

class Receiver final : public pqxx::notification_receiver {
public:
    Receiver(pqxx::connection_base &c, std::function<void(const std::string &)> on)
        : pqxx::notification_receiver(c, kChannel), m_on(std::move(on)) {}
    void operator()(const std::string &payload, int) override { m_on(payload); }

private:
    std::function<void(const std::string &)> m_on;
};

} // namespace

TypingRelay::TypingRelay(Db::Database &db, Deliver deliver)
    : m_db(db), m_deliver(std::move(deliver)), m_node(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

TypingRelay::~TypingRelay()
{
    stop();
}

void TypingRelay::start()
{
    if (m_running->exchange(true))
        return;
    m_thread = std::thread([this] { listen(); });
}

void TypingRelay::stop()
{
    m_running->store(false);
    if (m_thread.joinable())
        m_thread.join();
}

void TypingRelay::publish(qint64 roomId, qint64 userId)
{
    const std::string payload = QJsonDocument(QJsonObject{{QStringLiteral("node"), m_node},
                                                          {QStringLiteral("roomId"), QString::number(roomId)},
                                                          {QStringLiteral("userId"), QString::number(userId)}})
                                    .toJson(QJsonDocument::Compact)
                                    .toStdString();
    Db::Database *db = &m_db;
    (void)m_db.trySubmit([db, payload] {
        auto r = db->read<bool>([&](pqxx::nontransaction &tx) -> Result<bool> {
            tx.exec_params("SELECT pg_notify($1, $2)", kChannel, payload);
            return true;
        });
        if (!r)
            qDebug().noquote() << "chat: typing notify dropped:" << r.error().logDetail;
    });
}

void TypingRelay::received(const std::string &payload) const
{
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(payload)).object();
    if (o.value(QStringLiteral("node")).toString() == m_node)
        return;   // this node delivered it already
    const qint64 room = o.value(QStringLiteral("roomId")).toString().toLongLong();
    const qint64 user = o.value(QStringLiteral("userId")).toString().toLongLong();
    if (room > 0 && user > 0)
        m_deliver(room, user);
}

void TypingRelay::listen()
{
    const std::string conninfo = m_db.config().connectionString;
    while (m_running->load()) {
        try {
            pqxx::connection conn(conninfo);
            Receiver receiver(conn, [this](const std::string &p) { received(p); });
            while (m_running->load())
                conn.await_notification(0, 200'000);
        } catch (const std::exception &e) {
            qWarning().noquote() << "chat: typing listener lost its connection:" << e.what();
            for (int i = 0; i < 10 && m_running->load(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
}

} // namespace Chat
