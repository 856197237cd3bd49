#pragma once

#include "base/digest.h"
#include "base/error.h"

#include <sqlite3.h>

#include <cstdint>
#include <string>

// What the metadata's source files share: prepared statements and SQLite errors.
namespace Berth::Store::Internal {

inline Error sqlError(sqlite3 *db, const std::string &what)
{
    const int code = db ? sqlite3_errcode(db) : SQLITE_ERROR;
    return Error(code == SQLITE_BUSY ? ErrorCode::Conflict : ErrorCode::Io,
                 what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

// A prepared statement, finalized on scope exit.
class Statement
{
public:
    Statement(sqlite3 *db, const char *sql)
        : m_db(db)
    {
        m_ok = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) == SQLITE_OK;
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool ok() const { return m_ok; }
    Statement &bind(int i, const std::string &v)
    {
        sqlite3_bind_text(m_stmt, i, v.c_str(), int(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement &bind(int i, std::int64_t v)
    {
        sqlite3_bind_int64(m_stmt, i, v);
        return *this;
    }
    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(m_stmt); }
    std::string text(int col) const
    {
        const auto *p = sqlite3_column_text(m_stmt, col);
        return p ? std::string(reinterpret_cast<const char *>(p)) : std::string();
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(m_stmt, col); }
    Digest digest(int col) const { return Digest::parse(text(col)).value_or(Digest()); }

private:
    sqlite3 *m_db;
    sqlite3_stmt *m_stmt = nullptr;
    bool m_ok = false;
};

} // namespace Berth::Store::Internal
