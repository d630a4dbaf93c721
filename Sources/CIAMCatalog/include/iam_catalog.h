#ifndef TRAILAUDIT_IAM_CATALOG_H
#define TRAILAUDIT_IAM_CATALOG_H

#include <stddef.h>

/// The IAM action catalog text (scripts/build-iam-catalog.py documents its format), compiled
/// into the binary; `length` receives its size in bytes, without the terminating NUL.
const char *trailaudit_iam_catalog(size_t *length);

#endif
