#ifndef PERCEPT_CSTB_SHIM_H
#define PERCEPT_CSTB_SHIM_H
// Declarations only: the implementation is Debian's compiled libstb (libstb-dev).
#include <stb_image.h>
#include <stb_image_write.h>
#endif
