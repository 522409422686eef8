#include "SqliteDatabase.h"

#include "base/Errors.h"

#include <sqlite3.h>


namespace cosw {

void SqliteDatabase::raise(sqlite3 *db, int code, const std::string &file, const std::string &what)
{
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    switch (code & 0xff) {
    case SQLITE_NOTADB:
        throw InputError(file + ": not a SQLite database (" + detail + ")");
    case SQLITE_CORRUPT:
        throw InputError(file + ": the database is corrupt (" + detail + "); restore it from a backup");
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        throw InputError(file + ": cannot open the database for writing (" + detail
                         + "); choose another location with --db or COS_DB");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw StoreError(file + ": the database is locked by another writer (" + detail + ")");
    default:
        throw StoreError(file + ": " + what + " failed: " + detail);
    }
}

// ------------------------------------------------------------ statement

SqliteStatement::SqliteStatement(sqlite3 *db, sqlite3_stmt *stmt, const std::string &file)
    : m_db(db), m_stmt(stmt), m_file(file)
{
}

SqliteStatement::SqliteStatement(SqliteStatement &&o) noexcept
    : m_db(o.m_db), m_stmt(o.m_stmt), m_file(std::move(o.m_file))
{
    o.m_stmt = nullptr;
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

SqliteStatement &SqliteStatement::bind(int index, int64_t value)
{
    if (int rc = sqlite3_bind_int64(m_stmt, index, value); rc != SQLITE_OK)
        SqliteDatabase::raise(m_db, rc, m_file, "binding a parameter");
    return *this;
}

SqliteStatement &SqliteStatement::bind(int index, double value)
{
    if (int rc = sqlite3_bind_double(m_stmt, index, value); rc != SQLITE_OK)
        SqliteDatabase::raise(m_db, rc, m_file, "binding a parameter");
    return *this;
}

SqliteStatement &SqliteStatement::bind(int index, const std::string &value)
{
    if (int rc = sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        SqliteDatabase::raise(m_db, rc, m_file, "binding a parameter");
    return *this;
}

SqliteStatement &SqliteStatement::bindNull(int index)
{
    if (int rc = sqlite3_bind_null(m_stmt, index); rc != SQLITE_OK)
        SqliteDatabase::raise(m_db, rc, m_file, "binding a parameter");
    return *this;
}

bool SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    SqliteDatabase::raise(m_db, rc, m_file, "a query");
}

void SqliteStatement::run()
{
    while (step()) {
    }
    reset();
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool SqliteStatement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
int64_t SqliteStatement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }
double SqliteStatement::real(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string SqliteStatement::text(int column) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

std::optional<double> SqliteStatement::optionalReal(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<double>(real(column));
}

std::optional<int64_t> SqliteStatement::optionalInt64(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<int64_t>(int64(column));
}

// ------------------------------------------------------------- database

SqliteDatabase::SqliteDatabase(const std::string &file, Mode mode, int busyTimeoutMs) : m_file(file)
{
    const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(file.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        try {
            raise(m_db, rc, m_file, "opening the database");
        } catch (...) {
            sqlite3_close(m_db);
            m_db = nullptr;
            throw;
        }
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
    try {
        // The first statement reads the header: a file that is not a
        // database fails here, before anything is written to it.
        prepare("SELECT count(*) FROM sqlite_schema").step();
        exec("PRAGMA foreign_keys=ON");
    } catch (...) {
        sqlite3_close(m_db);
        m_db = nullptr;
        throw;
    }
}

SqliteDatabase::~SqliteDatabase()
{
    sqlite3_close(m_db);
}

SqliteStatement SqliteDatabase::prepare(const std::string &sql)
{
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_db, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK)
        raise(m_db, rc, m_file, "preparing a statement");
    return SqliteStatement(m_db, stmt, m_file);
}

void SqliteDatabase::exec(const std::string &sql)
{
    char *error = nullptr;
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK)
        raise(m_db, rc, m_file, "a statement");
}

void SqliteDatabase::enableWal()
{
    exec("PRAGMA journal_mode=WAL");
    // WAL + NORMAL: committed transactions survive a process crash; only an
    // OS crash may lose the last few.
    exec("PRAGMA synchronous=NORMAL");
}

int64_t SqliteDatabase::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }
int SqliteDatabase::changes() const { return sqlite3_changes(m_db); }

void SqliteDatabase::transaction(const std::function<void()> &body)
{
    // BEGIN IMMEDIATE takes the write lock up front, so two writers never
    // deadlock upgrading read locks; the busy handler waits for it.
    runInTransaction("BEGIN IMMEDIATE", body);
}

void SqliteDatabase::snapshot(const std::function<void()> &body)
{
    runInTransaction("BEGIN DEFERRED", body);
}

void SqliteDatabase::runInTransaction(const char *begin, const std::function<void()> &body)
{
    exec(begin);
    try {
        body();
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

} // namespace cosw
