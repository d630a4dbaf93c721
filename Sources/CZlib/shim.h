#ifndef TRAILAUDIT_CZLIB_SHIM_H
#define TRAILAUDIT_CZLIB_SHIM_H

#include <zlib.h>

/// inflateInit2 is a macro in zlib.h; Swift can only call functions.
static inline int trailaudit_inflate_init2(z_streamp stream, int windowBits) {
    return inflateInit2_(stream, windowBits, ZLIB_VERSION, (int)sizeof(z_stream));
}

/// deflateInit2 is a macro too; tests and the benchmark generator's checks use it.
static inline int trailaudit_deflate_init2(z_streamp stream, int level, int windowBits) {
    return deflateInit2_(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                         ZLIB_VERSION, (int)sizeof(z_stream));
}

#endif
