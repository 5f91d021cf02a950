// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "mediastrip.h"

#include "requestprogress.h"

#include <QBuffer>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QPixmap>
#include <QVBoxLayout>

#include <utility>

using namespace Community::Client;

namespace Console {

namespace {
// Down to a few pixels and back: cheap, and stronger than any radius a user could undo.
constexpr int kBlurSide = 12;
// Decoding refuses images whose pixels would need more than this (a decompression bomb).
constexpr int kAllocationLimitMiB = 64;
} // namespace

MediaStrip::MediaStrip(RequestProgress *progress, QWidget *parent)
    : QWidget(parent),
      m_progress(progress),
      m_blur(new QCheckBox(tr("&Blur (m)"))),
      m_grey(new QCheckBox(tr("&Greyscale (Shift+M)"))),
      m_status(new QLabel),
      m_thumbs(new QHBoxLayout)
{
    m_blur->setChecked(true);
    m_grey->setChecked(true);
    auto *toggles = new QHBoxLayout;
    toggles->addWidget(new QLabel(tr("Media:")));
    toggles->addWidget(m_blur);
    toggles->addWidget(m_grey);
    toggles->addWidget(m_status, 1);
    m_thumbs->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(toggles);
    layout->addLayout(m_thumbs);
    connect(m_blur, &QCheckBox::toggled, this, &MediaStrip::refresh);
    connect(m_grey, &QCheckBox::toggled, this, &MediaStrip::refresh);
    hide();
}

bool MediaStrip::isBlurred() const { return m_blur->isChecked(); }
bool MediaStrip::isGreyscale() const { return m_grey->isChecked(); }
void MediaStrip::setBlurred(bool on) { m_blur->setChecked(on); }
void MediaStrip::setGreyscale(bool on) { m_grey->setChecked(on); }
QString MediaStrip::statusText() const { return m_status->text(); }

QImage MediaStrip::shown(int index) const
{
    return render(m_images.value(index), isBlurred(), isGreyscale());
}

QImage MediaStrip::render(const QImage &source, bool blur, bool grey, int side)
{
    if (source.isNull())
        return {};
    QImage out = source.width() > side || source.height() > side
        ? source.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation)
        : source;
    if (blur) {
        const QSize size = out.size();
        out = out.scaled(kBlurSide, kBlurSide, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                  .scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    }
    if (grey)
        out = out.convertToFormat(QImage::Format_Grayscale8);
    return out;
}

void MediaStrip::clear()
{
    ++m_generation;
    m_images.clear();
    for (QLabel *label : std::exchange(m_labels, {}))
        delete label;
    m_failed = 0;
    m_status->clear();
    hide();
}

void MediaStrip::load(const QStringList &urls)
{
    clear();
    // Every item starts hidden behind both filters, whatever the last one was set to.
    setBlurred(true);
    setGreyscale(true);
    if (urls.isEmpty() || !m_progress)
        return;
    show();
    m_status->setText(tr("Loading %n image(s)…", nullptr, int(std::min<qsizetype>(urls.size(), kMaxImages))));
    const quint64 generation = m_generation;
    for (const QString &url : urls.mid(0, kMaxImages)) {
        ApiClient *api = m_progress->client();
        if (!api)
            return;
        m_progress->track(api->fetch(QUrl(url), kMaxBytes), [this, generation](const ApiReply &reply) {
            if (generation != m_generation)
                return;
            QImage image;
            if (reply.ok()) {
                QBuffer buffer;
                buffer.setData(reply.body);
                buffer.open(QIODevice::ReadOnly);
                QImageReader reader(&buffer);
                reader.setAllocationLimit(kAllocationLimitMiB);
                // Decode no larger than needed: the full-size picture never exists here.
                const QSize size = reader.size();
                if (size.isValid() && (size.width() > kThumbSide || size.height() > kThumbSide))
                    reader.setScaledSize(size.scaled(kThumbSide, kThumbSide, Qt::KeepAspectRatio));
                image = reader.read();
            }
            if (image.isNull()) {
                ++m_failed;
            } else {
                m_images.append(image);
                auto *label = new QLabel;
                label->setFrameShape(QFrame::StyledPanel);
                m_labels.append(label);
                m_thumbs->insertWidget(m_thumbs->count() - 1, label);
            }
            refresh();
        });
    }
}

void MediaStrip::refresh()
{
    for (int i = 0; i < m_labels.size(); ++i)
        m_labels[i]->setPixmap(QPixmap::fromImage(shown(i)));
    QString status = tr("%n image(s)", nullptr, int(m_images.size()));
    if (m_failed > 0)
        status += QStringLiteral(" · ") + tr("%n could not be shown", nullptr, m_failed);
    if (!m_images.isEmpty())
        status += QStringLiteral(" · ") + (isBlurred() || isGreyscale() ? tr("filtered") : tr("unfiltered"));
    m_status->setText(status);
    Q_EMIT imagesChanged();
}

} // namespace Console
