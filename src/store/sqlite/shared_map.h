/* The SQLite VFS that maps each database file once per process (shared_map.c), made the default VFS when registered.
 * Must not be needed for correctness: without it SQLite maps per connection, as before. */
#ifndef DXDAY_STORE_SQLITE_SHARED_MAP_H
#define DXDAY_STORE_SQLITE_SHARED_MAP_H

/* Registers it once for the process (later calls return the first one's result): SQLITE_OK or SQLite's error. */
int sqlite_shared_map_register(void);

/* Unmaps every page of the shared mappings from the process (each comes back from the kernel's page cache, unchanged,
 * at its next read; safe while other threads read them). For after a one-off read of much of the file, such as a
 * common term's postings, which are then kept elsewhere: the pages read would otherwise stay counted in the resident
 * size, with the neighbours the kernel maps around each fault. */
void sqlite_shared_map_forget_pages(void);

#endif
