// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// The files plugin's Prometheus series (ADR 0031) read from communityd's /metrics after
// real uploads over HTTP: stored, refused by reason, scanned by verdict with latency
// (the external-command scanner), a variant generated once, storage gauges equal to
// /v1/system/files/stats.

#include "testimages.h"
#include "usershttp.h"

#include <QRegularExpression>

using namespace Users::Test;
using namespace Files::Test;

class TstFilesMetrics : public QObject {
    Q_OBJECT

    UsersHttp m_http;
    Account m_ann;

    /// The value of one series ("name{label=\"v\"}" or "name"); -1 when absent.
    double metric(const QByteArray &series)
    {
        const QByteArray body = m_http.daemon.operatorRequest("GET", QStringLiteral("/metrics")).body;
        for (const QByteArray &line : body.split('\n')) {
            if (line.startsWith(series + ' '))
                return line.mid(series.size() + 1).toDouble();
        }
        return -1;
    }
    HttpResult upload(const QString &query, const QByteArray &body)
    {
        return m_http.call("POST", QStringLiteral("/v1/files?") + query, m_ann.token, body,
                           {{"Content-Type", "application/octet-stream"}});
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_http.extraSets << QStringLiteral("plugins.files.scan.command=") + QStringLiteral(SCAN_COMMAND);
        QString error;
        QVERIFY2(m_http.start(&error), qPrintable(error));
        m_ann = m_http.registerUser(QStringLiteral("ann"));
        QVERIFY(!m_ann.token.isEmpty());
    }

    void cleanupTestCase() { QCOMPARE(m_http.daemon.stop(), 0); }

    void seriesFollowRealUploads()
    {
        QCOMPARE(metric("community_files_uploads_in_flight"), 0.0);
        QCOMPARE(metric("community_files_scans_total{verdict=\"clean\"}"), 0.0);

        QCOMPARE(upload(QStringLiteral("purpose=attachment&name=a.txt"), "some text\n").status, 201);
        auto image = upload(QStringLiteral("purpose=post_image&name=p.png"), png(300, 200));
        QCOMPARE(image.status, 201);
        QCOMPARE(upload(QStringLiteral("purpose=attachment&name=a.txt"), "some text\n").status, 201);   // deduplicated
        QVERIFY(isProblem(upload(QStringLiteral("purpose=attachment&name=e.txt"),
                                 "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"),
                          422, QStringLiteral("file-infected")));
        QVERIFY(isProblem(upload(QStringLiteral("purpose=post_image&name=x.svg"), svg()), 415, QStringLiteral("svg-refused")));
        QVERIFY(isProblem(upload(QStringLiteral("purpose=attachment&name=b.txt"), "SCANNER-BREAK\n"), 503,
                          QStringLiteral("scanner-unavailable")));

        // The svg is refused by sniffing, before the scan: five scans.
        QCOMPARE(metric("community_files_scans_total{verdict=\"clean\"}"), 3.0);
        QCOMPARE(metric("community_files_scans_total{verdict=\"infected\"}"), 1.0);
        QCOMPARE(metric("community_files_scans_total{verdict=\"error\"}"), 1.0);
        QCOMPARE(metric("community_files_scan_duration_seconds_count"), 5.0);
        QVERIFY(metric("community_files_scan_duration_seconds_sum") > 0);
        QCOMPARE(metric("community_files_rejections_total{reason=\"file-infected\"}"), 1.0);
        QCOMPARE(metric("community_files_rejections_total{reason=\"svg-refused\"}"), 1.0);
        QCOMPARE(metric("community_files_rejections_total{reason=\"scanner-unavailable\"}"), 1.0);
        QCOMPARE(metric("community_files_uploads_total{deduplicated=\"false\"}"), 2.0);
        QCOMPARE(metric("community_files_uploads_total{deduplicated=\"true\"}"), 1.0);
        QCOMPARE(metric("community_files_uploads_in_flight"), 0.0);

        // Storage gauges match the operator's stats.
        const QJsonObject stats = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/system/files/stats")).json();
        QCOMPARE(stats.value("blobs").toInteger(), 2);
        QCOMPARE(metric("community_files_blobs"), double(stats.value("blobs").toInteger()));
        QCOMPARE(metric("community_files_stored_bytes"), double(stats.value("bytes").toInteger()));
        QCOMPARE(metric("community_files_files"), 3.0);

        // The operator's view of one user's usage is the user's own.
        QJsonObject ann = m_http.call("GET", QStringLiteral("/v1/users/me"), m_ann.token).json();
        if (ann.contains("user"))
            ann = ann.value("user").toObject();
        const QJsonValue id = ann.value("id");
        const QString annId = id.isString() ? id.toString() : QString::number(id.toInteger());
        const auto quota = m_http.daemon.operatorRequest("GET", QStringLiteral("/v1/system/files/quota?userId=") + annId);
        QCOMPARE(quota.status, 200);
        const QJsonObject own = m_http.call("GET", QStringLiteral("/v1/files/quota"), m_ann.token).json();
        QVERIFY(quota.json().value("usedBytes").toInteger() > 0);
        QCOMPARE(quota.json().value("usedBytes").toInteger(), own.value("usedBytes").toInteger());

        // A variant is counted when generated, not when served from the cache.
        const QString thumb = QStringLiteral("/v1/files/%1/variants/thumb.jpg").arg(image.json().value("id").toString());
        QCOMPARE(m_http.call("GET", thumb).status, 200);
        QCOMPARE(m_http.call("GET", thumb).status, 200);
        QCOMPARE(metric("community_files_variants_generated_total"), 1.0);
    }
};

QTEST_MAIN(TstFilesMetrics)
#include "tst_filesmetrics.moc"
