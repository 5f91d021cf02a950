// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The audit log's action codes: `<target>.<verb>`, documented in
/// docs/adr/0012-admin-plugin.md. A code never changes meaning; new ones are added.

#include <QLatin1StringView>

namespace Admin::Action {

// Recorded from other plugins' events (staffevents.cpp).
inline constexpr QLatin1StringView UserSuspend{"user.suspend"};
inline constexpr QLatin1StringView UserUnsuspend{"user.unsuspend"};
inline constexpr QLatin1StringView UserRoleChange{"user.role_change"};
inline constexpr QLatin1StringView PostRemove{"post.remove"};
inline constexpr QLatin1StringView PostRestore{"post.restore"};
inline constexpr QLatin1StringView PostPin{"post.pin"};
inline constexpr QLatin1StringView PostUnpin{"post.unpin"};
inline constexpr QLatin1StringView PostLock{"post.lock"};
inline constexpr QLatin1StringView PostUnlock{"post.unlock"};
inline constexpr QLatin1StringView CommentRemove{"comment.remove"};
inline constexpr QLatin1StringView CommentRestore{"comment.restore"};
inline constexpr QLatin1StringView ReportResolve{"report.resolve"};
// From the core's fault layer (contracts/events/chaos.h).
inline constexpr QLatin1StringView FaultInject{"fault.inject"};
inline constexpr QLatin1StringView FaultClear{"fault.clear"};
inline constexpr QLatin1StringView FaultStopAll{"fault.stop_all"};
// The admin plugin's own.
inline constexpr QLatin1StringView QueueClaim{"queue.claim"};
inline constexpr QLatin1StringView QueueTakeover{"queue.takeover"};
inline constexpr QLatin1StringView QueueRelease{"queue.release"};
inline constexpr QLatin1StringView QueueNote{"queue.note"};
inline constexpr QLatin1StringView QueueAssign{"queue.assign"};
inline constexpr QLatin1StringView QueueDecide{"queue.decide"};
inline constexpr QLatin1StringView QueueQuarantine{"queue.quarantine"};   // an interim decision (ADR 0036)
inline constexpr QLatin1StringView QueueUndo{"queue.undo"};               // a decision taken back (ADR 0036)
inline constexpr QLatin1StringView PenaltyLift{"penalty.lift"};
inline constexpr QLatin1StringView RuleAdd{"rule.add"};
inline constexpr QLatin1StringView RuleRemove{"rule.remove"};
// Runtime settings (core's settings API, docs/adr/0032): a runtime value set, or removed.
inline constexpr QLatin1StringView SettingChange{"setting.change"};
inline constexpr QLatin1StringView SettingReset{"setting.reset"};

} // namespace Admin::Action
