// The system SQLite (libsqlite3-dev), for the workspace store (Sandbox/Store).
#include <sqlite3.h>
