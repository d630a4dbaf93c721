#include <sys/vfs.h>

/// The file system type (`f_type`, a magic number from linux/magic.h) of the file system
/// holding `path`, or -1 when it cannot be read. Glibc's Swift module does not export statfs.
static inline long trailaudit_file_system_type(const char *path) {
    struct statfs system;
    if (statfs(path, &system) != 0) return -1;
    return (long)system.f_type;
}
