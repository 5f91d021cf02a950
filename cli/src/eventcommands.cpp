// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "eventcommands.h"

#include "eventviews.h"
#include "format.h"
#include "interrupt.h"

#include "community/client/endpoints.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>

#include <algorithm>

namespace Community::Ctl {

namespace Endpoints = Client::Endpoints;

namespace {

constexpr int kFollowPage = 1000; // the server's maximum page
constexpr int kDefaultPage = 50;

qint64 idOf(const QJsonValue &event)
{
    return qint64(event.toObject().value(QLatin1String("id")).toDouble());
}

} // namespace

void EventCommands::addTo(CLI::App &app, Action &action)
{
    Options &o = m_options;
    auto *events = app.add_subcommand("events", "Event bus: outbox and consumers");
    events->require_subcommand(1);
    auto *tail = events->add_subcommand("tail", "Show the newest outbox events (or those after an id)");
    tail->add_option("--after", o.after, "Only events with a larger id")->check(CLI::NonNegativeNumber);
    tail->add_option("--limit", o.limit, "Events per request (1-1000, default 50)")->check(CLI::Range(1, 1000));
    tail->add_flag("-f,--follow", o.follow,
                   "Keep polling every second and print new events until Ctrl-C (-o json: one object per line)");
    tail->callback([this, &action] {
        action = [this] { return this->tail(EventTailOptions{m_options.after, m_options.limit, m_options.follow}); };
    });
    events->add_subcommand("consumers", "Consumers with offset, lag, dead letters and retries")
        ->callback([this, &action] { action = [this] { return consumers(); }; });
    auto *replay = events->add_subcommand("replay", "Move a consumer's offset so that delivery resumes at an event");
    replay->add_option("--consumer", o.consumer, "Consumer name (see events consumers)")->required();
    replay->add_option("--from", o.fromId, "First event id to deliver again")->required()->check(CLI::PositiveNumber);
    replay->add_flag("--dry-run", o.safety.dryRun, "Only show what would change (fetches the current state)");
    replay->add_flag("-y,--yes", o.safety.yes, "Do not ask for confirmation");
    replay->callback([this, &action] {
        action = [this] { return this->replay(QString::fromStdString(m_options.consumer), m_options.fromId, m_options.safety); };
    });
    auto *retryDead = events->add_subcommand("retry-dead", "Make dead letters due again");
    retryDead->add_option("--consumer", o.consumer, "Only this consumer (default: every consumer)");
    retryDead->callback([this, &action] {
        action = [this] { return this->retryDead(QString::fromStdString(m_options.consumer)); };
    });
}

void EventCommands::printStream(const QJsonArray &events, bool header)
{
    if (jsonOutput()) {
        for (const QJsonValue &e : events)
            print(QString::fromUtf8(eventJsonLine(e.toObject())));
    } else if (!events.isEmpty()) {
        print(renderEvents(events, header));
    }
}

int EventCommands::tail(const EventTailOptions &options)
{
    const auto [json, code] = fetchObject(Endpoints::events(options.after, options.limit));
    if (!json)
        return code;
    const QJsonArray events = json->value(QLatin1String("events")).toArray();

    if (!options.follow) {
        printResult(*json, renderEvents(events));
        // A full page after an id: there may be more (the newest page has nothing after it).
        if (!jsonOutput() && options.after >= 0 && !events.isEmpty()
            && events.size() == (options.limit > 0 ? options.limit : kDefaultPage))
            note(QStringLiteral("more events may follow: --after %1").arg(idOf(events.last())));
        return ExitOk;
    }

    // An empty outbox: every later event has a larger id than anything before it.
    const qint64 after = events.isEmpty() ? std::max<qint64>(options.after, 0) : idOf(events.last());
    printStream(events, true);
    return follow(after, !events.isEmpty(), options.pollInterval);
}

int EventCommands::follow(qint64 after, bool headerPrinted, std::chrono::milliseconds interval)
{
    const InterruptGuard guard;
    bool fullPage = false;
    while (fullPage || guard.pause(interval)) {
        if (guard.interrupted())
            break;
        const auto [json, code] = fetchObject(Endpoints::events(after, kFollowPage));
        if (!json)
            return code;
        const QJsonArray events = json->value(QLatin1String("events")).toArray();
        fullPage = events.size() == kFollowPage;
        if (events.isEmpty())
            continue;
        after = idOf(events.last());
        printStream(events, !headerPrinted);
        headerPrinted = true;
    }
    return ExitOk;
}

int EventCommands::consumers()
{
    return printReply(client().send(Endpoints::eventConsumers()), [](const QJsonObject &json) {
        return renderConsumers(json.value(QLatin1String("consumers")).toArray());
    });
}

int EventCommands::replay(const QString &consumer, qint64 fromId, Safety safety)
{
    return destructive(
        safety,
        [&]() -> Planned {
            const auto [json, code] = fetchObject(Endpoints::eventConsumers());
            if (!json)
                return {std::nullopt, code};
            for (const QJsonValue &v : json->value(QLatin1String("consumers")).toArray()) {
                if (v.toObject().value(QLatin1String("consumer")).toString() == consumer)
                    return {planReplay(v.toObject(), fromId), ExitOk};
            }
            return {std::nullopt, failWith(QStringLiteral("404 Not Found: no consumer %1").arg(oneLine(consumer)))};
        },
        [&] {
            return printReply(client().send(Endpoints::replayConsumer(consumer, fromId)), [&](const QJsonObject &) {
                return QStringLiteral("%1: delivery resumes at event %2\n").arg(oneLine(consumer)).arg(fromId);
            });
        });
}

std::pair<std::optional<QStringList>, int> EventCommands::consumerNames()
{
    const auto [json, code] = fetchObject(Endpoints::eventConsumers());
    if (!json)
        return {std::nullopt, code};
    QStringList names;
    for (const QJsonValue &v : json->value(QLatin1String("consumers")).toArray())
        names << v.toObject().value(QLatin1String("consumer")).toString();
    return {names, ExitOk};
}

int EventCommands::retryDead(const QString &consumer)
{
    QStringList targets{consumer};
    if (consumer.isEmpty()) {
        const auto [names, code] = consumerNames();
        if (!names)
            return code;
        targets = *names;
    }

    QJsonArray results;
    qint64 total = 0;
    for (const QString &name : std::as_const(targets)) {
        const auto [json, code] = fetchObject(Endpoints::retryDeadLetters(name));
        if (!json)
            return code;
        total += qint64(json->value(QLatin1String("retried")).toDouble());
        results.append(*json);
    }
    printResult(QJsonObject{{QStringLiteral("consumers"), results}, {QStringLiteral("retried"), double(total)}},
         renderRetried(results));
    return ExitOk;
}

} // namespace Community::Ctl
