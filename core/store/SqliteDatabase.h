#pragma once
// A small RAII layer over the sqlite3 C API: one connection, prepared
// statements only, transactions that retry while another writer holds the
// lock. Errors name the database file.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace cosw {

// A failure while using a database that is not the user's fault (a lock held
// too long, a full disk). Exit status 1.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class SqliteStatement {
public:
    SqliteStatement(sqlite3 *db, sqlite3_stmt *stmt, const std::string &file);
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&) = delete;
    SqliteStatement(const SqliteStatement &) = delete;
    ~SqliteStatement();

    // Parameters are 1-based, as in SQL.
    SqliteStatement &bind(int index, int64_t value);
    SqliteStatement &bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    SqliteStatement &bind(int index, double value);
    SqliteStatement &bind(int index, const std::string &value);
    SqliteStatement &bind(int index, const char *value) { return bind(index, std::string(value)); }
    SqliteStatement &bindNull(int index);
    template <typename T>
    SqliteStatement &bind(int index, const std::optional<T> &value)
    {
        return value ? bind(index, *value) : bindNull(index);
    }
    // Binds `values` to parameters 1, 2, ... in order.
    template <typename... Values>
    SqliteStatement &bindAll(const Values &...values)
    {
        int index = 0;
        (bind(++index, values), ...);
        return *this;
    }

    // Advances to the next row; false when done.
    bool step();
    // Runs a statement that returns no rows.
    void run();
    // Clears bindings and rewinds, for reuse.
    void reset();

    bool isNull(int column) const;
    int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<double> optionalReal(int column) const;
    std::optional<int64_t> optionalInt64(int column) const;

private:
    sqlite3 *m_db;
    sqlite3_stmt *m_stmt;
    std::string m_file;
};

class SqliteDatabase {
public:
    enum class Mode { ReadWriteCreate, ReadOnly };

    // Opens (and for ReadWriteCreate creates) the file; sets the busy
    // timeout and foreign keys and reads the header, writing nothing. A file that is not a database, or a
    // corrupt one, throws InputError naming it; a location that cannot be
    // opened or written throws InputError too. ReadOnly also opens a
    // write-ahead-log database in a folder nobody may write to.
    SqliteDatabase(const std::string &file, Mode mode = Mode::ReadWriteCreate, int busyTimeoutMs = 10000);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase &) = delete;
    SqliteDatabase &operator=(const SqliteDatabase &) = delete;

    // Whether this process may write `file` and create the journal files
    // beside it (or create `file`, where it does not exist yet).
    static bool writable(const std::string &file);

    const std::string &file() const { return m_file; }
    bool readOnly() const { return m_readOnly; }
    SqliteStatement prepare(const std::string &sql);
    void exec(const std::string &sql);
    // Write-ahead logging: readers never block the writer. Changes the file.
    void enableWal();
    int64_t lastInsertId() const;
    int changes() const;

    // Runs `body` in a BEGIN IMMEDIATE transaction: commits when it returns,
    // rolls back when it throws. Waiting for another writer is bounded by
    // the busy timeout; past it the database counts as locked (StoreError).
    void transaction(const std::function<void()> &body);
    // Runs `body`'s reads on one snapshot of the database (WAL: writers go on
    // meanwhile), so queries that belong together see the same state.
    void snapshot(const std::function<void()> &body);

    // Maps a sqlite3 result code to the error a user should see.
    [[noreturn]] static void raise(sqlite3 *db, int code, const std::string &file, const std::string &what);

private:
    void runInTransaction(const char *begin, const std::function<void()> &body);

    sqlite3 *m_db = nullptr;
    std::string m_file;
    bool m_readOnly = false;
    int m_busyTimeoutMs = 0;
};

} // namespace cosw
