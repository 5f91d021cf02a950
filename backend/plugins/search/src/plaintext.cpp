// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "plaintext.h"

#include <QRegularExpression>

namespace Search {

QString markdownToPlain(const QString &markdown, int maxChars)
{
    // Bound the work before any regular expression runs.
    QString s = markdown.left(qMax(maxChars * 2, 1024));
    static const QRegularExpression fence(QStringLiteral("^\\s*(```|~~~).*$"), QRegularExpression::MultilineOption);
    static const QRegularExpression image(QStringLiteral("!\\[([^\\]]*)\\]\\([^)]*\\)"));
    static const QRegularExpression link(QStringLiteral("\\[([^\\]]*)\\]\\([^)]*\\)"));
    static const QRegularExpression refLink(QStringLiteral("^\\s*\\[[^\\]]+\\]:\\s*\\S+.*$"), QRegularExpression::MultilineOption);
    static const QRegularExpression autolink(QStringLiteral("<((?:https?|mailto):[^>\\s]+)>"));
    static const QRegularExpression tag(QStringLiteral("</?[A-Za-z][^>]{0,200}>"));
    static const QRegularExpression blockMarks(QStringLiteral("^\\s{0,3}(#{1,6}\\s+|>\\s?|[-*+]\\s+|\\d{1,9}[.)]\\s+)+"),
                                               QRegularExpression::MultilineOption);
    static const QRegularExpression rule(QStringLiteral("^\\s*([-*_]\\s*){3,}$"), QRegularExpression::MultilineOption);
    static const QRegularExpression emphasis(QStringLiteral("(\\*{1,3}|_{2,3}|~~|`+)"));
    static const QRegularExpression tablePipes(QStringLiteral("\\s*\\|\\s*"));
    s.replace(fence, QString());
    s.replace(image, QStringLiteral("\\1"));
    s.replace(link, QStringLiteral("\\1"));
    s.replace(refLink, QString());
    s.replace(autolink, QStringLiteral("\\1"));
    s.replace(tag, QStringLiteral(" "));
    s.replace(rule, QString());
    s.replace(blockMarks, QString());
    s.replace(emphasis, QString());
    s.replace(tablePipes, QStringLiteral(" "));
    s.replace(QStringLiteral("&nbsp;"), QStringLiteral(" "));
    s = s.simplified();
    if (s.size() > maxChars) {
        int cut = maxChars;
        while (cut > maxChars - 100 && cut > 0 && !s.at(cut).isSpace())
            --cut;
        if (cut <= 0)
            cut = maxChars;
        if (s.at(cut - 1).isHighSurrogate())
            --cut;
        s.truncate(cut);
    }
    return s;
}

} // namespace Search
