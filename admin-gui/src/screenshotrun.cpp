// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "screenshotrun.h"

#include "mainwindow.h"
#include "reviewqueuescreen.h"
#include "session.h"
#include "settingsscreen.h"

#include <QDir>
#include <iterator>
#include <QTableView>
#include <QTimer>

namespace Console {

namespace {
// How long each screen gets to load (and the dashboard to gather samples), in ms.
constexpr int kSettleMs[] = {3000, 2500, 2500, 16000, 2500, 2500, 3500, 2500};
const char *const kNames[] = {"review-queue", "users", "audit-log", "dashboard", "chaos", "migrations", "user-record", "settings"};
static_assert(std::size(kSettleMs) == std::size(kNames));
// The demo account whose record is shown: suspended, reported, with a penalty.
const QString kRecordUser = QStringLiteral("demo_tom");
} // namespace

ScreenshotRun::ScreenshotRun(Session *session, QString dir, QObject *parent)
    : QObject(parent), m_session(session), m_dir(std::move(dir))
{
}

ScreenshotRun::~ScreenshotRun() = default;

void ScreenshotRun::start(const QUrl &server, const QString &token)
{
    connect(m_session, &Session::failed, this, [this](const QString &message) { Q_EMIT finished(false, message); });
    connect(m_session, &Session::signedIn, this, [this] {
        QDir().mkpath(m_dir);
        m_window = std::make_unique<MainWindow>(m_session);
        m_window->resize(1440, 900);
        m_window->show();
        m_window->showScreen(MainWindow::QueueScreen);
        // The second item: the first is the list's default, this shows j worked.
        QTimer::singleShot(1500, this, [this] {
            m_window->reviewQueue()->move(1);
            QTimer::singleShot(kSettleMs[0], this, [this] { shoot(0); });
        });
    });
    m_session->signInWithToken(server, token);
}

void ScreenshotRun::shoot(int screen)
{
    const QString path = QDir(m_dir).filePath(QString::fromLatin1(kNames[screen]) + QStringLiteral(".png"));
    if (!m_window->grab().save(path))
        return Q_EMIT finished(false, tr("Cannot write %1").arg(path));
    m_saved << path;
    const int next = screen + 1;
    if (next >= int(std::size(kNames)))
        return Q_EMIT finished(true, m_saved.join(QLatin1Char('\n')));
    if (next == MainWindow::UserRecordScreenIndex)
        m_window->openRecord(kRecordUser);
    else
        m_window->showScreen(next);
    if (next == MainWindow::SettingsScreenIndex)   // a changed, pending key selected
        QTimer::singleShot(1500, this, [this] { m_window->settings()->select(QStringLiteral("http.idleTimeoutMs")); });
    QTimer::singleShot(kSettleMs[next], this, [this, next] { shoot(next); });
}

} // namespace Console
