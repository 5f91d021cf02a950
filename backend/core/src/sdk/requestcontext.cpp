// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#include "community/requestcontext.h"

namespace Community {

namespace {
thread_local const RequestContext *t_current = nullptr;
}

const RequestContext *currentRequest()
{
    return t_current;
}

RequestScope::RequestScope(const RequestContext &context) : m_previous(t_current)
{
    t_current = &context;
}

RequestScope::~RequestScope()
{
    t_current = m_previous;
}

} // namespace Community
