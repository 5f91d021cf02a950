// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// `community-console --screenshots DIR`: signs in with an operator token, shows each
/// screen of the main window in turn, lets it load, and saves it as DIR/<screen>.png
/// (packaging/console-screenshots.sh runs it under Xvfb on demo data). Threading: GUI
/// thread; asynchronous, `finished` at the end.

#include <QObject>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace Console {

class MainWindow;
class Session;

class ScreenshotRun : public QObject {
    Q_OBJECT
public:
    ScreenshotRun(Session *session, QString dir, QObject *parent = nullptr);
    ~ScreenshotRun() override;
    void start(const QUrl &server, const QString &token);
    QStringList saved() const { return m_saved; }

Q_SIGNALS:
    void finished(bool ok, const QString &message);

private:
    void shoot(int screen);

    Session *m_session;
    QString m_dir;
    std::unique_ptr<MainWindow> m_window;
    QStringList m_saved;
};

} // namespace Console
