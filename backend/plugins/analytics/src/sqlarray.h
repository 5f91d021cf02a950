// SPDX-License-Identifier: Apache-2.0
// SPDX-FileCopyrightText: Community Platform authors
#pragma once

/// PostgreSQL array literals for unnest()-based multi-row statements: one parameter per
/// column, whatever the batch size (libpqxx 6 has no array parameters). Values are quoted
/// and escaped here, then passed as parameters, never spliced into SQL.

#include <QString>

#include <string>

namespace Analytics {

class SqlArray {
public:
    SqlArray &add(qint64 v) { sep(); m_text += std::to_string(v); return *this; }
    SqlArray &add(double v) { sep(); m_text += std::to_string(v); return *this; }
    SqlArray &add(bool v) { sep(); m_text += v ? "t" : "f"; return *this; }
    SqlArray &add(const QString &v)
    {
        sep();
        m_text += '"';
        for (char c : v.toStdString()) {
            if (c == '"' || c == '\\')
                m_text += '\\';
            m_text += c;
        }
        m_text += '"';
        return *this;
    }
    /// A NULL element when `v` is 0 (ids) or empty (text).
    SqlArray &addOrNull(qint64 v) { return v ? add(v) : null(); }
    SqlArray &addOrNull(const QString &v) { return v.isEmpty() ? null() : add(v); }
    SqlArray &null() { sep(); m_text += "NULL"; return *this; }
    std::string str() const { return "{" + m_text + "}"; }

private:
    void sep()
    {
        if (m_any)
            m_text += ',';
        m_any = true;
    }
    std::string m_text;
    bool m_any = false;
};

} // namespace Analytics
