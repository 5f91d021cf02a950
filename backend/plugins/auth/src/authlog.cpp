// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "authlog.h"

Q_LOGGING_CATEGORY(lcAuth, "community.auth")
