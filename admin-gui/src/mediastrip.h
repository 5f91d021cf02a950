// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The images of a reported post, under the review queue's item pane: blurred and in
/// greyscale by default — two separate toggles (m: blur, Shift+M: colour), reset to both
/// on for every item — and never larger than a thumbnail. The images are fetched into
/// memory only, through the session's client (whose access manager has no cache: nothing
/// reaches the disk); a third-party host never gets the console's token (ApiClient::fetch).
/// Threading: GUI thread.

#include <QImage>
#include <QList>
#include <QWidget>

class QCheckBox;
class QHBoxLayout;
class QLabel;

namespace Console {

class RequestProgress;

class MediaStrip : public QWidget {
    Q_OBJECT
public:
    /// Images are fetched through `progress` (Esc cancels them with the rest).
    explicit MediaStrip(RequestProgress *progress, QWidget *parent = nullptr);

    /// Shows `urls` (at most kMaxImages), blurred and greyscale again.
    void load(const QStringList &urls);
    void clear();

    bool isBlurred() const;
    bool isGreyscale() const;
    void setBlurred(bool on);
    void setGreyscale(bool on);
    /// Images loaded so far, and what each thumbnail shows now.
    int imageCount() const { return int(m_images.size()); }
    QImage shown(int index) const;
    QString statusText() const;

    /// What a thumbnail shows: `source` scaled to fit `side`, then blurred (a strong
    /// blur: nothing recognisable survives) and/or made grey.
    static QImage render(const QImage &source, bool blur, bool grey, int side = kThumbSide);

    static constexpr int kMaxImages = 4;
    static constexpr int kThumbSide = 240;
    static constexpr qint64 kMaxBytes = 8 * 1024 * 1024;

Q_SIGNALS:
    void imagesChanged();

private:
    void refresh();

    RequestProgress *m_progress;
    QCheckBox *m_blur;
    QCheckBox *m_grey;
    QLabel *m_status;
    QHBoxLayout *m_thumbs;
    QList<QImage> m_images;        // decoded, at most thumbnail size
    QList<QLabel *> m_labels;
    quint64 m_generation = 0;
    int m_failed = 0;
};

} // namespace Console
