// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// The auth plugin's log category, "community.auth". Log lines never carry a secret
/// (passwords, tokens, keys, codes).

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcAuth)
