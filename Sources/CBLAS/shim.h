#ifndef PERCEPT_CBLAS_SHIM_H
#define PERCEPT_CBLAS_SHIM_H
#include <cblas.h>
#endif
