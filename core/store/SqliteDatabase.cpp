#include "SqliteDatabase.h"

#include "base/CrashPoints.h"
#include "base/Errors.h"
#include "base/Messages.h"

#include <sqlite3.h>

#include <unistd.h>

#include <cstdio>
#include <chrono>
#include <filesystem>
#include <thread>


namespace cosw {

void SqliteDatabase::raise(sqlite3 *db, int code, const std::string &file, const std::string &what)
{
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
    switch (code & 0xff) {
    case SQLITE_NOTADB:
        throw InputError(fill(msg("%1: not a SQLite database (%2)"), {file, detail}));
    case SQLITE_CORRUPT:
        throw InputError(fill(msg("%1: the database is corrupt (%2); restore it from a backup"), {file, detail}));
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        throw InputError(fill(msg("%1: cannot open the database for writing (%2); choose another location with %3 "
                                  "or %4"),
                              {file, detail, "--db", "COS_DB"}));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw StoreError(fill(msg("%1: the database is locked by another writer (%2)"), {file, detail}));
    default:
        // TRANSLATORS: %2 is what was done, e.g. "a query" or "opening the database"; %3 is SQLite's message.
        throw StoreError(fill(msg("%1: %2 failed: %3"), {file, what, detail}));
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
        SqliteDatabase::raise(m_db, rc, m_file, msg("binding a parameter"));
    return *this;
}

SqliteStatement &SqliteStatement::bind(int index, double value)
{
    if (int rc = sqlite3_bind_double(m_stmt, index, value); rc != SQLITE_OK)
        SqliteDatabase::raise(m_db, rc, m_file, msg("binding a parameter"));
    return *this;
}

SqliteStatement &SqliteStatement::bind(int index, const std::string &value)
{
    if (int rc = sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK)
        SqliteDatabase::raise(m_db, rc, m_file, msg("binding a parameter"));
    return *this;
}

SqliteStatement &SqliteStatement::bindNull(int index)
{
    if (int rc = sqlite3_bind_null(m_stmt, index); rc != SQLITE_OK)
        SqliteDatabase::raise(m_db, rc, m_file, msg("binding a parameter"));
    return *this;
}

bool SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    SqliteDatabase::raise(m_db, rc, m_file, msg("a query"));
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

namespace {

bool mayWrite(const std::filesystem::path &path) { return ::access(path.c_str(), W_OK) == 0; }

// `file` as an SQLite URI that says nobody changes it: the only way to read a
// write-ahead-log database whose folder has no room for the shared-memory
// file (and nobody may write to anyway).
std::string immutableUri(const std::string &file)
{
    std::string uri = "file:";
    for (const char c : std::filesystem::absolute(file).string()) {
        if (c == '?' || c == '#' || c == '%') {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
            uri += escaped;
        } else {
            uri += c;
        }
    }
    return uri + "?immutable=1";
}

} // namespace

bool SqliteDatabase::writable(const std::string &file)
{
    const std::filesystem::path path = std::filesystem::absolute(file);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return true; // creating it says what is wrong, if anything
    return mayWrite(path) && mayWrite(path.parent_path());
}

SqliteDatabase::SqliteDatabase(const std::string &file, Mode mode, int busyTimeoutMs)
    : m_file(file), m_readOnly(mode == Mode::ReadOnly), m_busyTimeoutMs(busyTimeoutMs)
{
    bool immutable = false;
    if (m_readOnly) {
        const std::filesystem::path shm = std::filesystem::absolute(file).string() + "-shm";
        std::error_code ec;
        immutable = !mayWrite(shm.parent_path()) && !std::filesystem::exists(shm, ec);
    }
    const int flags = m_readOnly ? SQLITE_OPEN_READONLY | (immutable ? SQLITE_OPEN_URI : 0)
                                 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(immutable ? immutableUri(file).c_str() : file.c_str(), &m_db,
                                   flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        try {
            raise(m_db, rc, m_file, msg("opening the database"));
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
        raise(m_db, rc, m_file, msg("preparing a statement"));
    return SqliteStatement(m_db, stmt, m_file);
}

void SqliteDatabase::exec(const std::string &sql)
{
    char *error = nullptr;
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK)
        raise(m_db, rc, m_file, msg("a statement"));
}

void SqliteDatabase::enableWal()
{
    // Switching a new file to WAL needs it alone, and SQLite's busy handler
    // does not wait for that: when several processes open one new store at
    // once (data-parallel ranks, the desktop beside a run), the others retry
    // here until the first has switched it, within the busy timeout.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_busyTimeoutMs);
    for (;;) {
        const int rc = sqlite3_exec(m_db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
        if (rc == SQLITE_OK)
            break;
        if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline)
            raise(m_db, rc, m_file, msg("a statement"));
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
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
    runInTransaction("BEGIN IMMEDIATE", [&] {
        body();
        crashPoint("store"); // all written, nothing committed
    });
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
