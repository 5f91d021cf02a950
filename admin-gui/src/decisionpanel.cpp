// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "decisionpanel.h"

#include <QCheckBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Console {

DecisionPanel::DecisionPanel(QWidget *parent)
    : QWidget(parent), m_days(new QSpinBox), m_reason(new QLineEdit), m_decide(new QPushButton(tr("&Decide")))
{
    auto *layout = new QVBoxLayout(this);
    auto *actionsBox = new QGroupBox(tr("Actions"));
    auto *actionsLayout = new QVBoxLayout(actionsBox);
    for (const QString &type : decisionActionTypes()) {
        auto *box = new QCheckBox(actionTitle(type));
        m_boxes.insert(type, box);
        actionsLayout->addWidget(box);
        if (type == QLatin1String("suspend")) {
            m_days->setRange(1, 3650);
            m_days->setValue(1);
            m_days->setSuffix(tr(" d", "days of suspension"));
            actionsLayout->addWidget(m_days);
        }
    }
    layout->addWidget(actionsBox);
    m_reason->setPlaceholderText(tr("Reason (required)"));
    layout->addWidget(new QLabel(tr("Reason")));
    layout->addWidget(m_reason);
    layout->addWidget(m_decide);

    QString presets = QStringLiteral("<b>%1</b><br>").arg(tr("Presets"));
    const QList<DecisionPreset> all = decisionPresets();
    for (int i = 0; i < all.size(); ++i)
        presets += QStringLiteral("<code>%1</code> %2<br>").arg(i + 1).arg(all[i].label.toHtmlEscaped());
    presets += QStringLiteral("<br><code>a</code> %1<br><code>r</code> %2<br><code>i</code> %3<br>"
                              "<code>x</code> / <code>⇧x</code> %4<br><code>b</code> %6<br><code>c</code> %5")
                   .arg(tr("approve the report (hide)"), tr("reject the report (dismiss)"), tr("ignore (next item)"),
                        tr("mark / mark range"), tr("claim or release"), tr("bulk: preview the marked items, then apply"));
    auto *help = new QLabel(presets);
    help->setWordWrap(true);
    layout->addWidget(help);
    layout->addStretch();
    connect(m_decide, &QPushButton::clicked, this, &DecisionPanel::decideRequested);
    connect(m_reason, &QLineEdit::returnPressed, this, &DecisionPanel::decideRequested);
}

QList<DecisionAction> DecisionPanel::actions() const
{
    QList<DecisionAction> out;
    for (const QString &type : decisionActionTypes()) {
        if (m_boxes.value(type)->isChecked())
            out.append({type, type == QLatin1String("suspend") ? m_days->value() : 0});
    }
    return out;
}

QString DecisionPanel::reason() const
{
    return m_reason->text().trimmed();
}

void DecisionPanel::applyPreset(const DecisionPreset &preset)
{
    clear();
    for (const DecisionAction &a : preset.actions) {
        if (QCheckBox *box = m_boxes.value(a.type))
            box->setChecked(true);
        if (a.type == QLatin1String("suspend"))
            m_days->setValue(a.days);
    }
    m_reason->setText(preset.reason);
}

void DecisionPanel::clear()
{
    for (QCheckBox *box : std::as_const(m_boxes))
        box->setChecked(false);
    m_days->setValue(1);
    m_reason->clear();
}

void DecisionPanel::setBusy(bool busy)
{
    m_decide->setEnabled(!busy);
}

} // namespace Console
