// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "settingsscreen.h"

#include "jsontablemodel.h"
#include "requestprogress.h"
#include "screenparts.h"
#include "session.h"
#include "triagekeys.h"

#include "community/client/endpoints.h"

#include <QCheckBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Community::Client;

namespace Console {

namespace {

constexpr qint64 kMaxImportFile = 256 * 1024;   // the server's body limit for /import
constexpr int kMaxKeyWidth = 320, kMaxColumnWidth = 130;

QString str(const QJsonObject &o, const char *member)
{
    return o.value(QLatin1String(member)).toString();
}

QString sourceText(const QJsonObject &s)
{
    const QString source = str(s, "source");
    if (source == QLatin1String("default"))
        return SettingsScreen::tr("default");
    if (source == QLatin1String("file"))
        return SettingsScreen::tr("file");
    if (source == QLatin1String("runtime"))
        return SettingsScreen::tr("runtime");
    if (source == QLatin1String("environment"))
        return SettingsScreen::tr("environment");
    if (source == QLatin1String("flag"))
        return SettingsScreen::tr("--set flag");
    return source;
}

QString stateText(const QJsonObject &s)
{
    if (s.value(QStringLiteral("pending")).toBool())
        return SettingsScreen::tr("pending: restart required");
    return s.value(QStringLiteral("restartRequired")).toBool() ? SettingsScreen::tr("restart required") : SettingsScreen::tr("live");
}

/// The field errors of a refusal, "key: message" each (the detail when there are none).
QStringList refusalLines(const ApiReply &reply)
{
    QStringList lines;
    if (const auto problem = reply.problem()) {
        for (const Community::FieldError &f : problem->errors)
            lines << QStringLiteral("%1: %2").arg(f.field, f.message);
    }
    if (lines.isEmpty())
        lines << replyMessage(reply);
    return lines;
}

} // namespace

SettingsScreen::SettingsScreen(Session *session, QWidget *parent)
    : QWidget(parent),
      m_session(session),
      m_progress(new RequestProgress(session, this)),
      m_model(new JsonTableModel({{tr("Key"), QStringLiteral("key")},
                                  {tr("Type"), QStringLiteral("type")},
                                  {tr("Value"), {}, [](const QJsonObject &s) { return valueText(s); }},
                                  {tr("Default"), {}, [](const QJsonObject &s) { return valueText(s, QStringLiteral("default")); }},
                                  {tr("Source"), {}, sourceText},
                                  {tr("State"), {}, stateText},
                                  {tr("Read-only because"), QStringLiteral("readOnlyReason")}},
                                 this)),
      m_list(new QTableView),
      m_search(new QLineEdit),
      m_diffOnly(new QCheckBox(tr("Only keys that differ from their &default (d)"))),
      m_key(new QLabel),
      m_about(new QLabel),
      m_value(new QLineEdit),
      m_fieldError(new QLabel),
      m_reason(new QLineEdit),
      m_diff(new QLabel),
      m_save(new QPushButton(tr("&Check and save…"))),
      m_reset(new QPushButton(tr("&Reset to file/default…"))),
      m_importResult(new QListWidget),
      m_feedback(new QLabel)
{
    m_model->setListMember(QStringLiteral("settings"));
    setUpRowList(m_list, m_model);
    m_search->setPlaceholderText(tr("Search keys and descriptions (/)"));
    m_search->setClearButtonEnabled(true);
    m_key->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_key->setStyleSheet(QStringLiteral("font-weight: bold;"));
    for (QLabel *label : {m_key, m_about, m_diff, m_fieldError})
        label->setWordWrap(true);
    m_fieldError->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_reason->setPlaceholderText(tr("Why (required; kept in the audit log)"));
    m_value->setPlaceholderText(tr("New value"));

    auto *edit = new QGroupBox(tr("Selected key"));
    auto *editLayout = new QVBoxLayout(edit);
    editLayout->addWidget(m_key);
    editLayout->addWidget(m_about);
    auto *form = new QFormLayout;
    auto *valueRow = new QHBoxLayout;
    valueRow->addWidget(m_value, 1);
    valueRow->addWidget(m_fieldError, 1);   // the server's field error, beside the field
    auto *valueLabel = new QLabel(tr("&Value"));   // the field sits in a row with its error: no automatic buddy
    valueLabel->setBuddy(m_value);
    form->addRow(valueLabel, valueRow);
    form->addRow(tr("Rea&son"), m_reason);
    editLayout->addLayout(form);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addWidget(m_reset);
    editLayout->addLayout(buttons);
    editLayout->addWidget(m_diff);
    auto *transfer = new QHBoxLayout;
    auto *exportButton = new QPushButton(tr("&Export…"));
    auto *importButton = new QPushButton(tr("&Import…"));
    transfer->addWidget(exportButton);
    transfer->addWidget(importButton);
    editLayout->addLayout(transfer);
    editLayout->addWidget(new QLabel(tr("Last import:")));
    editLayout->addWidget(m_importResult, 1);
    edit->setMaximumWidth(480);
    edit->setMinimumWidth(360);

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_diffOnly);
    auto *columns = new QHBoxLayout;
    columns->addWidget(m_list, 1);
    columns->addWidget(edit);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(columns, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_feedback);
    m_progress->watch(m_model);
    setFocusProxy(m_list);
    setTabOrder(m_search, m_diffOnly);
    setTabOrder(m_diffOnly, m_list);
    setTabOrder(m_list, m_value);
    setTabOrder(m_value, m_reason);
    setTabOrder(m_reason, m_save);
    setTabOrder(m_save, m_reset);
    setTabOrder(m_reset, exportButton);
    setTabOrder(exportButton, importButton);

    m_confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Settings"), question, QMessageBox::Yes | QMessageBox::No, QMessageBox::No)
            == QMessageBox::Yes;
    };
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &SettingsScreen::showSelected);
    connect(m_model, &JsonTableModel::failed, this, [this](const QString &m) {
        setFeedback(tr("Settings not loaded: %1 (this screen needs an administrator)").arg(m), true);
    });
    connect(m_model, &JsonTableModel::loaded, this, [this] {
        applyFilter();
        m_list->resizeColumnsToContents();
        for (int c = 0; c < m_model->columnCount(); ++c)   // a long list value must not push the rest out of view
            m_list->setColumnWidth(c, std::min(m_list->columnWidth(c), c == 0 ? kMaxKeyWidth : kMaxColumnWidth));
        if (!m_keepKey.isEmpty() && select(m_keepKey))
            return;
        if (m_model->rowCount() > 0 && !m_list->currentIndex().isValid())
            m_list->setCurrentIndex(m_model->index(0, 0));
        setFeedback(tr("%n key(s)", nullptr, m_model->rowCount()));
    });
    connect(m_search, &QLineEdit::textChanged, this, &SettingsScreen::applyFilter);
    connect(m_diffOnly, &QCheckBox::toggled, this, &SettingsScreen::setDiffOnly);
    connect(m_save, &QPushButton::clicked, this, &SettingsScreen::save);
    connect(m_value, &QLineEdit::returnPressed, this, &SettingsScreen::save);
    connect(m_reset, &QPushButton::clicked, this, &SettingsScreen::reset);
    connect(exportButton, &QPushButton::clicked, this, &SettingsScreen::chooseExport);
    connect(importButton, &QPushButton::clicked, this, &SettingsScreen::chooseImport);
    connect(m_progress, &RequestProgress::cancelled, this, [this] { setFeedback(tr("Cancelled: the server was not waited for."), true); });

    auto *keys = new TriageKeys(this);
    keys->bind(Qt::Key_J, [this] {
        int row = m_list->currentIndex().row();
        while (++row < m_model->rowCount() && m_list->isRowHidden(row)) {}
        if (row < m_model->rowCount())
            m_list->setCurrentIndex(m_model->index(row, 0));
    });
    keys->bind(Qt::Key_K, [this] {
        int row = m_list->currentIndex().row();
        while (--row >= 0 && m_list->isRowHidden(row)) {}
        if (row >= 0)
            m_list->setCurrentIndex(m_model->index(row, 0));
    });
    keys->bind(Qt::Key_E, [this] { m_value->setFocus(); m_value->selectAll(); });
    keys->bind(Qt::Key_Return, [this] { m_value->setFocus(); m_value->selectAll(); });
    keys->bind(Qt::Key_D, [this] { m_diffOnly->toggle(); });
    keys->bind(Qt::Key_Slash, [this] { m_search->setFocus(); m_search->selectAll(); });
    keys->bind(Qt::Key_F5, [this] { reload(); });
    keys->attach(m_list);
    auto *fieldKeys = new TriageKeys(this);   // Esc leaves a field for the list
    fieldKeys->bind(Qt::Key_Escape, [this] { m_list->setFocus(); });
    fieldKeys->attach(m_value);
    fieldKeys->attach(m_reason);
    auto *searchKeys = new TriageKeys(this);  // Enter goes to the list, Esc clears the search
    searchKeys->bind(Qt::Key_Return, [this] { m_list->setFocus(); });
    searchKeys->bind(Qt::Key_Escape, [this] { m_search->clear(); m_list->setFocus(); });
    searchKeys->attach(m_search);
    showSelected();
}

QJsonValue SettingsScreen::parseValue(const QString &type, const QString &text)
{
    const QString t = text.trimmed();
    if (type == QLatin1String("integer")) {
        bool ok = false;
        const qlonglong n = t.toLongLong(&ok);
        return ok ? QJsonValue(n) : QJsonValue(text);
    }
    if (type == QLatin1String("boolean")) {
        if (t.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0)
            return true;
        if (t.compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
            return false;
        return text;
    }
    if (type == QLatin1String("stringList")) {
        if (t.startsWith(QLatin1Char('['))) {
            const QJsonDocument doc = QJsonDocument::fromJson(t.toUtf8());
            return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(text);
        }
        QJsonArray list;
        for (const QString &part : t.split(QLatin1Char(','), Qt::SkipEmptyParts))
            list.append(part.trimmed());
        return list;
    }
    return text;
}

QString SettingsScreen::valueText(const QJsonObject &setting, const QString &member)
{
    if (setting.value(QStringLiteral("secret")).toBool())
        return member == QLatin1String("value") ? (setting.value(member).toBool() ? tr("set") : tr("unset")) : QString();
    const QJsonValue v = setting.value(member);
    switch (v.type()) {
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: return QString::number(v.toDouble(), 'g', 15);
    case QJsonValue::String: return v.toString();
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue &e : v.toArray())
            parts << e.toString();
        return parts.join(QStringLiteral(", "));
    }
    default: return {};
    }
}

void SettingsScreen::reload()
{
    m_keepKey = currentKey();
    m_model->load(m_session->api(), Endpoints::settings());
    if (m_diffOnly->isChecked())
        setDiffOnly(true);
}

void SettingsScreen::setDiffOnly(bool on)
{
    if (m_diffOnly->isChecked() != on)
        return m_diffOnly->setChecked(on);   // comes back here through toggled
    if (!on) {
        m_changedKeys.clear();
        return applyFilter();
    }
    m_progress->send(Endpoints::settingsDiff(), [this](const ApiReply &reply) {
        if (!reply.ok())
            return setFeedback(tr("No diff: %1").arg(replyMessage(reply)), true);
        m_changedKeys.clear();
        for (const QJsonValue &c : reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("changes")).toArray())
            m_changedKeys.insert(c.toObject().value(QStringLiteral("key")).toString());
        applyFilter();
        setFeedback(tr("%n key(s) differ from their default", nullptr, int(m_changedKeys.size())));
    });
}

void SettingsScreen::applyFilter()
{
    const QStringList words = m_search->text().toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const bool diffOnly = m_diffOnly->isChecked();
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QJsonObject s = m_model->item(r);
        const QString haystack = (str(s, "key") + QLatin1Char(' ') + str(s, "description")).toLower();
        const bool match = std::all_of(words.begin(), words.end(), [&haystack](const QString &w) { return haystack.contains(w); });
        m_list->setRowHidden(r, !match || (diffOnly && !m_changedKeys.contains(str(s, "key"))));
    }
}

QStringList SettingsScreen::visibleKeys() const
{
    QStringList keys;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (!m_list->isRowHidden(r))
            keys << str(m_model->item(r), "key");
    }
    return keys;
}

bool SettingsScreen::select(const QString &key)
{
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (str(m_model->item(r), "key") == key) {
            m_list->setCurrentIndex(m_model->index(r, 0));
            showSelected();
            return true;
        }
    }
    return false;
}

QString SettingsScreen::currentKey() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? str(m_model->item(current.row()), "key") : QString();
}

bool SettingsScreen::isEditable() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() && !m_model->item(current.row()).value(QStringLiteral("readOnly")).toBool();
}

void SettingsScreen::showSelected()
{
    setFieldError({});
    m_diff->clear();
    const QModelIndex current = m_list->currentIndex();
    if (!current.isValid()) {
        m_key->setText(tr("No key selected."));
        m_about->clear();
        m_value->clear();
        for (QWidget *w : std::initializer_list<QWidget *>{m_value, m_reason, m_save, m_reset})
            w->setEnabled(false);
        return;
    }
    const QJsonObject s = m_model->item(current.row());
    m_key->setText(str(s, "key"));
    QStringList about;
    if (!str(s, "description").isEmpty())
        about << str(s, "description").toHtmlEscaped();
    QString type = str(s, "type");
    if (s.contains(QStringLiteral("min")))
        type += QStringLiteral(" (%1 … %2)").arg(valueText(s, QStringLiteral("min")), valueText(s, QStringLiteral("max")));
    about << tr("Type: %1").arg(type.toHtmlEscaped());
    if (!s.value(QStringLiteral("secret")).toBool())
        about << tr("Default: %1").arg(valueText(s, QStringLiteral("default")).toHtmlEscaped());
    about << tr("Source: %1").arg(sourceText(s));
    if (s.value(QStringLiteral("pending")).toBool())
        about << tr("<b>Pending</b>: in force until the next start is %1").arg(valueText(s, QStringLiteral("effective")).toHtmlEscaped());
    if (s.value(QStringLiteral("restartRequired")).toBool())
        about << QStringLiteral("<span style=\"background:#fff3cd;\">&nbsp;%1&nbsp;</span>").arg(tr("restart required"));
    if (s.value(QStringLiteral("secret")).toBool())
        about << tr("A secret: only whether it is set is shown; set or unset it in the configuration file or the environment.");
    if (s.value(QStringLiteral("readOnly")).toBool())
        about << tr("<b>Read-only</b>: %1").arg(str(s, "readOnlyReason").toHtmlEscaped());
    m_about->setText(about.join(QStringLiteral("<br>")));
    const bool editable = !s.value(QStringLiteral("readOnly")).toBool();
    m_value->setText(valueText(s));
    for (QWidget *w : std::initializer_list<QWidget *>{m_value, m_reason, m_save})
        w->setEnabled(editable);
    m_reset->setEnabled(editable && str(s, "source") == QLatin1String("runtime"));
}

QString SettingsScreen::requireReason()
{
    const QString reason = m_reason->text().trimmed();
    if (reason.isEmpty()) {
        setFeedback(tr("Give a reason first: it goes into the audit log."), true);
        m_reason->setFocus();
    }
    return reason;
}

void SettingsScreen::save()
{
    if (!isEditable())
        return setFeedback(tr("This key cannot be changed here."), true);
    const QString reason = requireReason();
    if (reason.isEmpty())
        return;
    const QJsonObject current = m_model->item(m_list->currentIndex().row());
    const QString key = str(current, "key");
    const QJsonValue value = parseValue(str(current, "type"), m_value->text());
    setFieldError({});
    setFeedback(tr("%1: asking the server to check the value…").arg(key));
    // First the server's check (dry run): its answer is the diff the user confirms.
    m_progress->send(Endpoints::setSetting(key, value, reason, true), [this, current, key, value, reason](const ApiReply &reply) {
        if (!reply.ok())
            return refuseChange(key, reply);
        const QJsonObject would = reply.jsonObject().value_or(QJsonObject());
        if (would.value(QStringLiteral("value")) == current.value(QStringLiteral("value"))
            && str(current, "source") == QLatin1String("runtime"))
            return setFeedback(tr("%1 already has this value.").arg(key));
        const QString diff = tr("%1: %2 → %3 (default %4; now from %5). %6")
                                 .arg(key, valueText(current), valueText(would), valueText(current, QStringLiteral("default")),
                                      sourceText(current),
                                      would.value(QStringLiteral("pending")).toBool() ? tr("Takes effect after a restart.")
                                                                                      : tr("Takes effect at once."));
        m_diff->setText(diff);
        if (!m_confirm(tr("Save this change?\n\n%1").arg(diff)))
            return setFeedback(tr("Not saved."));
        store(key, value, reason);
    });
}

void SettingsScreen::refuseChange(const QString &key, const ApiReply &reply)
{
    const QStringList lines = refusalLines(reply);
    setFieldError(lines.join(QLatin1Char('\n')));
    setFeedback(tr("%1 not changed: %2").arg(key, lines.join(QStringLiteral("; "))), true);
    Q_EMIT failed(lines.join(QStringLiteral("; ")));
}

void SettingsScreen::store(const QString &key, const QJsonValue &value, const QString &reason)
{
    setFeedback(tr("%1: saving…").arg(key));
    m_progress->send(Endpoints::setSetting(key, value, reason, false), [this, key](const ApiReply &reply) {
        if (!reply.ok())
            return refuseChange(key, reply);
        const QJsonObject now = reply.jsonObject().value_or(QJsonObject());
        for (int r = 0; r < m_model->rowCount(); ++r) {
            if (str(m_model->item(r), "key") == key)
                m_model->setItem(r, now);
        }
        const QString diff = m_diff->text();   // what was saved stays on screen
        showSelected();
        m_diff->setText(diff);
        m_reason->clear();
        setFeedback(now.value(QStringLiteral("pending")).toBool() ? tr("%1 saved; it takes effect after a restart.").arg(key)
                                                                 : tr("%1 saved and in force.").arg(key));
        Q_EMIT saved(key);
    });
}

void SettingsScreen::reset()
{
    if (!isEditable())
        return setFeedback(tr("This key cannot be changed here."), true);
    const QJsonObject current = m_model->item(m_list->currentIndex().row());
    const QString key = str(current, "key");
    if (str(current, "source") != QLatin1String("runtime"))
        return setFeedback(tr("%1 has no runtime value to remove.").arg(key), true);
    if (requireReason().isEmpty())
        return;
    if (!m_confirm(tr("Remove the runtime value of %1 (%2)? The file's value or the default (%3) applies again.")
                       .arg(key, valueText(current), valueText(current, QStringLiteral("default")))))
        return setFeedback(tr("Not reset."));
    m_progress->send(Endpoints::resetSetting(key), [this, key](const ApiReply &reply) {
        if (!reply.ok()) {
            setFeedback(tr("%1 not reset: %2").arg(key, replyMessage(reply)), true);
            return Q_EMIT failed(replyMessage(reply));
        }
        m_reason->clear();
        setFeedback(tr("%1 reset.").arg(key));
        Q_EMIT resetDone(key);
        reload();
    });
}

void SettingsScreen::chooseExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the runtime settings"), QStringLiteral("settings.json"),
                                                      tr("JSON (*.json)"));
    if (!path.isEmpty())
        exportTo(path);
}

void SettingsScreen::chooseImport()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import settings"), {}, tr("JSON (*.json)"));
    if (!path.isEmpty())
        importFrom(path);
}

void SettingsScreen::exportTo(const QString &path)
{
    m_progress->send(Endpoints::exportSettings(), [this, path](const ApiReply &reply) {
        if (!reply.ok()) {
            setFeedback(tr("Not exported: %1").arg(replyMessage(reply)), true);
            return Q_EMIT failed(replyMessage(reply));
        }
        const QJsonObject layer = reply.jsonObject().value_or(QJsonObject());
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(layer).toJson()) < 0 || !file.commit()) {
            setFeedback(tr("Not exported: %1").arg(file.errorString()), true);
            return Q_EMIT failed(file.errorString());
        }
        const int count = int(layer.value(QStringLiteral("settings")).toObject().size());
        setFeedback(tr("%n runtime value(s) exported to %1", nullptr, count).arg(path));
        Q_EMIT exported(path, count);
    });
}

void SettingsScreen::importFrom(const QString &path)
{
    m_importResult->clear();
    auto refuse = [this](const QString &message) {
        m_importResult->addItem(message);
        setFeedback(message, true);
        Q_EMIT failed(message);
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(tr("Cannot read %1: %2").arg(path, file.errorString()));
    if (file.size() > kMaxImportFile)
        return refuse(tr("%1 is larger than the server takes (256 KiB).").arg(path));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    const QJsonObject settings = doc.object().value(QStringLiteral("settings")).toObject();
    if (error.error != QJsonParseError::NoError || !doc.object().value(QStringLiteral("settings")).isObject())
        return refuse(tr("%1 is not a settings export ({\"settings\": {…}}).").arg(path));
    const QString reason = requireReason();
    if (reason.isEmpty())
        return;
    if (!m_confirm(tr("Import %n key(s) from %1? All are checked first: one refused key and nothing is written.", nullptr,
                      int(settings.size())).arg(path)))
        return setFeedback(tr("Not imported."));
    setFeedback(tr("Importing %n key(s)…", nullptr, int(settings.size())));
    m_progress->send(Endpoints::importSettings(settings, reason, false), [this](const ApiReply &reply) {
        if (!reply.ok()) {
            const QStringList lines = refusalLines(reply);
            m_importResult->addItem(tr("Nothing was written: the server refused %n key(s).", nullptr, int(lines.size())));
            m_importResult->addItems(lines);
            setFeedback(tr("Import refused; nothing was written."), true);
            return Q_EMIT failed(lines.join(QStringLiteral("; ")));
        }
        QStringList changed;
        for (const QJsonValue &k : reply.jsonObject().value_or(QJsonObject()).value(QStringLiteral("changed")).toArray())
            changed << k.toString();
        m_importResult->addItem(changed.isEmpty() ? tr("Imported: every value was already in force; nothing changed.")
                                                  : tr("Imported: %n key(s) changed.", nullptr, int(changed.size())));
        m_importResult->addItems(changed);
        m_reason->clear();
        setFeedback(tr("Import done: %n key(s) changed.", nullptr, int(changed.size())));
        Q_EMIT imported(changed);
        reload();
    });
}

QString SettingsScreen::fieldError() const
{
    return m_fieldError->text();
}

QString SettingsScreen::diffText() const
{
    return m_diff->text();
}

QStringList SettingsScreen::importResult() const
{
    QStringList lines;
    for (int i = 0; i < m_importResult->count(); ++i)
        lines << m_importResult->item(i)->text();
    return lines;
}

QString SettingsScreen::feedback() const
{
    return m_feedback->text();
}

void SettingsScreen::setFieldError(const QString &text)
{
    m_fieldError->setText(text);
}

void SettingsScreen::setFeedback(const QString &text, bool error)
{
    showFeedback(m_feedback, text, error);
}

} // namespace Console
