// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "confirm.h"

#include <istream>
#include <ostream>
#include <string>

namespace Community::Ctl {

Confirmation precheckConfirmation(bool yes, bool interactive)
{
    if (yes)
        return Confirmation::Proceed;
    return interactive ? Confirmation::Declined : Confirmation::Refused;
}

bool isYes(const QString &answer)
{
    const QString a = answer.trimmed().toLower();
    return a == QLatin1String("y") || a == QLatin1String("yes");
}

Confirmation confirm(bool yes, const Terminal &terminal, std::ostream &prompt)
{
    const Confirmation pre = precheckConfirmation(yes, terminal.interactive);
    if (pre != Confirmation::Declined)
        return pre;
    prompt << "Proceed? [y/N] ";
    prompt.flush();
    std::string line;
    if (!std::getline(terminal.in, line)) {
        prompt << '\n';
        return Confirmation::Declined;
    }
    return isYes(QString::fromStdString(line)) ? Confirmation::Proceed : Confirmation::Declined;
}

QString refusedLine()
{
    return QStringLiteral("communityctl: stdin is not a terminal; pass --yes to confirm "
                          "(or --dry-run to only show the change)");
}

QString declinedLine()
{
    return QStringLiteral("communityctl: aborted; nothing was changed");
}

} // namespace Community::Ctl
