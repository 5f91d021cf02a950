// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "sqlarrays.h"

namespace Content {

std::string idArrayLiteral(const QList<qint64> &ids)
{
    std::string s = "{";
    for (qsizetype i = 0; i < ids.size(); ++i) {
        if (i)
            s += ',';
        s += std::to_string(ids[i]);
    }
    return s + "}";
}

std::string tagsLiteral(const QStringList &tags)
{
    return ("{" + tags.join(QLatin1Char(',')) + "}").toStdString();
}

} // namespace Content
