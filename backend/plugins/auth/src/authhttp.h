// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// What the auth route modules share: the route options they declare, reading a body
/// with the SDK's BodyReader (requestorigin.h: the caller's address), the session check,
/// and the JSON shapes of accounts and tokens. HTTP only; safe on any thread.

#include "requestorigin.h"

#include "community/request.h"
#include "community/router.h"

#include <QJsonObject>

#include <optional>

namespace Auth {

struct Account;
struct NewAccount;
struct TokenPair;

inline constexpr qint64 kAuthBodyLimit = 16 * 1024;

/// Anyone; the "auth" rate class.
Community::Http::RouteOptions publicRoute();
/// A signed-in user (or API key). `authRateClass`: the "auth" rate class;
/// `duringPasswordChange`: reachable while the password must be changed.
Community::Http::RouteOptions userRoute(bool authRateClass = false, bool duringPasswordChange = false);
/// Administrators (API keys need the "admin" scope).
Community::Http::RouteOptions adminRoute();

/// The body as a BodyReader; answers 400 itself (problem type "validation" for every
/// body error, as the auth API always has) and returns nullopt.
std::optional<Community::Http::BodyReader> readAuthBody(const Community::Http::HttpRequest &req,
                                                        const Community::Http::Responder &res, bool allowEmpty = false);
/// finish() of the reader; answers 400 itself and returns false on errors.
bool finishBody(Community::Http::BodyReader &body, const Community::Http::HttpRequest &req,
                const Community::Http::Responder &res);
/// Adds a rule's error (checkUsername, checkPassword, ...), under `field` when given.
void addRuleError(Community::Http::BodyReader &body, const std::optional<Community::FieldError> &error,
                  const QString &field = {});

/// Answers 403 and returns false unless the caller is a user session (not an API key or
/// the operator).
bool requireUserSession(const Community::Http::HttpRequest &req, const Community::Http::Responder &res);

/// An integer query parameter in [min, max] (`def` when absent); otherwise a field
/// error {name, message, code} is appended to `errors`.
qint64 queryInteger(const Community::Http::HttpRequest &req, const QString &name, qint64 def, qint64 min, qint64 max,
                    const Community::FieldError &error, QList<Community::FieldError> &errors);

/// username, email and password of a new account, checked against the account rules.
/// The password is nullopt when absent (allowed with Presence::Optional).
std::pair<NewAccount, std::optional<QString>> readNewAccount(Community::Http::BodyReader &body,
                                                             Community::Http::Presence passwordPresence);

QJsonObject userJson(const Account &account);
QJsonObject tokenJson(const TokenPair &tokens);
/// The body of a successful login: tokenJson plus {"user": userJson}.
QJsonObject loginJson(const Account &account, const TokenPair &tokens);

} // namespace Auth
