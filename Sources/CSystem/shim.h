#include <malloc.h>
#include <sys/vfs.h>

/// The file system type (`f_type`, a magic number from linux/magic.h) of the file system
/// holding `path`, or -1 when it cannot be read. Glibc's Swift module does not export statfs.
static inline long trailaudit_file_system_type(const char *path) {
    struct statfs system;
    if (statfs(path, &system) != 0) return -1;
    return (long)system.f_type;
}

/// Gives blocks of `mmap_bytes` and more pages of their own, returned to the system when freed,
/// and keeps at most `trim_bytes` free at the top of a heap; glibc stops adapting either as it
/// goes (see TrailAuditCommand.main). Glibc's Swift module does not export malloc.h.
static inline void trailaudit_set_malloc_thresholds(int mmap_bytes, int trim_bytes) {
    mallopt(M_MMAP_THRESHOLD, mmap_bytes);
    mallopt(M_TRIM_THRESHOLD, trim_bytes);
}
