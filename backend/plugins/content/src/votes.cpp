// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
// Not written yet: registers no routes (the module lands in a following commit).
#include "routes.h"

namespace Content {

Community::Result<void> registerVoteRoutes(Community::Http::Router &, ContentContext &)
{
    return {};
}

} // namespace Content
