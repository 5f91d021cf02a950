// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// Markdown (GitHub flavour) -> sanitised HTML, rendered once when a post is written.
/// See docs/adr/0006-markdown.md for the rules and their limits.
/// Threading: renderMarkdown() is reentrant; call it from any thread.

#include <community/result.h>

#include <QString>
#include <QStringList>

namespace Markdown {

using Community::Result;

struct MarkdownOptions {
    enum class Images {
        None,       ///< every image becomes its alt text
        HttpsOnly,  ///< absolute https:// URLs only (default)
        Http,       ///< http:// and https://
    };

    qsizetype maxInputBytes = 64 * 1024;  ///< UTF-8 size; beyond: InvalidArgument, field "body"
    int maxNestingDepth = 32;             ///< block quotes + lists; beyond: InvalidArgument
    Images images = Images::HttpsOnly;
    bool allowRelativeLinks = true;       ///< "/path", "page", "#anchor", "?q"
    QString linkTarget;                   ///< e.g. "_blank"; empty: no target attribute
    bool mentions = true;                 ///< turn @name into links (collected either way)
    QString mentionPrefix = QStringLiteral("/u/");
};

struct RenderedMarkdown {
    QString html;
    QStringList mentions;  ///< @name tokens outside code and links, deduplicated case-insensitively
    QStringList links;     ///< URLs of the links kept (not mentions), in order, deduplicated
};

/// The rel attribute every rendered link carries.
inline constexpr const char *kLinkRel = "nofollow ugc noopener noreferrer";

/// Renders markdown to HTML with no raw HTML, only http/https/mailto/relative links and
/// no executable content. Errors: InvalidArgument (too long, nested too deeply),
/// Internal (cmark failure).
Result<RenderedMarkdown> renderMarkdown(const QString &markdown, const MarkdownOptions &opts = {});

/// True when \a url may be used as a link (or image, with \a image) under \a opts.
/// Exposed for tests and for other plugins that accept URLs.
bool isSafeUrl(const QString &url, const MarkdownOptions &opts = {}, bool image = false);

} // namespace Markdown
