#ifndef TRAILAUDIT_CSQLITE_SHIM_H
#define TRAILAUDIT_CSQLITE_SHIM_H

#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast of -1 to a function pointer, a macro Swift cannot import:
   binding with it makes SQLite copy the value before the call returns. */
static inline int trailaudit_sqlite3_bind_text_transient(
    sqlite3_stmt *statement, int index, const char *text, int length) {
    return sqlite3_bind_text(statement, index, text, length, SQLITE_TRANSIENT);
}

static inline int trailaudit_sqlite3_bind_blob_transient(
    sqlite3_stmt *statement, int index, const void *bytes, int length) {
    return sqlite3_bind_blob(statement, index, bytes, length, SQLITE_TRANSIENT);
}

/* sqlite3_config is variadic, which Swift cannot call. Turns off SQLite's count of its own
   memory use, which takes a process-wide mutex on every allocation; valid only before SQLite
   is initialised (the first open), SQLITE_MISUSE after. */
static inline int trailaudit_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
