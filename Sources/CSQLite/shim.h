#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
/* The system SQLite 3 (Debian `libsqlite3-dev`; part of the SDK on macOS). */
#include <sqlite3.h>
#endif
