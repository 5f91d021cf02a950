// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// community-console: sign in, then the console's window. With --screenshots DIR (and
// --server, --token-file) it renders each screen to DIR/<screen>.png and exits.

#include "mainwindow.h"
#include "screenshotrun.h"
#include "session.h"
#include "signindialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>

namespace {

/// The console's own text (embedded by qt_add_translations) and Qt's, for `locale`.
void installTranslations(QApplication &app, const QLocale &locale)
{
    auto *console = new QTranslator(&app);
    if (console->load(locale, QStringLiteral("console"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(console);
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
}

int renderScreenshots(Console::Session &session, const QCommandLineParser &args)
{
    QFile tokenFile(args.value(QStringLiteral("token-file")));
    if (!tokenFile.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "community-console: cannot read the token file\n");
        return 2;
    }
    Console::ScreenshotRun run(&session, args.value(QStringLiteral("screenshots")));
    int code = 1;
    QObject::connect(&run, &Console::ScreenshotRun::finished, [&code](bool ok, const QString &message) {
        std::fprintf(ok ? stdout : stderr, "%s\n", qPrintable(message));
        code = ok ? 0 : 1;
        QApplication::quit();
    });
    run.start(QUrl(args.value(QStringLiteral("server"))), QString::fromUtf8(tokenFile.readAll()).trimmed());
    QApplication::exec();
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("CommunityPlatform"));
    QApplication::setApplicationName(QStringLiteral("community-console"));
    QApplication::setApplicationVersion(Console::Session::consoleVersion());
    QApplication::setDesktopFileName(QStringLiteral("community-console"));
    QCommandLineParser args;
    args.addHelpOption();
    args.addVersionOption();
    args.addOptions({{QStringLiteral("lang"), QStringLiteral("UI language (ko, en); default: the system's."), QStringLiteral("code")},
                     {QStringLiteral("screenshots"), QStringLiteral("Render every screen into DIR and exit."), QStringLiteral("dir")},
                     {QStringLiteral("server"), QStringLiteral("Server URL (with --screenshots)."), QStringLiteral("url")},
                     {QStringLiteral("token-file"), QStringLiteral("Operator token file (with --screenshots)."), QStringLiteral("file")}});
    args.process(app);
    installTranslations(app, args.isSet(QStringLiteral("lang")) ? QLocale(args.value(QStringLiteral("lang"))) : QLocale());

    Console::Session session;
    if (args.isSet(QStringLiteral("screenshots")))
        return renderScreenshots(session, args);
    Console::SignInDialog signIn(&session);
    if (signIn.exec() != QDialog::Accepted)
        return 1;
    Console::MainWindow window(&session);
    if (window.size().width() < 800)
        window.resize(1280, 800);
    window.show();
    return QApplication::exec();
}
