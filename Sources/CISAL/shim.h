#ifndef TRAILAUDIT_CISAL_SHIM_H
#define TRAILAUDIT_CISAL_SHIM_H

// ISA-L's igzip (Debian libisal-dev): inflate with the gzip wrapper parsed and its CRC-32 and
// length checked, about twice zlib's speed on this kind of machine (Benchmarks/README.md).
#include <isa-l/igzip_lib.h>

#endif
