#ifndef PERCEPT_CLAPACK_SHIM_H
#define PERCEPT_CLAPACK_SHIM_H
#include <lapacke.h>
#endif
