// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// community-console: sign in, then the console's window.

#include "mainwindow.h"
#include "session.h"
#include "signindialog.h"

#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CommunityPlatform"));
    QApplication::setApplicationName(QStringLiteral("community-console"));
    QApplication::setApplicationVersion(Console::Session::consoleVersion());
    Console::Session session;
    Console::SignInDialog signIn(&session);
    if (signIn.exec() != QDialog::Accepted)
        return 1;
    Console::MainWindow window(&session);
    window.resize(1280, 800);
    window.show();
    return QApplication::exec();
}
