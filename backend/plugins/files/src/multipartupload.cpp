// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "multipartupload.h"

#include "multipart.h"

#include "community/http.h"
#include "community/request.h"

#include <QFile>
#include <QStringDecoder>

using namespace Community;

namespace Files {

Result<void> readMultipartUpload(UploadInput &input, const QByteArray &boundary, bool purposeGiven, bool nameGiven)
{
    struct Form {
        std::shared_ptr<Http::SpooledBody> file;
        QFile out;
        qint64 size = 0;
        QByteArray contentType;
        QString filename;
        QHash<QString, QByteArray> fields;
        QString current;   ///< the text field being read; empty while in the file part
    } form;
    const QString target = input.body->path() + QStringLiteral(".form");
    auto refuse = [](const QString &field, const QString &code, const QString &message) -> Result<void> {
        return tl::unexpected(invalidField(field, message, code));
    };
    MultipartParser::Handlers h;
    h.begin = [&](const MultipartPart &part) -> Result<void> {
        if (part.filename) {
            if (part.name != QLatin1String("file"))
                return refuse(part.name.left(64), QStringLiteral("unknown_part"),
                              QStringLiteral("Send the file as the part named \"file\"."));
            if (form.file)
                return refuse(QStringLiteral("file"), QStringLiteral("too_many_files"), QStringLiteral("Send one file per upload."));
            form.file = std::make_shared<Http::SpooledBody>(target, 0);   // removed unless stored
            form.out.setFileName(target);
            if (!form.out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
                return fail(ErrorCode::Internal, QStringLiteral("The upload could not be stored."), QStringLiteral("create %1").arg(target));
            form.out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            form.filename = baseFileName(*part.filename);
            form.contentType = part.contentType;
            form.current.clear();
            return {};
        }
        if (part.name != QLatin1String("purpose") && part.name != QLatin1String("name"))
            return refuse(part.name.left(64), QStringLiteral("unknown_part"),
                          QStringLiteral("Only the parts file, purpose and name are accepted."));
        if (form.fields.contains(part.name))
            return refuse(part.name, QStringLiteral("duplicate"), QStringLiteral("This field is sent twice."));
        form.current = part.name;
        form.fields.insert(part.name, {});
        return {};
    };
    h.data = [&](const char *data, qsizetype size) -> Result<void> {
        if (form.current.isEmpty()) {
            if (form.out.write(data, size) != size)
                return fail(ErrorCode::Internal, QStringLiteral("The upload could not be stored."), QStringLiteral("write %1").arg(target));
            form.size += size;
            return {};
        }
        QByteArray &value = form.fields[form.current];
        if (value.size() + size > 255)
            return refuse(form.current, QStringLiteral("too_long"), QStringLiteral("At most 255 bytes."));
        value.append(data, size);
        return {};
    };
    h.end = [&]() -> Result<void> {
        if (form.current.isEmpty() && form.out.isOpen())
            form.out.close();
        form.current = QStringLiteral("-");   // between parts: no data expected
        return {};
    };
    MultipartParser parser(boundary, h);
    QFile in(input.body->path());
    if (!in.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Internal, QStringLiteral("The upload could not be read."), QStringLiteral("open %1").arg(in.fileName()));
    QByteArray buf(64 * 1024, Qt::Uninitialized);
    for (;;) {
        const qint64 n = in.read(buf.data(), buf.size());
        if (n < 0)
            return fail(ErrorCode::Internal, QStringLiteral("The upload could not be read."), QStringLiteral("read %1").arg(in.fileName()));
        if (n == 0)
            break;
        if (!parser.feed(buf.constData(), n))
            return tl::unexpected(parser.error());
    }
    if (!parser.finish())
        return tl::unexpected(parser.error());
    if (!form.file)
        return refuse(QStringLiteral("file"), QStringLiteral("required"), QStringLiteral("Send the file as the part named \"file\"."));
    form.file->setSize(form.size);

    QList<FieldError> errors;
    QHash<QString, QString> text;
    for (auto it = form.fields.cbegin(); it != form.fields.cend(); ++it) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString value = utf8.decode(it.value());
        if (utf8.hasError() || Http::hasInvalidCharacters(value, false))
            errors.append({it.key(), QStringLiteral("Not valid text."), QStringLiteral("invalid_characters")});
        text.insert(it.key(), value);
    }
    if (purposeGiven && text.contains(QStringLiteral("purpose")))
        errors.append({QStringLiteral("purpose"), QStringLiteral("Give the purpose in the query or the form, not both."),
                       QStringLiteral("duplicate")});
    if (nameGiven && text.contains(QStringLiteral("name")))
        errors.append({QStringLiteral("name"), QStringLiteral("Give the name in the query or the form, not both."),
                       QStringLiteral("duplicate")});
    if (!errors.isEmpty())
        return tl::unexpected(invalidFields(errors));
    if (text.contains(QStringLiteral("purpose")))
        input.purpose = text.value(QStringLiteral("purpose"));
    if (text.contains(QStringLiteral("name")))
        input.name = text.value(QStringLiteral("name"));
    else if (!nameGiven)
        input.name = form.filename;
    input.declaredType = QString::fromLatin1(form.contentType);
    input.body = form.file;
    return {};
}

} // namespace Files
