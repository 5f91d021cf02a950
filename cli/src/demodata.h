// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The demo platform `communityctl demo seed` creates: Korean and English communities,
/// their members, posts with comments and votes, and a few open reports. Plain data.

#include <QList>
#include <QString>
#include <QStringList>

namespace Community::Ctl::Demo {

struct DemoUser {
    QString username;
};

struct DemoComment {
    QString author;
    QString body;
};

struct DemoPost {
    QString author;
    QString title;
    QString body;
    QStringList tags;
    QList<DemoComment> comments;
    QStringList upvoters;
    QStringList downvoters;
    QString reportedBy;      ///< "" : not reported
    QString reportReason;    ///< spam, harassment, off-topic, illegal, other
};

struct DemoCommunity {
    QString slug;
    QString title;
    QString description;
    QString owner;
    QList<DemoPost> posts;
};

/// Every demo account's username starts with this.
inline constexpr char kUserPrefix[] = "demo_";
/// The demo accounts' password (they are for screenshots and a newcomer's first look).
QString demoPassword();
QList<DemoUser> demoUsers();
QList<DemoCommunity> demoCommunities();

} // namespace Community::Ctl::Demo
