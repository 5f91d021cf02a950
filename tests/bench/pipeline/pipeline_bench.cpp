// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// In-process cost of the gateway pipeline per request (no sockets): request id, trace
// context, routing, access log formatting, metrics. Prints ns/request. Run by hand:
//   build/bin/pipeline_bench [iterations]

#include "community/http.h"
#include "community/host/pipeline.h"
#include "community/router.h"

#include <prometheus/registry.h>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

using namespace Community::Http;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? atoi(argv[1]) : 300'000;
    Router router;
    RouteOptions o;
    o.rateClass = QStringLiteral("system");
    (void)router.add("GET", QStringLiteral("/healthz"), [](HttpRequest &, const Responder &res) {
        static const QByteArray body = R"({"status":"ok"})";
        res.send(HttpResponse::text(200, body, "application/json"));
    }, o);
    for (const char *log : {"off", "/dev/null"}) {
        prometheus::Registry registry;
        PipelineConfig cfg;
        cfg.accessLog = QString::fromLatin1(log);
        cfg.rateLimits = defaultRateLimits();
        Pipeline pipeline(router, cfg, &registry);
        HttpRequest base;
        base.method = "GET";
        base.target = "/healthz";
        base.path = QStringLiteral("/healthz");
        base.headers = {{"host", "127.0.0.1:8080"}, {"user-agent", "wrk"}, {"accept", "*/*"}};
        base.peerAddress = QHostAddress::LocalHost;
        qint64 bytes = 0;
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < n; ++i) {
            HttpRequest req = base;
            req.timer.start();
            Responder responder([&bytes](HttpResponse &&r) { bytes += r.body.size(); });
            pipeline.handle(req, responder);
        }
        const double ns = double(t.nsecsElapsed()) / n;
        std::printf("pipeline, access log %-9s: %8.0f ns/request (%d requests, %lld body bytes)\n", log, ns, n,
                    static_cast<long long>(bytes));
    }
    return 0;
}
